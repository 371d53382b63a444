package server

import (
	"archive/zip"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"parvis/locale"
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
	if !strings.Contains(body, "<title>Fichiers · Atelier · Parvis</title>") {
		t.Error("the window's title does not name the group")
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

// TestFilesPageSort: the listing sorts by name, size or date on the server, folders always first.
func TestFilesPageSort(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/zeta", user: anna})
	for _, f := range []struct{ name, body string }{{"b.txt", "1234567890"}, {"A.txt", "12345"}, {"c.txt", "1"}} {
		ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/" + f.name, user: anna, body: f.body})
		time.Sleep(5 * time.Millisecond) // distinct modification times
	}
	b := signedIn(t, ts, alice)
	order := func(query string) string {
		body := mustGet(t, b, "/groups/atelier/files"+query)
		names := []string{"zeta/", "A.txt", "b.txt", "c.txt"}
		for _, n := range names {
			if !strings.Contains(body, ">"+n+"<") {
				t.Fatalf("%s missing from %q", n, query)
			}
		}
		sort.Slice(names, func(i, j int) bool {
			return strings.Index(body, ">"+names[i]+"<") < strings.Index(body, ">"+names[j]+"<")
		})
		return strings.Join(names, ",")
	}
	for query, want := range map[string]string{
		"":                      "zeta/,A.txt,b.txt,c.txt",
		"?sort=name&order=desc": "zeta/,c.txt,b.txt,A.txt",
		"?sort=size":            "zeta/,c.txt,A.txt,b.txt",
		"?sort=size&order=desc": "zeta/,b.txt,A.txt,c.txt",
		"?sort=date":            "zeta/,b.txt,A.txt,c.txt",
		"?sort=date&order=desc": "zeta/,c.txt,A.txt,b.txt",
	} {
		if got := order(query); got != want {
			t.Errorf("order %q: %s, want %s", query, got, want)
		}
	}
}

// TestFolderZip: a folder downloads as one streamed zip holding its files byte for byte; a reader of
// a group's publications zips a published folder only; an outsider gets 404.
func TestFolderZip(t *testing.T) {
	ts := newTestServer(t)
	for _, p := range []string{"Docs", "Docs/public", "Docs/priv%C3%A9"} {
		ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/" + p, user: anna})
	}
	big := strings.Repeat("0123456789", 300_000)
	files := map[string]string{"Docs/public/été.txt": "ouvert à tous", "Docs/public/gros.bin": big, "Docs/privé/notes.txt": "interne", "Docs/lettre.odt": "lettre"}
	for p, body := range files {
		ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/" + (&url.URL{Path: p}).EscapedPath(), user: anna, body: body})
	}
	entries := func(body string) map[string]string {
		t.Helper()
		zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatalf("not a zip: %v", err)
		}
		out := map[string]string{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			out[f.Name] = string(b)
		}
		return out
	}
	b := signedIn(t, ts, alice)
	code, body, h := b.do("GET", "/dav/files/atelier/Docs/?zip", nil)
	if code != 200 || h.Get("Content-Type") != "application/zip" || !strings.Contains(h.Get("Content-Disposition"), "Docs.zip") {
		t.Fatalf("zip: %d %v", code, h)
	}
	got := entries(body)
	for p, want := range files {
		if name := strings.TrimPrefix(p, "Docs/"); got[name] != want {
			t.Errorf("%s: %d bytes, want %d", name, len(got[name]), len(want))
		}
	}
	if _, ok := got["public/"]; !ok || len(got) != 6 {
		t.Errorf("entries: %d, folders missing?", len(got))
	}
	// bob reads what atelier publishes to bureau, nothing else: the zip of the published folder,
	// not of the folders on the way to it.
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/publications", anna, `{"path": "/Docs/public", "audience": "bureau"}`, nil)
	reader := signedIn(t, ts, bob)
	code, body, _ = reader.do("GET", "/dav/files/atelier/Docs/public/?zip", nil)
	if code != 200 {
		t.Fatalf("reader's zip: %d", code)
	}
	got = entries(body)
	if got["été.txt"] != "ouvert à tous" || len(got) != 2 {
		t.Fatalf("a reader's zip holds more or less than the publication: %v", keys(got))
	}
	for _, dir := range []string{"/", "/Docs/"} {
		if code, _, _ := reader.do("GET", "/dav/files/atelier"+dir+"?zip", nil); code != 404 {
			t.Fatalf("reader's zip of %s: %d", dir, code)
		}
	}
	ts.must(t, 404, req{method: "GET", path: "/dav/files/bureau/?zip", user: alice})
	ts.must(t, 404, req{method: "GET", path: "/dav/files/atelier/Docs/lettre.odt?zip", user: alice})
	ts.must(t, 401, req{method: "GET", path: "/dav/files/atelier/?zip"})
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestFileItemAndTrashPages: a file's page lists its previous versions with their downloads and its
// share links, the folders it may move to; the trash page says what was deleted, where and by whom;
// guests read a file's page without the controls and may not open the trash; outsiders get 404.
func TestFileItemAndTrashPages(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/Archives", user: anna})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/%3Cscript%3E.txt", user: anna, body: "v1"})
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/atelier/%3Cscript%3E.txt", user: alice, body: "version 2"})
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/shares", anna, `{"path": "/<script>.txt", "password": "secret", "expires": "2099-12-31"}`, nil)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/vieux.txt", user: anna, body: "à jeter"})
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/vieux.txt", user: alice})

	b := signedIn(t, ts, alice)
	body := mustGet(t, b, "/groups/atelier/item?path="+url.QueryEscape("/<script>.txt"))
	for _, want := range []string{"&lt;script&gt;.txt", `/dav/files/atelier/%3Cscript%3E.txt?version=`, `id="move-form"`,
		`<option value="/Archives">`, "/s/", "protégé par mot de passe", "jusqu&#39;au 31 décembre 2099"} {
		if !strings.Contains(body, want) {
			t.Errorf("file page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>.txt") {
		t.Fatal("a file name was not escaped")
	}
	body = mustGet(t, b, "/groups/atelier/item?path=/Archives")
	if !strings.Contains(body, "/dav/files/atelier/Archives?zip") || strings.Contains(body, `<option value="/Archives">`) || !strings.Contains(body, `value="drop"`) {
		t.Fatalf("folder page:\n%s", body)
	}
	body = mustGet(t, b, "/groups/atelier/trash")
	if !strings.Contains(body, "/vieux.txt") || !strings.Contains(body, alice) || !strings.Contains(body, `class="trash-restore"`) || strings.Contains(body, `id="trash-empty"`) {
		t.Fatalf("trash page for a member:\n%s", body)
	}
	if body := mustGet(t, signedIn(t, ts, anna), "/groups/atelier/trash"); !strings.Contains(body, `id="trash-empty"`) {
		t.Fatal("an animator is not offered to empty the trash")
	}
	g := signedIn(t, ts, gus)
	if code, _, _ := g.do("GET", "/groups/atelier/trash", nil); code != 403 {
		t.Fatalf("guest's trash page: %d", code)
	}
	body = mustGet(t, g, "/groups/atelier/item?path="+url.QueryEscape("/<script>.txt"))
	if strings.Contains(body, "move-form") || strings.Contains(body, "/s/") || strings.Contains(body, "version-restore") {
		t.Fatalf("a guest is offered changes:\n%s", body)
	}
	bb := signedIn(t, ts, bob)
	for _, p := range []string{"/groups/atelier/item?path=/Archives", "/groups/atelier/trash"} {
		if code, _, _ := bb.do("GET", p, nil); code != 404 {
			t.Fatalf("outsider %s: %d", p, code)
		}
	}
	if code, _, _ := b.do("GET", "/groups/atelier/item?path=/absent", nil); code != 404 {
		t.Fatalf("missing file: %d", code)
	}
}

// TestPagesSayDatesInTheAssociationsZone: the files page, the trash and the audit log show their
// times in words and in the association's zone (time_zone), not the server's clock.
func TestPagesSayDatesInTheAssociationsZone(t *testing.T) {
	cfg := testConfig(t)
	cfg.TimeZone = "Pacific/Auckland" // twelve or thirteen hours from UTC: the day often differs too
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	zone, _ := time.LoadLocation(cfg.TimeZone)
	before := time.Now()
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/compte-rendu.txt", user: anna, body: "cr"})
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/compte-rendu.txt", user: anna})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/budget.txt", user: anna, body: "b"})
	after := time.Now()
	says := func(page, body string, around ...time.Time) {
		t.Helper()
		for _, at := range append(around, before, after) {
			if strings.Contains(body, locale.DateTime("fr", at.In(zone))) {
				return
			}
		}
		t.Errorf("%s does not say %q:\n%s", page, locale.DateTime("fr", after.In(zone)), body)
	}
	b := signedIn(t, ts, alice)
	says("the files page", mustGet(t, b, "/groups/atelier/files"))
	trash := mustGet(t, b, "/groups/atelier/trash")
	says("the trash", trash)
	if iso := after.In(zone).Format(time.DateOnly); strings.Contains(trash, iso) {
		t.Errorf("the trash shows the ISO date %s", iso)
	}
	admin, _ := withAdmin(t, ts)
	says("the audit log", mustGet(t, admin, "/admin/audit"), time.Now())
}
