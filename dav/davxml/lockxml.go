package davxml

import (
	"errors"
	"io"
	"strconv"
	"time"
)

// LockInfo is a parsed LOCK request body (RFC 4918 §14.11).
type LockInfo struct {
	Exclusive bool   // lockscope exclusive (else shared)
	Owner     []byte // the <D:owner> element re-serialised self-contained as in PropOp.Value, or nil
}

// ParseLockInfo parses a LOCK body. An empty body (or only white space) returns (LockInfo{}, true,
// nil): a refresh (RFC 4918 §9.10.2).
// Anything other than locktype write, or a missing lockscope, is an error; so are a missing locktype,
// a lockscope that is not exactly one of exclusive/shared, and a repeated lockscope, locktype or owner.
func ParseLockInfo(r io.Reader) (info LockInfo, refresh bool, err error) {
	x := newXMLReader(r)
	if err := x.root(Name{SpaceDAV, "lockinfo"}); err != nil {
		if err == errEmptyBody {
			return LockInfo{}, true, nil
		}
		return LockInfo{}, false, err
	}
	var sawScope, sawType, sawOwner bool
	for {
		t, err := x.next()
		if err != nil {
			return LockInfo{}, false, unexpectedEOF(err)
		}
		if t.kind == tokEnd {
			break
		}
		if t.kind != tokStart {
			continue
		}
		if t.name.Space != SpaceDAV {
			if err := x.skip(); err != nil {
				return LockInfo{}, false, err
			}
			continue
		}
		switch t.name.Local {
		case "lockscope":
			if sawScope {
				return LockInfo{}, false, errors.New("dav: repeated lockscope")
			}
			sawScope = true
			var scope Name
			if scope, err = x.onlyChild("lockscope"); err != nil {
				return LockInfo{}, false, err
			}
			switch scope {
			case Name{SpaceDAV, "exclusive"}:
				info.Exclusive = true
			case Name{SpaceDAV, "shared"}:
			default:
				return LockInfo{}, false, errors.New("dav: unsupported lockscope")
			}
		case "locktype":
			if sawType {
				return LockInfo{}, false, errors.New("dav: repeated locktype")
			}
			sawType = true
			var typ Name
			if typ, err = x.onlyChild("locktype"); err != nil {
				return LockInfo{}, false, err
			}
			if typ != (Name{SpaceDAV, "write"}) {
				return LockInfo{}, false, errors.New("dav: unsupported locktype")
			}
		case "owner":
			if sawOwner {
				return LockInfo{}, false, errors.New("dav: repeated owner")
			}
			sawOwner = true
			if info.Owner, err = x.captureElement(t); err != nil {
				return LockInfo{}, false, err
			}
		default:
			if err := x.skip(); err != nil {
				return LockInfo{}, false, err
			}
		}
	}
	if err := x.finish(); err != nil {
		return LockInfo{}, false, err
	}
	if !sawScope {
		return LockInfo{}, false, errors.New("dav: lockinfo without lockscope")
	}
	if !sawType {
		return LockInfo{}, false, errors.New("dav: lockinfo without locktype")
	}
	return info, false, nil
}

// onlyChild reads the content of the element just started, which must hold exactly one child element
// (with any content), and returns that child's name.
func (x *xmlReader) onlyChild(what string) (Name, error) {
	var child Name
	n := 0
	for {
		t, err := x.next()
		if err != nil {
			return Name{}, unexpectedEOF(err)
		}
		switch t.kind {
		case tokEnd:
			if n != 1 {
				return Name{}, errors.New("dav: " + what + " must hold exactly one element")
			}
			return child, nil
		case tokStart:
			child = t.name
			n++
			if err := x.skip(); err != nil {
				return Name{}, err
			}
		}
	}
}

// ActiveLock describes one lock for lockdiscovery.
type ActiveLock struct {
	Token     string        // "opaquelocktoken:…" or "urn:uuid:…"
	Root      string        // lockroot href (already escaped URL path)
	Exclusive bool          // lockscope exclusive, else shared
	Infinite  bool          // depth infinity, else 0
	Owner     []byte        // as stored (self-contained XML fragment) or nil
	Timeout   time.Duration // remaining; <=0 means Infinite
}

// maxLockTimeoutSecs is the largest Second-n value RFC 4918 §10.7 allows (2^32-1).
const maxLockTimeoutSecs = 1<<32 - 1

// appendActiveLock appends one <D:activelock> element.
func appendActiveLock(b []byte, l ActiveLock) []byte {
	b = append(b, "<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope>"...)
	if l.Exclusive {
		b = append(b, "<D:exclusive/>"...)
	} else {
		b = append(b, "<D:shared/>"...)
	}
	b = append(b, "</D:lockscope><D:depth>"...)
	if l.Infinite {
		b = append(b, "infinity"...)
	} else {
		b = append(b, '0')
	}
	b = append(b, "</D:depth>"...)
	if len(l.Owner) > 0 {
		b = append(b, l.Owner...)
	}
	b = append(b, "<D:timeout>"...)
	if l.Timeout <= 0 {
		b = append(b, "Infinite"...)
	} else {
		// Round up: a lock with 0.4 s left is still there, and "Second-0" would say otherwise.
		secs := int64((l.Timeout + time.Second - 1) / time.Second)
		if secs > maxLockTimeoutSecs {
			secs = maxLockTimeoutSecs
		}
		b = append(b, "Second-"...)
		b = strconv.AppendInt(b, secs, 10)
	}
	b = append(b, "</D:timeout><D:locktoken><D:href>"...)
	b = appendEscaped(b, l.Token, true)
	b = append(b, "</D:href></D:locktoken><D:lockroot><D:href>"...)
	b = appendEscaped(b, l.Root, true)
	b = append(b, "</D:href></D:lockroot></D:activelock>"...)
	return b
}

// LockDiscoveryXML returns the inner XML of a <D:lockdiscovery> property value (the <D:activelock>
// elements), written with the "D:" prefix bound to "DAV:" by the enclosing document. It returns an
// empty (non-nil) slice when there are no locks.
func LockDiscoveryXML(locks []ActiveLock) []byte {
	b := make([]byte, 0, 320*len(locks))
	for _, l := range locks {
		b = appendActiveLock(b, l)
	}
	return b
}

const SupportedLockInner = "<D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>" +
	"<D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>"

// SupportedLockXML returns the inner XML of <D:supportedlock> (exclusive and shared write
// lockentries). The slice is fresh on every call, so callers may keep or modify it.
func SupportedLockXML() []byte {
	return []byte(SupportedLockInner)
}

// WriteLockResponse writes the full body of a successful LOCK response (RFC 4918 §9.10.1):
// <?xml?><D:prop xmlns:D="DAV:"><D:lockdiscovery>…</D:lockdiscovery></D:prop>
func WriteLockResponse(w io.Writer, lock ActiveLock) error {
	b := make([]byte, 0, 512+len(lock.Owner))
	b = append(b, xmlDeclLine...)
	b = append(b, `<D:prop xmlns:D="DAV:"><D:lockdiscovery>`...)
	b = appendActiveLock(b, lock)
	b = append(b, "</D:lockdiscovery></D:prop>\n"...)
	_, err := w.Write(b)
	return err
}
