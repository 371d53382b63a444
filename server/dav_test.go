package server

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestScenarios runs request sequences through the whole server; each step's status is asserted.
func TestScenarios(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/bureau/secret.txt", user: bob, body: "secret du bureau"})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/a.txt", user: alice, body: "bonjour"})
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/dossier", user: alice})
	steps := []struct {
		name string
		req
		want int
	}{
		{"options without credentials on the root", req{method: "OPTIONS", path: "/"}, 200},
		{"options without credentials on a folder", req{method: "OPTIONS", path: "/dav/files/atelier/"}, 200},
		{"no credentials", req{method: "PROPFIND", path: "/dav/files/", headers: []string{"Depth", "1"}}, 401},
		{"wrong password", req{method: "GET", path: "/dav/files/atelier/a.txt", user: "alice@example.org:x"}, 401},
		{"outsider reads", req{method: "GET", path: "/dav/files/bureau/secret.txt", user: alice}, 404},
		{"outsider lists", req{method: "PROPFIND", path: "/dav/files/bureau/", user: alice, headers: []string{"Depth", "1"}}, 404},
		{"outsider writes", req{method: "PUT", path: "/dav/files/bureau/x.txt", user: alice, body: "x"}, 404},
		{"unknown group", req{method: "PROPFIND", path: "/dav/files/nulle-part/", user: alice, headers: []string{"Depth", "0"}}, 404},
		{"dot-dot", req{method: "GET", path: "/dav/files/atelier/../bureau/secret.txt", user: alice}, 400},
		{"encoded dot-dot", req{method: "GET", path: "/dav/files/atelier/%2e%2e/bureau/secret.txt", user: alice}, 400},
		{"encoded slash", req{method: "GET", path: "/dav/files/atelier/..%2fbureau%2fsecret.txt", user: alice}, 404},
		{"backslash", req{method: "GET", path: "/dav/files/atelier/..%5c..%5cbureau%5csecret.txt", user: alice}, 400},
		{"double slash", req{method: "GET", path: "/dav/files/atelier//a.txt", user: alice}, 400},
		{"copy into another group", req{method: "COPY", path: "/dav/files/atelier/a.txt", user: alice,
			headers: []string{"Destination", "/dav/files/bureau/vol.txt"}}, 403},
		{"copy with dot-dot destination", req{method: "COPY", path: "/dav/files/atelier/a.txt", user: alice,
			headers: []string{"Destination", "/dav/files/atelier/../bureau/vol.txt"}}, 400},
		{"copy to another host", req{method: "COPY", path: "/dav/files/atelier/a.txt", user: alice,
			headers: []string{"Destination", "http://ailleurs.example/dav/files/atelier/b.txt"}}, 502},
		{"move into another group", req{method: "MOVE", path: "/dav/files/atelier/a.txt", user: alice,
			headers: []string{"Destination", "/dav/files/bureau/a.txt"}}, 403},
		{"guest reads", req{method: "GET", path: "/dav/files/atelier/a.txt", user: gus}, 200},
		{"guest writes", req{method: "PUT", path: "/dav/files/atelier/g.txt", user: gus, body: "x"}, 403},
		{"guest deletes", req{method: "DELETE", path: "/dav/files/atelier/a.txt", user: gus}, 403},
		{"guest makes a folder", req{method: "MKCOL", path: "/dav/files/atelier/g", user: gus}, 403},
		{"guest locks", req{method: "LOCK", path: "/dav/files/atelier/a.txt", user: gus, body: lockBody}, 403},
		{"guest moves out", req{method: "MOVE", path: "/dav/files/atelier/a.txt", user: gus,
			headers: []string{"Destination", "/dav/files/atelier/b.txt"}}, 403},
		{"member copies to a group she is in", req{method: "COPY", path: "/dav/files/atelier/a.txt", user: alice,
			headers: []string{"Destination", "/dav/files/commun/a.txt"}}, 201},
		{"member moves a folder to a group she is in", req{method: "MOVE", path: "/dav/files/atelier/dossier", user: alice,
			headers: []string{"Destination", "/dav/files/commun/dossier"}}, 201},
		{"depth infinity refused", req{method: "PROPFIND", path: "/dav/files/atelier/", user: alice, headers: []string{"Depth", "infinity"}}, 403},
		{"range", req{method: "GET", path: "/dav/files/atelier/a.txt", user: alice, headers: []string{"Range", "bytes=3-"}}, 206},
		{"create only, exists", req{method: "PUT", path: "/dav/files/atelier/a.txt", user: alice, body: "x", headers: []string{"If-None-Match", "*"}}, 412},
		{"if-match wrong", req{method: "PUT", path: "/dav/files/atelier/a.txt", user: alice, body: "x", headers: []string{"If-Match", `"nope"`}}, 412},
		{"put without parent", req{method: "PUT", path: "/dav/files/atelier/manque/x.txt", user: alice, body: "x"}, 409},
		{"partial put refused", req{method: "PUT", path: "/dav/files/atelier/a.txt", user: alice, body: "x", headers: []string{"Content-Range", "bytes 0-0/10"}}, 400},
		{"put on a folder", req{method: "PUT", path: "/dav/files/atelier/", user: alice, body: "x"}, 405},
		{"delete the group root", req{method: "DELETE", path: "/dav/files/atelier/", user: alice}, 403},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if strings.Contains(s.user, ":") { // a user with a wrong password
				u, p, _ := strings.Cut(s.user, ":")
				hr, _ := http.NewRequest(s.method, ts.URL+s.path, nil)
				hr.SetBasicAuth(u, p)
				resp, err := http.DefaultClient.Do(hr)
				if err != nil {
					t.Fatal(err)
				}
				said, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != s.want {
					t.Fatalf("status %d, want %d", resp.StatusCode, s.want)
				}
				if !strings.HasPrefix(string(said), "Connexion requise") || !strings.Contains(string(said), "Sign-in required") {
					t.Fatalf("the refusal says %q: French first, then English", said)
				}
				return
			}
			ts.must(t, s.want, s.req)
		})
	}
	// Nothing of the bureau's leaked or changed, and the copies landed.
	body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/bureau/secret.txt", user: bob})
	if body != "secret du bureau" {
		t.Fatalf("bureau's file changed: %q", body)
	}
	ts.must(t, 404, req{method: "GET", path: "/dav/files/bureau/vol.txt", user: bob})
	ts.must(t, 200, req{method: "GET", path: "/dav/files/commun/a.txt", user: alice})
	ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/commun/dossier/", user: alice, headers: []string{"Depth", "0"}})
}

const lockBody = `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>test</D:owner></D:lockinfo>`

// TestGroupListOnlyMine checks that /dav/files/ lists the caller's groups and no other.
func TestGroupListOnlyMine(t *testing.T) {
	ts := newTestServer(t)
	body, _ := ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/", user: alice, headers: []string{"Depth", "1"}})
	for _, want := range []string{"/dav/files/atelier/", "/dav/files/commun/"} {
		if !strings.Contains(body, want) {
			t.Errorf("listing lacks %s", want)
		}
	}
	if strings.Contains(body, "bureau") {
		t.Errorf("listing shows a group alice is not in:\n%s", body)
	}
}

// TestPropfindProperties checks the live properties clients rely on, including quota and locks.
func TestPropfindProperties(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/compte-rendu.odt", user: alice, body: "12345"})
	body, _ := ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/", user: alice, headers: []string{"Depth", "1"},
		body: `<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:creationdate/><D:displayname/><D:getcontenttype/>
		<D:quota-available-bytes/><D:quota-used-bytes/><D:supportedlock/><D:lockdiscovery/><D:getcontentlength/></D:prop></D:propfind>`})
	for _, want := range []string{"<D:quota-used-bytes>5</D:quota-used-bytes>", "<D:displayname>compte-rendu.odt</D:displayname>",
		"<D:getcontenttype>application/vnd.oasis.opendocument.text</D:getcontenttype>", "<D:quota-available-bytes>", "<D:creationdate>20",
		"<D:displayname>Atelier</D:displayname>", "<D:exclusive/>"} {
		if !strings.Contains(body, want) {
			t.Errorf("PROPFIND lacks %s:\n%s", want, body)
		}
	}
	body, _ = ts.must(t, 403, req{method: "PROPFIND", path: "/dav/files/atelier/", user: alice})
	if !strings.Contains(body, "propfind-finite-depth") {
		t.Errorf("no propfind-finite-depth condition: %s", body)
	}
}

// TestWindowsProppatch checks the Win32 properties Windows sets after each upload succeed and set
// the modification time.
func TestWindowsProppatch(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/w.docx", user: alice, body: "x"})
	body, _ := ts.must(t, 207, req{method: "PROPPATCH", path: "/dav/files/atelier/w.docx", user: alice, body: `<?xml version="1.0" encoding="utf-8" ?>
<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop>
<Z:Win32CreationTime>Mon, 02 Mar 2026 10:00:00 GMT</Z:Win32CreationTime>
<Z:Win32LastAccessTime>Mon, 02 Mar 2026 10:00:00 GMT</Z:Win32LastAccessTime>
<Z:Win32LastModifiedTime>Mon, 02 Mar 2026 10:00:00 GMT</Z:Win32LastModifiedTime>
<Z:Win32FileAttributes>00000020</Z:Win32FileAttributes>
</D:prop></D:set></D:propertyupdate>`})
	if strings.Contains(body, "403") || !strings.Contains(body, "200 OK") {
		t.Fatalf("Win32 properties refused:\n%s", body)
	}
	body, _ = ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/w.docx", user: alice, headers: []string{"Depth", "0"}})
	if !strings.Contains(body, "Mon, 02 Mar 2026 10:00:00 GMT") || !strings.Contains(body, "Win32FileAttributes") {
		t.Fatalf("modification time or dead property not kept:\n%s", body)
	}
}

// TestReportAtTheRoot: a client given only the server's address sends its reports (a principal
// search) to "/" as it sends PROPFIND there; the CalDAV handler answers, in XML, not the web pages.
func TestReportAtTheRoot(t *testing.T) {
	ts := newTestServer(t)
	body := `<?xml version="1.0"?><D:principal-property-search xmlns:D="DAV:"><D:property-search><D:prop><D:displayname/></D:prop>` +
		`<D:match>ali</D:match></D:property-search><D:prop><D:displayname/></D:prop></D:principal-property-search>`
	code, out, h := ts.do(t, req{method: "REPORT", path: "/", user: alice, body: body, headers: []string{"Content-Type", "application/xml", "Depth", "0"}})
	if !strings.Contains(h.Get("Content-Type"), "xml") || code == 400 {
		t.Fatalf("REPORT /: %d %s\n%s", code, h.Get("Content-Type"), out)
	}
	if code, _, _ := ts.do(t, req{method: "REPORT", path: "/", body: body}); code != 401 {
		t.Fatalf("REPORT / without credentials: %d, want 401", code)
	}
}
