package server

import (
	"fmt"
	"strings"
	"testing"
)

// TestHostileXMLBodies: a dead property or a lock owner nested 60,000 deep is refused (400) and
// nothing is stored, so listings stay readable to libxml2 clients; a body past the configured size
// answers 413 on WebDAV and CalDAV, where it used to be cut and answered 400.
func TestHostileXMLBodies(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/cr.txt", user: alice, body: "x"})
	deep := strings.Repeat("<Z:a>", 60000) + "x" + strings.Repeat("</Z:a>", 60000)
	patch := `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:x-test"><D:set><D:prop><Z:note>` + deep +
		`</Z:note></D:prop></D:set></D:propertyupdate>`
	if code, body, _ := ts.do(t, req{method: "PROPPATCH", path: "/dav/files/atelier/cr.txt", user: alice, body: patch}); code != 400 || !strings.Contains(body, "too deep") {
		t.Fatalf("a 60,000-deep property: %d %s", code, body)
	}
	lock := `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:" xmlns:Z="urn:x-test"><D:lockscope><D:exclusive/></D:lockscope>` +
		`<D:locktype><D:write/></D:locktype><D:owner>` + strings.Repeat("<Z:a>", 10000) + strings.Repeat("</Z:a>", 10000) + `</D:owner></D:lockinfo>`
	if code, _, _ := ts.do(t, req{method: "LOCK", path: "/dav/files/atelier/cr.txt", user: alice, body: lock}); code != 400 {
		t.Fatalf("a 10,000-deep lock owner: %d", code)
	}
	ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/", user: alice, headers: []string{"Depth", "1"}})
	body, _ := ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/cr.txt", user: alice, headers: []string{"Depth", "0"},
		body: `<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>`})
	if strings.Contains(body, "urn:x-test") || strings.Contains(body, "lockdiscovery><D:activelock") {
		t.Fatalf("something of the refused bodies was stored:\n%s", body)
	}

	big := `<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><!--` + strings.Repeat("x", 1<<20) + `--><D:allprop/></D:propfind>`
	for _, r := range []req{
		{method: "PROPFIND", path: "/dav/files/atelier/", user: alice, body: big, headers: []string{"Depth", "0"}},
		{method: "PROPPATCH", path: "/dav/files/atelier/cr.txt", user: alice, body: big},
		{method: "REPORT", path: fmt.Sprintf("/dav/calendars/%d/atelier~agenda/", personID(t, ts, alice)), user: alice, body: big},
	} {
		if code, _, _ := ts.do(t, r); code != 413 {
			t.Errorf("%s %s with a body past 1 MiB: %d, want 413", r.method, r.path, code)
		}
	}
}

// TestFileNamesMembersComputersCanStore: names that are not UTF-8, hold control characters or are
// longer than 255 bytes are refused with a message that says so, and nothing is created.
func TestFileNamesMembersComputersCanStore(t *testing.T) {
	ts := newTestServer(t)
	for _, name := range []string{"bip%07.txt", "retour%0Aligne.txt", "latin1-%E9t%E9.txt", strings.Repeat("n", 256) + ".txt"} {
		for _, m := range []string{"PUT", "MKCOL"} {
			code, body, _ := ts.do(t, req{method: m, path: "/dav/files/atelier/" + name, user: alice, body: map[string]string{"PUT": "x"}[m]})
			if code != 400 || !strings.Contains(body, "UTF-8") {
				t.Errorf("%s %.40s: %d %s, want 400 saying why", m, name, code, body)
			}
		}
	}
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/ok.txt", user: alice, body: "x"})
	if code, _, _ := ts.do(t, req{method: "MOVE", path: "/dav/files/atelier/ok.txt", user: alice,
		headers: []string{"Destination", "/dav/files/atelier/bip%07.txt"}}); code != 400 {
		t.Errorf("MOVE to a name with a control character: %d, want 400", code)
	}
	long := strings.Repeat("é", 127) + ".txt" // 258 bytes in UTF-8, 131 characters
	if code, _, _ := ts.do(t, req{method: "PUT", path: "/dav/files/atelier/" + long, user: alice, body: "x"}); code != 400 {
		t.Errorf("a name of 258 bytes: %d, want 400", code)
	}
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/Réunion du 12 · ordre du jour.txt", user: alice, body: "x"})
	listing, _ := ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/", user: alice, headers: []string{"Depth", "1"}})
	if strings.Contains(listing, "bip") || strings.Contains(listing, "nnnnnnnn") {
		t.Fatalf("a refused name was created:\n%s", listing)
	}
}
