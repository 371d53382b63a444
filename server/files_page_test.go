package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// signedIn returns a browser signed in as email.
func signedIn(t *testing.T, ts *testServer, email string) *browser {
	b := newBrowser(t, ts.URL, "fr")
	tok := b.form("/login")
	if code, _, _ := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {pw}}); code != 303 {
		t.Fatalf("sign-in %s: %d", email, code)
	}
	return b
}

// TestFilesPage: the folder page lists (names escaped, never run), navigates, offers uploads to
// those who may write; the browser's cookie opens the DAV endpoint the page uploads to, within the
// person's rights.
func TestFilesPage(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/AG%202027", user: anna})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/AG%202027/ordre%20du%20jour.odt", user: anna, body: "odj"})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/%3Cscript%3Ealert(1).txt", user: anna, body: "x"})

	b := signedIn(t, ts, alice)
	code, body, _ := b.do("GET", "/groups/atelier/files", nil)
	if code != 200 || !strings.Contains(body, `id="upload"`) || !strings.Contains(body, "AG 2027/") {
		t.Fatalf("folder page: %d\n%s", code, body)
	}
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;alert(1).txt") {
		t.Fatal("a file name was not escaped")
	}
	code, body, _ = b.do("GET", "/groups/atelier/files?path=/AG%202027", nil)
	if code != 200 || !strings.Contains(body, "ordre du jour.odt") || !strings.Contains(body, "/dav/files/atelier/AG%202027/ordre%20du%20jour.odt") {
		t.Fatalf("subfolder: %d\n%s", code, body)
	}
	if code, _, _ := b.do("GET", "/groups/bureau/files", nil); code != 404 {
		t.Fatalf("another group's page: %d", code)
	}
	// The page's uploads: PUT with the cookie only.
	put := func(b *browser, p string) int {
		r, _ := http.NewRequest("PUT", ts.URL+p, strings.NewReader("déposé par la page"))
		resp, err := b.c.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := put(b, "/dav/files/atelier/AG%202027/budget.ods"); c != 201 {
		t.Fatalf("upload with the session cookie: %d", c)
	}
	if c := put(b, "/dav/files/bureau/x.ods"); c != 404 {
		t.Fatalf("upload to another group with the cookie: %d", c)
	}
	g := signedIn(t, ts, gus)
	if _, body, _ := g.do("GET", "/groups/atelier/files", nil); strings.Contains(body, `id="upload"`) {
		t.Fatal("a guest is offered uploads")
	}
	if c := put(g, "/dav/files/atelier/g.txt"); c != 403 {
		t.Fatalf("a guest's upload with the cookie: %d", c)
	}
	if c := put(newBrowser(t, ts.URL, "fr"), "/dav/files/atelier/anon.txt"); c != 401 {
		t.Fatalf("an upload without any sign-in: %d", c)
	}
}
