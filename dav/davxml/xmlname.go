package davxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// Name is an XML element name: namespace URI and local name.
type Name struct{ Space, Local string }

const (
	SpaceDAV   = "DAV:"
	spaceXML   = "http://www.w3.org/XML/1998/namespace"
	spaceXMLNS = "http://www.w3.org/2000/xmlns/"
)

// errEmptyBody is returned by the reader when the body holds no element at all (only white space).
var errEmptyBody = errors.New("dav: empty XML body")

// tokKind is the kind of a token returned by xmlReader.next.
type tokKind int

const (
	tokStart tokKind = iota + 1
	tokEnd
	tokText
)

// rattr is an attribute with its name resolved. Namespace declarations are not reported as attributes.
type rattr struct {
	name   Name
	prefix string // the prefix as written in the source, a hint for re-serialisation
	value  string
}

// rtoken is one token of the namespace-resolved stream.
type rtoken struct {
	kind    tokKind
	name    Name   // tokStart, tokEnd
	prefix  string // tokStart: the prefix as written in the source
	attrs   []rattr
	lang    string // tokStart: the xml:lang in scope (own or inherited)
	hasLang bool   // tokStart: whether an xml:lang is in scope at all
	text    []byte // tokText; only valid until the next call of next
}

type nsBinding struct{ prefix, uri string }

type openElem struct {
	raw     xml.Name // as written, to check the end tag
	name    Name
	nsMark  int // length of xmlReader.ns before this element's declarations
	lang    string
	hasLang bool
}

// xmlReader turns an encoding/xml raw token stream into a namespace-resolved one and checks
// well-formedness that RawToken leaves to its caller: matching end tags, a single root element,
// declared prefixes, no content after the root.
type xmlReader struct {
	d        *xml.Decoder
	ns       []nsBinding
	open     []openElem
	sawRoot  bool
	rootDone bool
}

func newXMLReader(r io.Reader) *xmlReader {
	d := xml.NewDecoder(r)
	d.Strict = true
	return &xmlReader{d: d}
}

func (x *xmlReader) resolve(prefix string) (string, bool) {
	if prefix == "xml" {
		return spaceXML, true
	}
	for i := len(x.ns) - 1; i >= 0; i-- {
		if x.ns[i].prefix == prefix {
			return x.ns[i].uri, true
		}
	}
	if prefix == "" {
		return "", true
	}
	return "", false
}

// next returns the next element or text token. It returns io.EOF after the root element is closed and
// the rest of the input holds only white space, comments or processing instructions, and errEmptyBody
// if the input has no element at all.
func (x *xmlReader) next() (rtoken, error) {
	for {
		t, err := x.d.RawToken()
		if err == io.EOF {
			if len(x.open) > 0 {
				return rtoken{}, errors.New("dav: unexpected end of XML body")
			}
			if !x.sawRoot {
				return rtoken{}, errEmptyBody
			}
			return rtoken{}, io.EOF
		}
		if err != nil {
			return rtoken{}, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			if x.rootDone {
				return rtoken{}, errors.New("dav: content after the XML root element")
			}
			if len(x.open) >= MaxDepth {
				return rtoken{}, ErrTooDeep
			}
			x.sawRoot = true
			return x.start(t)
		case xml.EndElement:
			n := len(x.open)
			if n == 0 {
				return rtoken{}, errors.New("dav: unexpected XML end element")
			}
			top := x.open[n-1]
			if top.raw != t.Name {
				return rtoken{}, errors.New("dav: mismatched XML end element")
			}
			x.open = x.open[:n-1]
			x.ns = x.ns[:top.nsMark]
			if n == 1 {
				x.rootDone = true
			}
			return rtoken{kind: tokEnd, name: top.name}, nil
		case xml.CharData:
			if len(x.open) == 0 {
				if !x.sawRoot {
					// encoding/xml reports a UTF-8 byte order mark as character data.
					t = bytes.TrimPrefix(t, []byte("\uFEFF"))
				}
				if len(bytes.TrimLeft(t, " \t\r\n")) != 0 {
					return rtoken{}, errors.New("dav: text outside the XML root element")
				}
				continue
			}
			return rtoken{kind: tokText, text: t}, nil
		default:
			// Comments, processing instructions (the XML declaration's encoding is checked by the
			// decoder) and directives carry no information we keep.
			continue
		}
	}
}

func (x *xmlReader) start(t xml.StartElement) (rtoken, error) {
	mark := len(x.ns)
	// Declarations first: they apply to the element's own name and attributes.
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			if a.Value == spaceXML || a.Value == spaceXMLNS {
				return rtoken{}, errors.New("dav: illegal default namespace declaration")
			}
			x.ns = append(x.ns, nsBinding{"", a.Value})
		case a.Name.Space == "xmlns":
			p := a.Name.Local
			switch {
			case p == "xml":
				if a.Value != spaceXML {
					return rtoken{}, errors.New("dav: illegal binding of the xml prefix")
				}
				continue
			case p == "xmlns" || a.Value == spaceXML || a.Value == spaceXMLNS:
				return rtoken{}, errors.New("dav: illegal namespace declaration")
			case a.Value == "":
				// Namespaces in XML 1.0 forbids undeclaring a prefix (litmus propfind_invalid2).
				return rtoken{}, errors.New("dav: empty namespace name for prefix " + strconv.Quote(p))
			}
			x.ns = append(x.ns, nsBinding{p, a.Value})
		}
	}
	if t.Name.Space == "xmlns" {
		return rtoken{}, errors.New("dav: element with the xmlns prefix")
	}
	space, ok := x.resolve(t.Name.Space)
	if !ok {
		return rtoken{}, errors.New("dav: undeclared namespace prefix " + strconv.Quote(t.Name.Space))
	}
	tok := rtoken{kind: tokStart, name: Name{space, t.Name.Local}, prefix: t.Name.Space}
	if n := len(x.open); n > 0 {
		tok.lang, tok.hasLang = x.open[n-1].lang, x.open[n-1].hasLang
	}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		ra := rattr{name: Name{Local: a.Name.Local}, prefix: a.Name.Space, value: a.Value}
		if a.Name.Space != "" {
			// Unprefixed attributes are in no namespace; prefixed ones resolve like elements.
			if ra.name.Space, ok = x.resolve(a.Name.Space); !ok {
				return rtoken{}, errors.New("dav: undeclared namespace prefix " + strconv.Quote(a.Name.Space))
			}
		}
		for _, b := range tok.attrs {
			if b.name == ra.name {
				return rtoken{}, errors.New("dav: duplicate XML attribute")
			}
		}
		if ra.name == (Name{spaceXML, "lang"}) {
			tok.lang, tok.hasLang = a.Value, true
		}
		tok.attrs = append(tok.attrs, ra)
	}
	x.open = append(x.open, openElem{raw: t.Name, name: tok.name, nsMark: mark, lang: tok.lang, hasLang: tok.hasLang})
	return tok, nil
}

// root reads up to the root element and checks its name.
func (x *xmlReader) root(want Name) error {
	t, err := x.next()
	if err != nil {
		return err
	}
	if t.kind != tokStart || t.name != want {
		return errors.New("dav: unexpected root element, want " + want.Local)
	}
	return nil
}

// skip consumes the rest of the element whose start tag was just read.
func (x *xmlReader) skip() error {
	for depth := 1; depth > 0; {
		t, err := x.next()
		if err != nil {
			return unexpectedEOF(err)
		}
		switch t.kind {
		case tokStart:
			depth++
		case tokEnd:
			depth--
		}
	}
	return nil
}

// finish checks that nothing but white space, comments and processing instructions follows the root.
func (x *xmlReader) finish() error {
	_, err := x.next()
	switch {
	case err == io.EOF:
		return nil
	case err != nil:
		return err
	}
	return errors.New("dav: content after the XML root element")
}

// unexpectedEOF maps io.EOF in the middle of a document (which next never returns while elements are
// open, but callers should not rely on it) to an error that is not io.EOF.
func unexpectedEOF(err error) error {
	if err == io.EOF || err == errEmptyBody {
		return errors.New("dav: unexpected end of XML body")
	}
	return err
}

// fragWriter re-serialises an element subtree as a self-contained fragment: every namespace is declared
// in the fragment, on the element where it is first needed, so the bytes can be stored and later
// written verbatim into any document.
type fragWriter struct {
	buf     []byte
	scope   []nsBinding // output bindings in force
	open    []fragElem
	pending bool // a start tag is written up to, but not including, its closing '>'
	gen     int  // counter for generated prefixes
}

type fragElem struct {
	qname     string
	scopeMark int
	defEmpty  bool // the default namespace is known to be "" inside this element
}

func (f *fragWriter) resolve(prefix string) (string, bool) {
	for i := len(f.scope) - 1; i >= 0; i-- {
		if f.scope[i].prefix == prefix {
			return f.scope[i].uri, true
		}
	}
	return "", false
}

// prefixFor returns a prefix bound to uri in the output, binding a new one if needed; the new binding
// is recorded in f.scope and its declaration must then be written by the caller (declared is true).
// hint is the source prefix, kept when it is free so that QNames in content have a chance to still
// make sense.
func (f *fragWriter) prefixFor(uri, hint string) (prefix string, declared bool) {
	if uri == spaceXML {
		return "xml", false
	}
	for i := len(f.scope) - 1; i >= 0; i-- {
		if b := f.scope[i]; b.uri == uri {
			if u, _ := f.resolve(b.prefix); u == uri {
				return b.prefix, false
			}
		}
	}
	p := hint
	if p == "" && uri == SpaceDAV {
		p = "D"
	}
	if p == "xml" || p == "xmlns" {
		p = ""
	} else if _, bound := f.resolve(p); bound {
		p = ""
	}
	for p == "" {
		c := "ns" + strconv.Itoa(f.gen)
		f.gen++
		if _, bound := f.resolve(c); !bound {
			p = c
		}
	}
	f.scope = append(f.scope, nsBinding{p, uri})
	return p, true
}

func (f *fragWriter) closePending() {
	if f.pending {
		f.buf = append(f.buf, '>')
		f.pending = false
	}
}

func (f *fragWriter) start(t rtoken) {
	f.closePending()
	defEmpty := false
	if n := len(f.open); n > 0 {
		defEmpty = f.open[n-1].defEmpty
	}
	mark := len(f.scope)
	var qname string
	f.buf = append(f.buf, '<')
	if t.name.Space == "" {
		qname = t.name.Local
		f.buf = append(f.buf, qname...)
		if !defEmpty {
			// Never rely on the default namespace of the document the fragment ends up in.
			f.buf = append(f.buf, ` xmlns=""`...)
			defEmpty = true
		}
	} else {
		p, _ := f.prefixFor(t.name.Space, t.prefix)
		qname = p + ":" + t.name.Local
		f.buf = append(f.buf, qname...)
	}
	// Attribute prefixes are bound before anything is written so that all declarations (the
	// element's own included) come right after the name.
	ownLang := false
	for _, a := range t.attrs {
		if a.name.Space != "" {
			f.prefixFor(a.name.Space, a.prefix)
		}
		if a.name == (Name{spaceXML, "lang"}) {
			ownLang = true
		}
	}
	for _, b := range f.scope[mark:] {
		f.buf = append(f.buf, " xmlns:"...)
		f.buf = append(f.buf, b.prefix...)
		f.buf = append(f.buf, `="`...)
		f.buf = appendEscaped(f.buf, b.uri, true)
		f.buf = append(f.buf, '"')
	}
	for _, a := range t.attrs {
		f.buf = append(f.buf, ' ')
		if a.name.Space != "" {
			p, _ := f.prefixFor(a.name.Space, a.prefix) // already bound: no new declaration
			f.buf = append(f.buf, p...)
			f.buf = append(f.buf, ':')
		}
		f.buf = append(f.buf, a.name.Local...)
		f.buf = append(f.buf, `="`...)
		f.buf = appendEscaped(f.buf, a.value, true)
		f.buf = append(f.buf, '"')
	}
	if len(f.open) == 0 && !ownLang && t.hasLang {
		// The fragment root inherits xml:lang from the request (e.g. <D:prop xml:lang="fr">);
		// RFC 4918 §4.3 wants the language kept with the value.
		f.buf = append(f.buf, ` xml:lang="`...)
		f.buf = appendEscaped(f.buf, t.lang, true)
		f.buf = append(f.buf, '"')
	}
	f.open = append(f.open, fragElem{qname: qname, scopeMark: mark, defEmpty: defEmpty})
	f.pending = true
}

func (f *fragWriter) end() {
	n := len(f.open) - 1
	e := f.open[n]
	f.open = f.open[:n]
	f.scope = f.scope[:e.scopeMark]
	if f.pending {
		f.buf = append(f.buf, "/>"...)
		f.pending = false
		return
	}
	f.buf = append(f.buf, "</"...)
	f.buf = append(f.buf, e.qname...)
	f.buf = append(f.buf, '>')
}

func (f *fragWriter) text(b []byte) {
	f.closePending()
	f.buf = appendEscaped(f.buf, string(b), false)
}

// captureElement re-serialises the element whose start token t was just read, up to and including its
// end tag, as a self-contained fragment.
func (x *xmlReader) captureElement(t rtoken) ([]byte, error) {
	var f fragWriter
	f.start(t)
	for depth := 1; depth > 0; {
		t, err := x.next()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		switch t.kind {
		case tokStart:
			depth++
			f.start(t)
		case tokEnd:
			depth--
			f.end()
		case tokText:
			f.text(t.text)
		}
	}
	return f.buf, nil
}

// EscapeText escapes s for XML character data and attribute values: & < > " ' and the white space
// characters that attribute-value normalisation would otherwise lose (tab, newline, carriage return).
// Characters not allowed in XML, and invalid UTF-8, become U+FFFD so that the output stays well-formed.
// s is returned as is, without allocation, when nothing needs escaping.
func EscapeText(s string) string {
	for i := 0; i < len(s); i++ {
		if needsEscape(s[i]) {
			return string(appendEscaped(make([]byte, 0, len(s)+16), s, true))
		}
	}
	return s
}

// EscapeCharData escapes s for XML character data only (never an attribute): line feeds, tabs and
// quotes stay as they are, carriage returns become &#xD; so that they survive parsing. Used for
// calendar and address data, whose CRLF line ends would otherwise cost twelve bytes each.
func EscapeCharData(s string) string {
	for i := 0; i < len(s); i++ {
		if needsEscape(s[i]) {
			return string(appendEscaped(make([]byte, 0, len(s)+len(s)/16), s, false))
		}
	}
	return s
}

// needsEscape reports whether byte c may need work: an escaped character, a control character or the
// start of a multi-byte sequence (which has to be validated).
func needsEscape(c byte) bool {
	return c < 0x20 || c >= 0x80 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\''
}

// escapeFor returns the replacement for rune r, or "" if r is written as is. attr selects attribute
// escaping, which also escapes quotes, tabs and newlines.
func escapeFor(r rune, width int, attr bool) string {
	switch r {
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '\r':
		return "&#xD;"
	case '"':
		if attr {
			return "&#34;"
		}
	case '\'':
		if attr {
			return "&#39;"
		}
	case '\n':
		if attr {
			return "&#xA;"
		}
	case '\t':
		if attr {
			return "&#x9;"
		}
	default:
		if (r == utf8.RuneError && width == 1) || !isXMLChar(r) {
			return "\uFFFD"
		}
	}
	return ""
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// appendEscaped appends s escaped to dst. It copies runs of plain characters in one go.
func appendEscaped(dst []byte, s string, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if !needsEscape(c) {
			i++
			continue
		}
		r, w := rune(c), 1
		if c >= 0x80 {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		if esc := escapeFor(r, w, attr); esc != "" {
			dst = append(dst, s[last:i]...)
			dst = append(dst, esc...)
			last = i + w
		}
		i += w
	}
	return append(dst, s[last:]...)
}

// escapeWriter is what the streaming writers need: bufio.Writer satisfies it.
type escapeWriter interface {
	WriteString(string) (int, error)
}

// writeEscaped writes s escaped to w without allocating.
func writeEscaped(w escapeWriter, s string, attr bool) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if !needsEscape(c) {
			i++
			continue
		}
		r, n := rune(c), 1
		if c >= 0x80 {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if esc := escapeFor(r, n, attr); esc != "" {
			w.WriteString(s[last:i])
			w.WriteString(esc)
			last = i + n
		}
		i += n
	}
	w.WriteString(s[last:])
}
