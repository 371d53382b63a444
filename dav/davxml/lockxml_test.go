package davxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseLockInfo(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		want        LockInfo
		wantRefresh bool
	}{
		{"empty body is a refresh", "", LockInfo{}, true},
		{"white space body is a refresh", " \n", LockInfo{}, true},
		{"RFC 4918 §9.10.7 exclusive with owner href",
			`<?xml version="1.0" encoding="utf-8" ?>
<D:lockinfo xmlns:D='DAV:'>
  <D:lockscope><D:exclusive/></D:lockscope>
  <D:locktype><D:write/></D:locktype>
  <D:owner>
    <D:href>http://example.org/~ejw/contact.html</D:href>
  </D:owner>
</D:lockinfo>`,
			LockInfo{Exclusive: true, Owner: []byte(`<D:owner xmlns:D="DAV:">
    <D:href>http://example.org/~ejw/contact.html</D:href>
  </D:owner>`)}, false},
		{"shared without owner", `<D:lockinfo xmlns:D="DAV:"><D:locktype><D:write/></D:locktype><D:lockscope><D:shared/></D:lockscope></D:lockinfo>`,
			LockInfo{}, false},
		{"litmus style: default namespace, text owner",
			`<lockinfo xmlns="DAV:"><lockscope><exclusive/></lockscope><locktype><write/></locktype><owner>litmus test suite &amp; co</owner></lockinfo>`,
			LockInfo{Exclusive: true, Owner: []byte(`<D:owner xmlns:D="DAV:">litmus test suite &amp; co</D:owner>`)}, false},
		{"owner with a foreign namespace child and xml:lang",
			`<D:lockinfo xmlns:D="DAV:" xml:lang="fr"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner><x:name xmlns:x="urn:x">Zoé</x:name></D:owner></D:lockinfo>`,
			LockInfo{Exclusive: true, Owner: []byte(`<D:owner xmlns:D="DAV:" xml:lang="fr"><x:name xmlns:x="urn:x">Zoé</x:name></D:owner>`)}, false},
		{"empty owner", `<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner/></D:lockinfo>`,
			LockInfo{Owner: []byte(`<D:owner xmlns:D="DAV:"/>`)}, false},
		{"unknown elements ignored", `<D:lockinfo xmlns:D="DAV:"><X:ext xmlns:X="urn:x"><D:locktype><D:read/></D:locktype></X:ext><D:future/><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>`,
			LockInfo{Exclusive: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, refresh, err := ParseLockInfo(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ParseLockInfo: %v", err)
			}
			if refresh != tt.wantRefresh {
				t.Errorf("refresh = %v, want %v", refresh, tt.wantRefresh)
			}
			if got.Exclusive != tt.want.Exclusive {
				t.Errorf("Exclusive = %v, want %v", got.Exclusive, tt.want.Exclusive)
			}
			if !bytes.Equal(got.Owner, tt.want.Owner) || (got.Owner == nil) != (tt.want.Owner == nil) {
				t.Errorf("Owner\n got %q\nwant %q", got.Owner, tt.want.Owner)
			}
		})
	}
}

func TestParseLockInfoErrors(t *testing.T) {
	const scope = `<D:lockscope><D:exclusive/></D:lockscope>`
	const typ = `<D:locktype><D:write/></D:locktype>`
	wrap := func(s string) string { return `<D:lockinfo xmlns:D="DAV:">` + s + `</D:lockinfo>` }
	tests := []struct{ name, in string }{
		{"garbage", "lock please"},
		{"truncated", `<D:lockinfo xmlns:D="DAV:"><D:lockscope>`},
		{"wrong root", `<D:propfind xmlns:D="DAV:">` + scope + typ + `</D:propfind>`},
		{"bad locktype", wrap(scope + `<D:locktype><D:read/></D:locktype>`)},
		{"locktype write in another namespace", wrap(scope + `<D:locktype><write xmlns="urn:x"/></D:locktype>`)},
		{"empty locktype", wrap(scope + `<D:locktype/>`)},
		{"two locktypes in one", wrap(scope + `<D:locktype><D:write/><D:write/></D:locktype>`)},
		{"missing locktype", wrap(scope)},
		{"missing lockscope", wrap(typ)},
		{"empty lockscope", wrap(`<D:lockscope/>` + typ)},
		{"both scopes", wrap(`<D:lockscope><D:exclusive/><D:shared/></D:lockscope>` + typ)},
		{"unknown scope", wrap(`<D:lockscope><D:partial/></D:lockscope>` + typ)},
		{"repeated lockscope", wrap(scope + scope + typ)},
		{"repeated owner", wrap(scope + typ + `<D:owner>a</D:owner><D:owner>b</D:owner>`)},
		{"undeclared prefix in owner", wrap(scope + typ + `<D:owner><x:y/></D:owner>`)},
		{"empty lockinfo", wrap("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, refresh, err := ParseLockInfo(strings.NewReader(tt.in))
			if err == nil {
				t.Errorf("ParseLockInfo(%q) = %+v, %v, want an error", tt.in, info, refresh)
			}
			if refresh {
				t.Errorf("ParseLockInfo(%q) reports a refresh along with an error", tt.in)
			}
		})
	}
}

// msActiveLock is what a client decodes from an activelock element.
type msActiveLock struct {
	Exclusive *struct{} `xml:"DAV: lockscope>exclusive"`
	Shared    *struct{} `xml:"DAV: lockscope>shared"`
	Write     *struct{} `xml:"DAV: locktype>write"`
	Depth     string    `xml:"DAV: depth"`
	Owner     *struct {
		Inner string `xml:",innerxml"`
	} `xml:"DAV: owner"`
	Timeout   string `xml:"DAV: timeout"`
	LockToken string `xml:"DAV: locktoken>href"`
	LockRoot  string `xml:"DAV: lockroot>href"`
}

func TestLockDiscoveryXML(t *testing.T) {
	owner := []byte(`<D:owner xmlns:D="DAV:"><D:href>mailto:a@example.org</D:href></D:owner>`)
	tests := []struct {
		name string
		lock ActiveLock
		want msActiveLock
	}{
		{"exclusive infinite with owner",
			ActiveLock{Token: "opaquelocktoken:f81d4fae-7dec", Root: "/dav/files/g/a%20b.txt", Exclusive: true, Infinite: true, Owner: owner, Timeout: time.Hour},
			msActiveLock{Exclusive: &struct{}{}, Write: &struct{}{}, Depth: "infinity", Timeout: "Second-3600", LockToken: "opaquelocktoken:f81d4fae-7dec", LockRoot: "/dav/files/g/a%20b.txt"}},
		{"shared depth 0, infinite timeout, no owner",
			ActiveLock{Token: "urn:uuid:1", Root: "/r&d/", Timeout: 0},
			msActiveLock{Shared: &struct{}{}, Write: &struct{}{}, Depth: "0", Timeout: "Infinite", LockToken: "urn:uuid:1", LockRoot: "/r&d/"}},
		{"negative timeout is infinite",
			ActiveLock{Token: "urn:uuid:2", Root: "/", Timeout: -time.Second},
			msActiveLock{Shared: &struct{}{}, Write: &struct{}{}, Depth: "0", Timeout: "Infinite", LockToken: "urn:uuid:2", LockRoot: "/"}},
		{"partial seconds round up",
			ActiveLock{Token: "urn:uuid:3", Root: "/", Timeout: 1500 * time.Millisecond},
			msActiveLock{Shared: &struct{}{}, Write: &struct{}{}, Depth: "0", Timeout: "Second-2", LockToken: "urn:uuid:3", LockRoot: "/"}},
		{"huge timeout capped at 2^32-1",
			ActiveLock{Token: "urn:uuid:4", Root: "/", Timeout: 200 * 365 * 24 * time.Hour},
			msActiveLock{Shared: &struct{}{}, Write: &struct{}{}, Depth: "0", Timeout: "Second-4294967295", LockToken: "urn:uuid:4", LockRoot: "/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inner := LockDiscoveryXML([]ActiveLock{tt.lock})
			doc := `<D:lockdiscovery xmlns:D="DAV:">` + string(inner) + `</D:lockdiscovery>`
			var got struct {
				Locks []msActiveLock `xml:"DAV: activelock"`
			}
			if err := xml.Unmarshal([]byte(doc), &got); err != nil {
				t.Fatalf("output is not well-formed: %v\n%s", err, doc)
			}
			if len(got.Locks) != 1 {
				t.Fatalf("got %d activelock elements, want 1:\n%s", len(got.Locks), doc)
			}
			g := got.Locks[0]
			if (g.Owner != nil) != (tt.lock.Owner != nil) {
				t.Errorf("owner present = %v, want %v", g.Owner != nil, tt.lock.Owner != nil)
			} else if g.Owner != nil && !strings.Contains(g.Owner.Inner, "mailto:a@example.org") {
				t.Errorf("owner content lost: %q", g.Owner.Inner)
			}
			g.Owner = nil
			if g != tt.want {
				t.Errorf("got %+v\nwant %+v\n%s", g, tt.want, doc)
			}
		})
	}
}

func TestLockDiscoveryXMLSeveral(t *testing.T) {
	if got := LockDiscoveryXML(nil); len(got) != 0 {
		t.Errorf("no locks gave %q", got)
	}
	locks := []ActiveLock{{Token: "urn:uuid:a", Root: "/a"}, {Token: "urn:uuid:b", Root: "/b", Exclusive: true}}
	doc := `<D:lockdiscovery xmlns:D="DAV:">` + string(LockDiscoveryXML(locks)) + `</D:lockdiscovery>`
	var got struct {
		Locks []msActiveLock `xml:"DAV: activelock"`
	}
	if err := xml.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Locks) != 2 || got.Locks[0].LockToken != "urn:uuid:a" || got.Locks[1].LockToken != "urn:uuid:b" || got.Locks[1].Exclusive == nil {
		t.Errorf("got %+v", got.Locks)
	}
}

func TestSupportedLockXML(t *testing.T) {
	b := SupportedLockXML()
	doc := `<D:supportedlock xmlns:D="DAV:">` + string(b) + `</D:supportedlock>`
	var got struct {
		Entries []struct {
			Exclusive *struct{} `xml:"DAV: lockscope>exclusive"`
			Shared    *struct{} `xml:"DAV: lockscope>shared"`
			Write     *struct{} `xml:"DAV: locktype>write"`
		} `xml:"DAV: lockentry"`
	}
	if err := xml.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != 2 {
		t.Fatalf("got %d lockentries, want 2", len(got.Entries))
	}
	if got.Entries[0].Exclusive == nil || got.Entries[1].Shared == nil || got.Entries[0].Write == nil || got.Entries[1].Write == nil {
		t.Errorf("unexpected entries in %s", doc)
	}
	b[0] = 'X'
	if SupportedLockXML()[0] != '<' {
		t.Error("SupportedLockXML returns a shared slice")
	}
}

func TestWriteLockResponse(t *testing.T) {
	// The owner is what ParseLockInfo stored, with a prefix other than D bound to DAV: inside, to
	// check that the stored fragment does not depend on the response's own declarations.
	info, _, err := ParseLockInfo(strings.NewReader(`<lockinfo xmlns="DAV:"><lockscope><exclusive/></lockscope><locktype><write/></locktype><owner><href>http://example.org/~ejw/</href></owner></lockinfo>`))
	if err != nil {
		t.Fatal(err)
	}
	lock := ActiveLock{Token: "opaquelocktoken:e71d4fae-5dec-22d6-fea5-00a0c91e6be4", Root: "/workspace/webdav/proposal.doc",
		Exclusive: true, Infinite: true, Owner: info.Owner, Timeout: 604800 * time.Second}
	var out bytes.Buffer
	if err := WriteLockResponse(&out, lock); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), `<?xml version="1.0" encoding="utf-8"?>`) {
		t.Errorf("missing XML declaration: %q", out.String())
	}
	var got struct {
		XMLName xml.Name
		Locks   []msActiveLock `xml:"DAV: lockdiscovery>activelock"`
	}
	if err := xml.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, out.Bytes())
	}
	if got.XMLName != (xml.Name{Space: "DAV:", Local: "prop"}) {
		t.Errorf("root is %v, want {DAV: prop}", got.XMLName)
	}
	if len(got.Locks) != 1 {
		t.Fatalf("got %d activelocks\n%s", len(got.Locks), out.Bytes())
	}
	g := got.Locks[0]
	if g.Exclusive == nil || g.Write == nil || g.Depth != "infinity" || g.Timeout != "Second-604800" ||
		g.LockToken != lock.Token || g.LockRoot != lock.Root {
		t.Errorf("got %+v\n%s", g, out.Bytes())
	}
	owners := canonicalChildren(t, out.Bytes(), xml.Name{Space: "DAV:", Local: "activelock"})
	want := "<{DAV:}owner><{DAV:}href>http://example.org/~ejw/</></>"
	found := false
	for _, o := range owners {
		found = found || o == want
	}
	if !found {
		t.Errorf("owner not found as %q among %q", want, owners)
	}
}

type codecFailWriter struct{}

func (codecFailWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteLockResponseError(t *testing.T) {
	if err := WriteLockResponse(codecFailWriter{}, ActiveLock{Token: "urn:uuid:x", Root: "/"}); err == nil {
		t.Error("write error not reported")
	}
}
