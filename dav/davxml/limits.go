package davxml

import (
	"errors"
	"io"
	"net/http"
)

// Limits of the XML bodies both DAV handlers read. A body is a request of a few elements: one past
// its byte limit is refused with 413 rather than cut and misread, and nesting past MaxDepth (a
// 60,000-deep property that libxml2 clients then cannot list) is refused with 400.

// MaxDepth is the deepest nesting of elements a body may have: a PROPPATCH's dead property value or
// a LOCK's owner is a few levels deep in practice.
const MaxDepth = 64

// ErrBodyTooLarge is the error of a request body past its limit: answered 413.
var ErrBodyTooLarge = errors.New("dav: request body too large")

// ErrTooDeep is the error of a body nested past MaxDepth.
var ErrTooDeep = errors.New("dav: XML nested too deep")

// LimitBody reads a request's body up to max bytes; reading past them gives ErrBodyTooLarge. A
// Content-Length over max fails at once, before anything is read.
func LimitBody(r *http.Request, max int64) io.Reader {
	if r.ContentLength > max {
		return errReader{ErrBodyTooLarge}
	}
	return &limited{r: r.Body, left: max}
}

type limited struct {
	r    io.Reader
	left int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, err := l.r.Read(one[:]); n > 0 {
			return 0, ErrBodyTooLarge
		} else {
			return 0, err
		}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
