package davxml

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
)

// Structures a client would decode a multistatus into.
type msAny struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Inner   string     `xml:",innerxml"`
}

type msChildren struct {
	Children []msAny `xml:",any"`
}

type msPropstat struct {
	Prop   msChildren  `xml:"DAV: prop"`
	Status string      `xml:"DAV: status"`
	Error  *msChildren `xml:"DAV: error"`
}

type msResponse struct {
	Href      []string     `xml:"DAV: href"`
	Propstats []msPropstat `xml:"DAV: propstat"`
	Status    string       `xml:"DAV: status"`
	Error     *msChildren  `xml:"DAV: error"`
}

type msMultistatus struct {
	XMLName   xml.Name     `xml:"DAV: multistatus"`
	Responses []msResponse `xml:"DAV: response"`
}

func decodeMultistatus(t *testing.T, b []byte) msMultistatus {
	t.Helper()
	var ms msMultistatus
	if err := xml.Unmarshal(b, &ms); err != nil {
		t.Fatalf("multistatus is not well-formed: %v\n%s", err, b)
	}
	return ms
}

func TestMultistatusWriter(t *testing.T) {
	var out bytes.Buffer
	m := NewMultistatusWriter(&out)
	if out.Len() != 0 {
		t.Fatalf("NewMultistatusWriter wrote %q before first use", out.String())
	}
	err := m.Propstats("/dav/files/g/a%20b&c.txt", []Propstat{
		{Status: 200, Props: []Prop{
			{Name: Name{"DAV:", "getetag"}, Value: []byte(`"abc"`)},
			{Name: Name{"DAV:", "resourcetype"}},
			{Name: Name{"DAV:", "lockdiscovery"}, Value: LockDiscoveryXML([]ActiveLock{{Token: "urn:uuid:1", Root: "/dav/files/g/"}})},
			{Name: Name{"http://example.com/ns/a", "x"}, Value: []byte("1 &lt; 2")},
			{Name: Name{"http://example.com/ns/b", "y"}},
			{Name: Name{"http://example.com/ns/a", "z"}, Value: []byte(`<D:href>/x</D:href>`)},
			{Name: Name{"", "nons"}, Value: []byte("v")},
			{Name: Name{"urn:q\"&<", "odd"}},
			{Name: Name{"urn:raw", "r"}, Value: []byte(`<ns0:r xmlns:ns0="urn:raw" xml:lang="fr">é</ns0:r>`), Raw: true},
			{Name: Name{"urn:raw", "empty"}, Raw: true},
		}},
		{Status: 404, Props: []Prop{{Name: Name{"urn:none", "missing"}}}},
		{Status: 403, Props: []Prop{{Name: Name{"DAV:", "getetag"}}}, Error: []byte(`<D:cannot-modify-protected-property/>`)},
		{Status: 424},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Status("/dav/files/g/locked", 423, []byte(`<D:lock-token-submitted><D:href>/dav/files/g/locked</D:href></D:lock-token-submitted>`)); err != nil {
		t.Fatal(err)
	}
	if err := m.Status("/dav/files/g/gone", 404, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.HasPrefix(s, `<?xml version="1.0" encoding="utf-8"?>`+"\n"+`<D:multistatus xmlns:D="DAV:">`) {
		t.Errorf("unexpected document start: %.80q", s)
	}
	// The writing rules, checked on the text itself.
	for _, sub := range []string{
		`<D:href>/dav/files/g/a%20b&amp;c.txt</D:href>`,
		`<D:getetag>"abc"</D:getetag>`,
		`<D:resourcetype/>`,
		`<ns0:x xmlns:ns0="http://example.com/ns/a">1 &lt; 2</ns0:x>`,
		`<ns1:y xmlns:ns1="http://example.com/ns/b"/>`,
		`<ns0:z xmlns:ns0="http://example.com/ns/a"><D:href>/x</D:href></ns0:z>`,
		`<nons xmlns="">v</nons>`,
		`<ns2:odd xmlns:ns2="urn:q&#34;&amp;&lt;"/>`,
		`<ns0:r xmlns:ns0="urn:raw" xml:lang="fr">é</ns0:r>`,
		`<ns3:empty xmlns:ns3="urn:raw"/>`,
		`<D:status>HTTP/1.1 200 OK</D:status>`,
		`<D:status>HTTP/1.1 404 Not Found</D:status>`,
		`<D:status>HTTP/1.1 424 Failed Dependency</D:status>`,
		`<D:prop/><D:status>HTTP/1.1 424`,
	} {
		if !strings.Contains(s, sub) {
			t.Errorf("output lacks %s\n%s", sub, s)
		}
	}

	ms := decodeMultistatus(t, out.Bytes())
	if len(ms.Responses) != 3 {
		t.Fatalf("got %d responses, want 3", len(ms.Responses))
	}
	r := ms.Responses[0]
	if len(r.Href) != 1 || r.Href[0] != "/dav/files/g/a%20b&c.txt" {
		t.Errorf("href = %q", r.Href)
	}
	if len(r.Propstats) != 4 {
		t.Fatalf("got %d propstats, want 4", len(r.Propstats))
	}
	wantNames := []xml.Name{
		{Space: "DAV:", Local: "getetag"}, {Space: "DAV:", Local: "resourcetype"}, {Space: "DAV:", Local: "lockdiscovery"},
		{Space: "http://example.com/ns/a", Local: "x"}, {Space: "http://example.com/ns/b", Local: "y"},
		{Space: "http://example.com/ns/a", Local: "z"}, {Space: "", Local: "nons"}, {Space: "urn:q\"&<", Local: "odd"},
		{Space: "urn:raw", Local: "r"}, {Space: "urn:raw", Local: "empty"},
	}
	got := r.Propstats[0].Prop.Children
	if len(got) != len(wantNames) {
		t.Fatalf("got %d props, want %d", len(got), len(wantNames))
	}
	for i, w := range wantNames {
		if got[i].XMLName != w {
			t.Errorf("prop %d is %v, want %v", i, got[i].XMLName, w)
		}
	}
	if got[0].Inner != `"abc"` || got[3].Inner != "1 &lt; 2" {
		t.Errorf("values: getetag %q, x %q", got[0].Inner, got[3].Inner)
	}
	if !strings.Contains(got[2].Inner, "urn:uuid:1") {
		t.Errorf("lockdiscovery value lost: %q", got[2].Inner)
	}
	if st := r.Propstats[1].Status; st != "HTTP/1.1 404 Not Found" {
		t.Errorf("second propstat status %q", st)
	}
	if e := r.Propstats[2].Error; e == nil || len(e.Children) != 1 || e.Children[0].XMLName != (xml.Name{Space: "DAV:", Local: "cannot-modify-protected-property"}) {
		t.Errorf("propstat error = %+v", e)
	}
	if r.Propstats[0].Error != nil {
		t.Errorf("unexpected error element in the 200 propstat")
	}
	if r := ms.Responses[1]; r.Status != "HTTP/1.1 423 Locked" || r.Error == nil || len(r.Error.Children) != 1 ||
		r.Error.Children[0].XMLName.Local != "lock-token-submitted" || len(r.Propstats) != 0 {
		t.Errorf("status response = %+v", r)
	}
	if r := ms.Responses[2]; r.Status != "HTTP/1.1 404 Not Found" || r.Error != nil || r.Href[0] != "/dav/files/g/gone" {
		t.Errorf("status response = %+v", r)
	}
}

func TestMultistatusWriterEmptyAndClosed(t *testing.T) {
	var out bytes.Buffer
	m := NewMultistatusWriter(&out)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	ms := decodeMultistatus(t, out.Bytes())
	if len(ms.Responses) != 0 {
		t.Errorf("got %d responses from an empty writer", len(ms.Responses))
	}
	n := out.Len()
	if err := m.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := m.Status("/x", 200, nil); err == nil {
		t.Error("Status after Close did not fail")
	}
	if err := m.Propstats("/x", []Propstat{{Status: 200}}); err == nil {
		t.Error("Propstats after Close did not fail")
	}
	if out.Len() != n {
		t.Errorf("writes after Close reached the output: %q", out.String()[n:])
	}
}

func TestMultistatusWriterStatusLines(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{200, "HTTP/1.1 200 OK"},
		{207, "HTTP/1.1 207 Multi-Status"},
		{403, "HTTP/1.1 403 Forbidden"},
		{409, "HTTP/1.1 409 Conflict"},
		{412, "HTTP/1.1 412 Precondition Failed"},
		{423, "HTTP/1.1 423 Locked"},
		{424, "HTTP/1.1 424 Failed Dependency"},
		{507, "HTTP/1.1 507 Insufficient Storage"},
		{599, "HTTP/1.1 599 "},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		m := NewMultistatusWriter(&out)
		if err := m.Status("/", tt.code, nil); err != nil {
			t.Fatal(err)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		ms := decodeMultistatus(t, out.Bytes())
		if len(ms.Responses) != 1 || ms.Responses[0].Status != tt.want {
			t.Errorf("code %d: got %+v, want status %q", tt.code, ms.Responses, tt.want)
		}
	}
}

// codecErrAfter fails every write once n bytes have been accepted.
type codecErrAfter struct{ n int }

func (w *codecErrAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, io.ErrShortWrite
	}
	w.n -= len(p)
	return len(p), nil
}

func TestMultistatusWriterErrors(t *testing.T) {
	m := NewMultistatusWriter(&codecErrAfter{n: 100})
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = m.Status("/dav/files/g/file-"+strconv.Itoa(i), 404, nil)
	}
	if err == nil {
		t.Fatal("write error never reported while streaming")
	}
	if err2 := m.Status("/x", 200, nil); err2 == nil {
		t.Error("error is not sticky")
	}
	if err := m.Close(); err == nil {
		t.Error("Close does not report the write error")
	}

	// An error that only shows on the final flush.
	m = NewMultistatusWriter(&codecErrAfter{n: 10})
	if err := m.Status("/a", 200, nil); err != nil {
		t.Fatalf("buffered write failed early: %v", err)
	}
	if err := m.Close(); err == nil {
		t.Error("Close does not report the flush error")
	}
}

// codecCountingWriter records how many bytes have reached it.
type codecCountingWriter struct{ n int }

func (w *codecCountingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func typicalPropstats() []Propstat {
	return []Propstat{
		{Status: 200, Props: []Prop{
			{Name: Name{"DAV:", "displayname"}, Value: []byte("report-2024.odt")},
			{Name: Name{"DAV:", "getcontentlength"}, Value: []byte("123456")},
			{Name: Name{"DAV:", "getcontenttype"}, Value: []byte("application/vnd.oasis.opendocument.text")},
			{Name: Name{"DAV:", "getetag"}, Value: []byte(`"5f2b-1a3c"`)},
			{Name: Name{"DAV:", "getlastmodified"}, Value: []byte("Mon, 12 Jan 2026 10:00:00 GMT")},
			{Name: Name{"DAV:", "resourcetype"}},
			{Name: Name{"DAV:", "supportedlock"}, Value: []byte(SupportedLockInner)},
			{Name: Name{"http://apache.org/dav/props/", "executable"}, Value: []byte("F")},
			{Name: Name{"urn:dead", "p"}, Value: []byte(`<ns0:p xmlns:ns0="urn:dead">v</ns0:p>`), Raw: true},
		}},
		{Status: 404, Props: []Prop{{Name: Name{"urn:x", "missing"}}}},
	}
}

// TestMultistatusWriterStreams checks that a large listing reaches the underlying writer while it is
// being written (memory stays bounded), that the result is well-formed, and that writing a response
// does not allocate.
func TestMultistatusWriterStreams(t *testing.T) {
	const n = 10000
	var out bytes.Buffer
	cw := &codecCountingWriter{}
	m := NewMultistatusWriter(io.MultiWriter(&out, cw))
	ps := typicalPropstats()
	href := make([]byte, 0, 64)
	for i := 0; i < n; i++ {
		href = strconv.AppendInt(append(href[:0], "/dav/files/g/dir/file-"...), int64(i), 10)
		if err := m.Propstats(string(href), ps); err != nil {
			t.Fatal(err)
		}
		if i == n/2 && cw.n == 0 {
			t.Fatal("nothing reached the writer after 5,000 responses: the output is not streamed")
		}
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if cw.n != out.Len() {
		t.Fatalf("counting writer saw %d bytes, buffer %d", cw.n, out.Len())
	}
	ms := decodeMultistatus(t, out.Bytes())
	if len(ms.Responses) != n {
		t.Fatalf("decoded %d responses, want %d", len(ms.Responses), n)
	}
	if last := ms.Responses[n-1]; last.Href[0] != "/dav/files/g/dir/file-9999" || len(last.Propstats) != 2 || len(last.Propstats[0].Prop.Children) != 9 {
		t.Errorf("last response = %+v", last)
	}

	m = NewMultistatusWriter(io.Discard)
	if allocs := testing.AllocsPerRun(200, func() { _ = m.Propstats("/dav/files/g/dir/file", ps) }); allocs != 0 {
		t.Errorf("Propstats allocates %v times per response", allocs)
	}
}

func BenchmarkMultistatus10000(b *testing.B) {
	ps := typicalPropstats()
	hrefs := make([]string, 10000)
	for i := range hrefs {
		hrefs[i] = "/dav/files/g/dir/file-" + strconv.Itoa(i) + ".odt"
	}
	b.ReportAllocs()
	for b.Loop() {
		m := NewMultistatusWriter(io.Discard)
		for _, h := range hrefs {
			if err := m.Propstats(h, ps); err != nil {
				b.Fatal(err)
			}
		}
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
