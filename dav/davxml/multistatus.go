package davxml

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"strconv"
)

const xmlDeclLine = `<?xml version="1.0" encoding="utf-8"?>` + "\n"

// Prop is one property in a propstat. The handler builds property values itself as raw XML.
type Prop struct {
	Name Name
	// Value is the inner XML (already escaped / well-formed), may be nil for an empty element.
	// If Raw is true, Value is a whole self-contained element (as from PropOp.Value) and is written
	// verbatim instead of being wrapped. A Raw prop with an empty Value is written as an empty element.
	Value []byte
	Raw   bool
}

// Propstat groups properties that share a status (RFC 4918 §14.22).
type Propstat struct {
	Status int    // HTTP status code, e.g. 200, 404, 403, 424
	Props  []Prop // written inside <D:prop>, in order
	Error  []byte // optional inner XML of <D:error>, e.g. `<D:cannot-modify-protected-property/>`
}

// MultistatusWriter streams a 207 multistatus body: nothing is buffered beyond one response element
// (and the bufio.Writer's buffer), so a listing of 10,000 entries uses constant memory.
//
// Write errors are sticky: once a write to the underlying writer has failed, every later call returns
// that error.
type MultistatusWriter struct {
	w       *bufio.Writer
	started bool
	closed  bool
	err     error
	scratch []byte   // status lines and generated prefixes
	nsSeen  []string // namespaces of the current response; index i has prefix "ns<i>"
}

// NewMultistatusWriter returns a writer for a multistatus body on w. The XML header and
// <D:multistatus xmlns:D="DAV:"> are written on first use, so nothing reaches w before the first
// response (the handler can still choose another status until then).
func NewMultistatusWriter(w io.Writer) *MultistatusWriter {
	return &MultistatusWriter{w: bufio.NewWriterSize(w, 8192), scratch: make([]byte, 0, 64)}
}

var errWriterClosed = errors.New("dav: multistatus writer already closed")

// begin writes the document opening if needed and reports whether writing may go on.
func (m *MultistatusWriter) begin() error {
	if m.err != nil {
		return m.err
	}
	if m.closed {
		return errWriterClosed
	}
	if !m.started {
		m.started = true
		m.w.WriteString(xmlDeclLine)
		m.w.WriteString(`<D:multistatus xmlns:D="DAV:">` + "\n")
	}
	return nil
}

// check picks up the bufio.Writer's sticky error: individual writes are not checked, since once one
// fails all later ones fail too, and Write(nil) reports it.
func (m *MultistatusWriter) check() error {
	if m.err == nil {
		if _, err := m.w.Write(nil); err != nil {
			m.err = err
		}
	}
	return m.err
}

// Propstats writes one <D:response> with one <D:propstat> per element of ps.
func (m *MultistatusWriter) Propstats(href string, ps []Propstat) error {
	if err := m.begin(); err != nil {
		return err
	}
	m.nsSeen = m.nsSeen[:0]
	w := m.w
	w.WriteString("<D:response><D:href>")
	writeEscaped(w, href, false)
	w.WriteString("</D:href>")
	for i := range ps {
		p := &ps[i]
		if len(p.Props) == 0 {
			w.WriteString("<D:propstat><D:prop/>")
		} else {
			w.WriteString("<D:propstat><D:prop>")
			for j := range p.Props {
				m.writeProp(&p.Props[j])
			}
			w.WriteString("</D:prop>")
		}
		m.writeStatus(p.Status)
		m.writeError(p.Error)
		w.WriteString("</D:propstat>")
	}
	w.WriteString("</D:response>\n")
	return m.check()
}

// Status writes one <D:response> with a <D:status> (and, if errInner is not empty, a <D:error>), as
// used for the members of a failed DELETE, COPY or MOVE, or a 404 in a Depth 1 listing.
func (m *MultistatusWriter) Status(href string, code int, errInner []byte) error {
	if err := m.begin(); err != nil {
		return err
	}
	w := m.w
	w.WriteString("<D:response><D:href>")
	writeEscaped(w, href, false)
	w.WriteString("</D:href>")
	m.writeStatus(code)
	m.writeError(errInner)
	w.WriteString("</D:response>\n")
	return m.check()
}

// Close writes </D:multistatus> (and the opening if nothing was written) and flushes. It does not
// close the underlying writer. Closing twice is harmless.
func (m *MultistatusWriter) Close() error {
	if m.closed {
		return m.err
	}
	if err := m.begin(); err != nil {
		return err
	}
	m.closed = true
	m.w.WriteString("</D:multistatus>\n")
	if err := m.w.Flush(); err != nil && m.err == nil {
		m.err = err
	}
	return m.err
}

func (m *MultistatusWriter) writeStatus(code int) {
	b := append(m.scratch[:0], "<D:status>HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, ' ')
	b = append(b, http.StatusText(code)...)
	b = append(b, "</D:status>"...)
	m.scratch = b
	m.w.Write(b)
}

func (m *MultistatusWriter) writeError(inner []byte) {
	if len(inner) == 0 {
		return
	}
	m.w.WriteString("<D:error>")
	m.w.Write(inner)
	m.w.WriteString("</D:error>")
}

var smallPrefixes = [...]string{"ns0", "ns1", "ns2", "ns3", "ns4", "ns5", "ns6", "ns7", "ns8", "ns9",
	"ns10", "ns11", "ns12", "ns13", "ns14", "ns15"}

// writePrefix writes the prefix used in this response for namespace space (not DAV: and not empty).
// A namespace keeps the same prefix throughout a response, which makes the output easier to read, but
// it is declared again on every element that uses it so that each property stands alone.
func (m *MultistatusWriter) writePrefix(space string) {
	i := 0
	for i < len(m.nsSeen) && m.nsSeen[i] != space {
		i++
	}
	if i == len(m.nsSeen) {
		m.nsSeen = append(m.nsSeen, space)
	}
	if i < len(smallPrefixes) {
		m.w.WriteString(smallPrefixes[i])
		return
	}
	m.scratch = strconv.AppendInt(append(m.scratch[:0], "ns"...), int64(i), 10)
	m.w.Write(m.scratch)
}

func (m *MultistatusWriter) writeProp(p *Prop) {
	w := m.w
	if p.Raw && len(p.Value) > 0 {
		w.Write(p.Value)
		return
	}
	w.WriteByte('<')
	switch p.Name.Space {
	case SpaceDAV:
		w.WriteString("D:")
		w.WriteString(p.Name.Local)
	case "":
		w.WriteString(p.Name.Local)
		w.WriteString(` xmlns=""`)
	default:
		m.writePrefix(p.Name.Space)
		w.WriteByte(':')
		w.WriteString(p.Name.Local)
		w.WriteString(" xmlns:")
		m.writePrefix(p.Name.Space)
		w.WriteString(`="`)
		writeEscaped(w, p.Name.Space, true)
		w.WriteByte('"')
	}
	if len(p.Value) == 0 {
		w.WriteString("/>")
		return
	}
	w.WriteByte('>')
	w.Write(p.Value)
	w.WriteString("</")
	switch p.Name.Space {
	case SpaceDAV:
		w.WriteString("D:")
	case "":
	default:
		m.writePrefix(p.Name.Space)
		w.WriteByte(':')
	}
	w.WriteString(p.Name.Local)
	w.WriteByte('>')
}
