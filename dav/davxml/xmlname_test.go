package davxml

import (
	"encoding/xml"
	"io"
	"sort"
	"strings"
	"testing"
)

func TestEscapeText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"/dav/files/g/a%20b.txt", "/dav/files/g/a%20b.txt"},
		{`a&b<c>d"e'f`, "a&amp;b&lt;c&gt;d&#34;e&#39;f"},
		{"tab\tnl\ncr\r", "tab&#x9;nl&#xA;cr&#xD;"},
		{"é日本\U00010000\U0010FFFD", "é日本\U00010000\U0010FFFD"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"ctl\x00\x01\x1f", "ctl\uFFFD\uFFFD\uFFFD"},
		{"nonchar\uFFFE", "nonchar\uFFFD"},
		{"]]>", "]]&gt;"},
	}
	for _, tt := range tests {
		if got := EscapeText(tt.in); got != tt.want {
			t.Errorf("EscapeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEscapeTextRoundTrip checks that escaped strings decode back to themselves both as character data
// and as attribute values.
func TestEscapeTextRoundTrip(t *testing.T) {
	for _, s := range []string{"plain", `all & < > " ' specials`, "multi\nline\twith\r\ncr", "\U00010000 high", "  lead and trail  "} {
		doc := `<a x="` + EscapeText(s) + `">` + EscapeText(s) + `</a>`
		var v struct {
			X    string `xml:"x,attr"`
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		if v.X != s || v.Text != s {
			t.Errorf("round trip of %q: attr %q, text %q", s, v.X, v.Text)
		}
	}
}

func TestEscapeTextNoAllocWhenPlain(t *testing.T) {
	s := "/dav/files/group/some-file.txt"
	if n := testing.AllocsPerRun(100, func() { _ = EscapeText(s) }); n != 0 {
		t.Errorf("EscapeText allocates %v times for a plain string", n)
	}
}

// TestXMLReaderWellFormedness checks the checks the reader adds to RawToken.
func TestXMLReaderWellFormedness(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"ok", `<a xmlns="urn:x"><b/></a>`, true},
		{"ok with prolog and trailing comment", "<?xml version=\"1.0\"?>\n<!-- c --><a/>\n<!-- c -->\n", true},
		{"byte order mark", "\uFEFF<?xml version=\"1.0\"?>\n<a/>", true},
		{"byte order mark after the root", "<a/>\uFEFF", false},
		{"mismatched end", `<a><b></a></b>`, false},
		{"unclosed", `<a><b/>`, false},
		{"two roots", `<a/><b/>`, false},
		{"text after root", `<a/>x`, false},
		{"text before root", `x<a/>`, false},
		{"undeclared element prefix", `<p:a/>`, false},
		{"undeclared attribute prefix", `<a p:x="1"/>`, false},
		{"empty prefixed declaration", `<a xmlns:p=""/>`, false},
		{"rebinding xml", `<a xmlns:xml="urn:x"/>`, false},
		{"binding to the xmlns namespace", `<a xmlns:p="http://www.w3.org/2000/xmlns/"/>`, false},
		{"duplicate attribute through prefixes", `<a xmlns:p="urn:x" xmlns:q="urn:x" p:x="1" q:x="2"/>`, false},
		{"undeclaring default is fine", `<a xmlns="urn:x"><b xmlns=""/></a>`, true},
		{"bad entity", `<a>&nope;</a>`, false},
		{"unsupported encoding", `<?xml version="1.0" encoding="EBCDIC"?><a/>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newXMLReader(strings.NewReader(tt.in))
			var err error
			for err == nil {
				_, err = x.next()
			}
			if ok := err == io.EOF; ok != tt.ok {
				t.Errorf("reading %q ended with %v, want ok=%v", tt.in, err, tt.ok)
			}
		})
	}
}

func TestXMLReaderEmpty(t *testing.T) {
	for _, in := range []string{"", " \r\n\t"} {
		if _, err := newXMLReader(strings.NewReader(in)).next(); err != errEmptyBody {
			t.Errorf("next on %q = %v, want errEmptyBody", in, err)
		}
	}
}

// canonicalElement renders the element whose start tag was just read from d (a plain encoding/xml Decoder,
// with namespaces resolved by encoding/xml) as a prefix-independent string: names as {uri}local,
// attributes sorted, namespace declarations dropped, character data kept exactly. lang is the
// xml:lang in scope from the ancestors; it is recorded on the root when the root has none, so that a
// value whose language was inherited compares equal to one carrying it itself.
func canonicalElement(t *testing.T, d *xml.Decoder, start xml.StartElement, lang string, hasLang bool) string {
	t.Helper()
	var b strings.Builder
	writeStart := func(se xml.StartElement, root bool) {
		b.WriteString("<{" + se.Name.Space + "}" + se.Name.Local)
		var attrs []string
		own := false
		for _, a := range se.Attr {
			if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
				continue
			}
			if a.Name.Space == spaceXML && a.Name.Local == "lang" {
				own = true
			}
			attrs = append(attrs, " {"+a.Name.Space+"}"+a.Name.Local+"="+a.Value)
		}
		if root && !own && hasLang {
			attrs = append(attrs, " {"+spaceXML+"}lang="+lang)
		}
		sort.Strings(attrs)
		b.WriteString(strings.Join(attrs, ""))
		b.WriteString(">")
	}
	writeStart(start, true)
	for depth := 1; depth > 0; {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("canonicalElement: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			writeStart(tok, false)
		case xml.EndElement:
			depth--
			b.WriteString("</>")
		case xml.CharData:
			b.WriteString(string(tok))
		}
	}
	return b.String()
}

// canonicalChildren decodes doc and returns the canonical form of every child element of every element
// named parent, in document order, along with the xml:lang in scope at each parent.
func canonicalChildren(t *testing.T, doc []byte, parent xml.Name) []string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(doc)))
	type frame struct {
		name    xml.Name
		lang    string
		hasLang bool
	}
	var stack []frame
	var out []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("decoding %s: %v", doc, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			f := frame{name: tok.Name}
			if n := len(stack); n > 0 {
				f.lang, f.hasLang = stack[n-1].lang, stack[n-1].hasLang
			}
			if n := len(stack); n > 0 && stack[n-1].name == parent {
				out = append(out, canonicalElement(t, d, tok, f.lang, f.hasLang))
				continue
			}
			for _, a := range tok.Attr {
				if a.Name.Space == spaceXML && a.Name.Local == "lang" {
					f.lang, f.hasLang = a.Value, true
				}
			}
			stack = append(stack, f)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

// TestFragWriterSelfContained checks captured fragments decode on their own, i.e. every prefix they
// use is declared inside them, including when a source prefix is rebound.
func TestFragWriterSelfContained(t *testing.T) {
	in := `<r xmlns:a="urn:a" xmlns:b="urn:b"><a:x b:attr="1"><a:y xmlns:a="urn:other"><b:z/></a:y><a:w/></a:x></r>`
	x := newXMLReader(strings.NewReader(in))
	if _, err := x.next(); err != nil {
		t.Fatal(err)
	}
	tok, err := x.next()
	if err != nil {
		t.Fatal(err)
	}
	frag, err := x.captureElement(tok)
	if err != nil {
		t.Fatal(err)
	}
	want := `<a:x xmlns:a="urn:a" xmlns:b="urn:b" b:attr="1"><ns0:y xmlns:ns0="urn:other"><b:z/></ns0:y><a:w/></a:x>`
	if string(frag) != want {
		t.Errorf("fragment\n got %s\nwant %s", frag, want)
	}
	got := canonicalChildren(t, []byte("<wrap>"+string(frag)+"</wrap>"), xml.Name{Local: "wrap"})
	exp := canonicalChildren(t, []byte(in), xml.Name{Local: "r"})
	if len(got) != 1 || len(exp) != 1 || got[0] != exp[0] {
		t.Errorf("canonical forms differ\n got %q\nwant %q", got, exp)
	}
}
