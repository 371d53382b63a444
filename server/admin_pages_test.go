package server

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"parvis/access"
)

// adminPages are the pages of the administration area a browser opens.
var adminPages = []string{"/admin", "/admin/people", "/admin/groups", "/admin/requests", "/admin/dues", "/admin/review",
	"/admin/review?group=atelier", "/admin/audit", "/admin/erasure", "/admin/outbox", "/admin/people/1"}

// TestAdminAreaOnlyForAdministrators: every page of /admin sends visitors to the sign-in page,
// answers 404 to signed-in people who are not administrators, actions included, and opens for an
// administrator.
func TestAdminAreaOnlyForAdministrators(t *testing.T) {
	ts := newTestServer(t)
	admin, _ := withAdmin(t, ts)
	anon := newBrowser(t, ts.URL, "fr")
	member, csrf := signInBrowser(t, ts, anna) // animates a group: still not an administrator
	for _, p := range adminPages {
		if code, _, h := anon.do("GET", p, nil); code != 303 || h.Get("Location") != "/login?next="+url.QueryEscape(p) {
			t.Errorf("GET %s signed out: %d to %q, want 303 to /login", p, code, h.Get("Location"))
		}
		if code, body, _ := member.do("GET", p, nil); code != 404 || strings.Contains(body, "Administration") {
			t.Errorf("GET %s as an animator: %d, want 404 without the admin link", p, code)
		}
		if code, _, _ := admin.do("GET", p, nil); code != 200 {
			t.Errorf("GET %s as an administrator: %d", p, code)
		}
	}
	for _, p := range []string{"/admin/people", "/admin/groups", "/admin/people/1/admin", "/admin/dues", "/admin/erasure/1"} {
		if code, _, _ := member.post(p, csrf, url.Values{"email": {"x@example.org"}, "slug": {"x"}, "admin": {"1"}}); code != 404 {
			t.Errorf("POST %s as an animator: %d, want 404", p, code)
		}
	}
	if strings.Contains(ts.auditActions(t), "person.admin_grant") {
		t.Fatal("a non-administrator changed something")
	}
}

var handoverRE = regexp.MustCompile(`<code class="link">(https?://[^<]+/password/[A-Za-z0-9_-]+)</code>`)

// TestAdminCreatesPersonWithoutMail: an account made for someone who reads no mail at the address
// shows a set-password link on the page; handed over, it works once and signs the person in. Text
// people typed is escaped on every page.
func TestAdminCreatesPersonWithoutMail(t *testing.T) {
	ts := newTestServer(t)
	admin, csrf := withAdmin(t, ts)
	code, body, _ := admin.post("/admin/people", csrf, url.Values{"email": {"lea@example.org"}, "name": {`<script>alert("x")</script>`}})
	m := handoverRE.FindStringSubmatch(body)
	if code != 201 || m == nil {
		t.Fatalf("create: %d, no link on the page\n%s", code, body)
	}
	if strings.Contains(body, `<script>alert`) || !strings.Contains(body, "&lt;script&gt;") {
		t.Fatal("the name was not escaped")
	}
	link, _ := url.Parse(m[1])
	lea := newBrowser(t, ts.URL, "fr")
	tok := lea.form(link.Path)
	if code, _, h := lea.do("POST", link.Path, url.Values{"_csrf": {tok}, "password": {"le vélo de léa"}}); code != 303 || h.Get("Location") != "/" {
		t.Fatalf("set password: %d %s", code, h.Get("Location"))
	}
	if code, _, _ := lea.do("GET", "/", nil); code != 200 {
		t.Fatalf("signed in after choosing the password: %d", code)
	}
	if code, _, _ := newBrowser(t, ts.URL, "fr").do("GET", link.Path, nil); code != 404 {
		t.Fatalf("the link works twice: %d", code)
	}
	if code, body, _ := admin.post("/admin/people", csrf, url.Values{"email": {"lea@example.org"}}); code != 422 || !strings.Contains(body, `id="email-error"`) {
		t.Fatalf("the same address again: %d", code)
	}
	if code, body, _ := admin.post("/admin/people", csrf, url.Values{"email": {"pas une adresse"}}); code != 422 || !strings.Contains(body, "Valeur non valable") {
		t.Fatalf("a bad address: %d", code)
	}
	if !strings.Contains(ts.auditActions(t), "person.create lea@example.org") {
		t.Fatal("the creation is not in the audit log")
	}
}

// TestAdminDuesImportPage: a HelloAsso export with broken lines, uploaded through the page, records
// the good lines and reports each bad one with its line number and reason.
func TestAdminDuesImportPage(t *testing.T) {
	ts := newTestServer(t)
	admin, csrf := withAdmin(t, ts)
	y := time.Now().Year()
	csv := fmt.Sprintf("\ufeffDate de la commande;Email payeur;Montant\n02/01/%d 10:00;alice@example.org;15,00\n"+
		"03/01/%d;bob@example.org;quinze\n04/01/%d;inconnu@example.org;10\npas une date;gus@example.org;10\n05/01/%d;anna@example.org;20\n", y, y, y, y)
	code, body := admin.upload("/admin/dues/import", csrf, "file", "export-helloasso.csv", []byte(csv))
	if code != 200 || !strings.Contains(body, "2 / 5") {
		t.Fatalf("import: %d\n%s", code, body)
	}
	for line, reason := range map[int]string{3: "montant illisible", 4: "aucun compte avec cette adresse", 5: "date illisible"} {
		row := regexp.MustCompile(fmt.Sprintf(`<tr class="refused"><td>%d</td><td>[^<]*</td>\s*<td>refusée\x{00A0}: %s`, line, reason))
		if !row.MatchString(body) {
			t.Errorf("line %d not reported as %q", line, reason)
		}
	}
	r := ts.srv.in.db.R(context.Background())
	for email, want := range map[string]bool{alice: true, anna: true, bob: false, gus: false} {
		if paid, _ := r.DuesPaid(personID(t, ts, email), y); paid != want {
			t.Errorf("%s: dues recorded %v, want %v", email, paid, want)
		}
	}
	if code, body := admin.upload("/admin/dues/import", csrf, "file", "x.csv", []byte("nom;prénom\nx;y\n")); code != 422 || !strings.Contains(body, `id="file-error"`) {
		t.Fatalf("a file without the columns: %d", code)
	}
	if code, body, _ := admin.post("/admin/dues", csrf, url.Values{"email": {bob}, "year": {fmt.Sprint(y)}, "amount": {"beaucoup"}}); code != 422 || !strings.Contains(body, `id="amount-error"`) {
		t.Fatalf("manual entry with a bad sum: %d", code)
	}
	if code, _, _ := admin.post("/admin/dues", csrf, url.Values{"email": {bob}, "year": {fmt.Sprint(y)}, "amount": {"12,50"}}); code != 303 {
		t.Fatalf("manual entry: %d", code)
	}
	if paid, _ := r.DuesPaid(personID(t, ts, bob), y); !paid {
		t.Fatal("the manual entry was not recorded")
	}
}

// TestAdminAuditFilters: the audit page shows only the entries matching its filters, and refuses a
// malformed date next to its field.
func TestAdminAuditFilters(t *testing.T) {
	ts := newTestServer(t)
	admin, csrf := withAdmin(t, ts)
	admin.post("/admin/groups/bureau/quota", csrf, url.Values{"quota": {"5 GB"}})
	rows := func(query string) []string {
		t.Helper()
		body := mustGet(t, admin, "/admin/audit?"+query)
		return regexp.MustCompile(`<tr class="audit-row">(.*)</tr>`).FindAllString(body, -1)
	}
	got := rows("action=quota")
	if len(got) != 1 || !strings.Contains(got[0], "bureau") || !strings.Contains(got[0], dsi) || !strings.Contains(got[0], ">Quota du groupe changé<") {
		t.Fatalf("action=quota, its action in words: %q", got)
	}
	if got := rows("actor=dsi&action=grant"); len(got) != 0 {
		t.Fatalf("dsi granted nothing: %q", got)
	}
	if got := rows("target=gus%40example.org&action=group"); len(got) != 1 || !strings.Contains(got[0], "atelier gus@example.org") {
		t.Fatalf("target=gus: %q", got)
	}
	all := rows("")
	for _, r := range all {
		if strings.Contains(r, "<script") {
			t.Fatal("unescaped text in the log")
		}
		// Every action this test server logged is named in words, not shown as its code.
		if m := regexp.MustCompile(`data-action="([^"]+)">([^<]*)<`).FindStringSubmatch(r); m == nil || m[1] == m[2] {
			t.Errorf("an action shown as its code: %q", r)
		}
	}
	if got := rows("to=2000-01-01"); len(got) != 0 {
		t.Fatalf("nothing happened before 2000: %q", got)
	}
	today := time.Now().Format(time.DateOnly)
	if got := rows("from=" + today + "&to=" + today); len(got) != len(all) || len(all) < 8 {
		t.Fatalf("today: %d of %d", len(got), len(all))
	}
	if code, body, _ := admin.do("GET", "/admin/audit?from=hier", nil); code != 422 || !strings.Contains(body, `id="from-error"`) {
		t.Fatalf("a bad date: %d", code)
	}
}

// TestAdminGroupsAndKeyRoles: a group made from the page is open when asked; the flag changes
// later; the dashboard warns of key roles held by fewer than two people; the last administrator
// cannot be unmade or suspended from the page.
func TestAdminGroupsAndKeyRoles(t *testing.T) {
	ts := newTestServer(t)
	admin, csrf := withAdmin(t, ts)
	if code, _, _ := admin.post("/admin/groups", csrf, url.Values{"slug": {"velo"}, "name": {"Atelier vélo"}, "open": {"1"}}); code != 303 {
		t.Fatalf("create: %d", code)
	}
	if code, body, _ := admin.post("/admin/groups", csrf, url.Values{"slug": {"Pas Bon"}}); code != 422 || !strings.Contains(body, `id="slug-error"`) {
		t.Fatalf("a bad slug: %d", code)
	}
	r := ts.srv.in.db.R(context.Background())
	g, _ := r.GroupBySlug("velo")
	if req, _ := r.RequiresMembership(g.ID); req {
		t.Fatal("--open was not applied")
	}
	admin.post("/admin/groups/velo/membership", csrf, url.Values{"requires": {"1"}})
	if req, _ := r.RequiresMembership(g.ID); !req {
		t.Fatal("the flag did not change")
	}
	body := mustGet(t, admin, "/admin")
	for _, want := range []string{"instance : 1", "velo</a> : 0", "bureau</a> : 0", "atelier</a> : 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	// The first steps: mail and partner not set up on this test server, groups made, two of them
	// with nobody to animate them, members' accounts opened.
	steps := regexp.MustCompile(`(?s)<li class="(done|todo)"><span class="mark" aria-hidden="true">.</span>\s*<div><a href="[^"]*">([^<]*)</a>`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, m := range steps {
		got = append(got, m[1]+" "+m[2])
	}
	if want := []string{"todo Brancher un serveur de courriel", "todo Mettre en place la copie chez l&#39;association partenaire",
		"done Créer un premier groupe", "todo Nommer les animateur·ices de chaque groupe", "done Ouvrir les comptes des membres"}; !slices.Equal(got, want) {
		t.Errorf("first steps %q, want %q", got, want)
	}
	if !strings.Contains(body, "smtp.host") {
		t.Error("the mail step does not say how")
	}
	me := fmt.Sprint(personID(t, ts, dsi))
	if code, body, _ := admin.post("/admin/people/"+me+"/admin", csrf, url.Values{"admin": {"0"}}); code != 422 || !strings.Contains(body, "dernier compte administrateur") {
		t.Fatalf("unmaking the last administrator: %d", code)
	}
	if code, _, _ := admin.post("/admin/people/"+me+"/suspend", csrf, url.Values{"suspend": {"1"}}); code != 422 {
		t.Fatalf("suspending the last administrator: %d", code)
	}
	alicePage := "/admin/people/" + fmt.Sprint(personID(t, ts, alice))
	if code, _, _ := admin.post(alicePage+"/admin", csrf, url.Values{"admin": {"1"}}); code != 303 {
		t.Fatalf("making alice administrator: %d", code)
	}
	if body := mustGet(t, admin, "/admin"); strings.Contains(body, "instance :") {
		t.Fatal("two administrators, still warned")
	}
}

// TestAdminErasurePage: a waiting erasure request is carried out after a confirmation page, and is
// not offered again.
func TestAdminErasurePage(t *testing.T) {
	ts := newTestServer(t)
	admin, csrf := withAdmin(t, ts)
	ts.must(t, 202, req{method: "POST", path: "/api/me/erasure-request", user: bob})
	if body := mustGet(t, admin, "/admin/erasure"); !strings.Contains(body, bob) {
		t.Fatal("the request is not listed")
	}
	reqs, _ := ts.srv.in.access.ErasureRequests(context.Background(), access.CLI)
	if len(reqs) != 1 {
		t.Fatalf("requests: %+v", reqs)
	}
	page := fmt.Sprintf("/admin/erasure/%d", reqs[0].ID)
	if body := mustGet(t, admin, page); !strings.Contains(body, bob) || !strings.Contains(body, `class="danger"`) {
		t.Fatalf("confirmation page:\n%s", body)
	}
	if code, _, _ := admin.post(page, csrf, nil); code != 303 {
		t.Fatalf("erase: %d", code)
	}
	if _, err := ts.srv.in.db.R(context.Background()).PersonByEmail(bob); err == nil {
		t.Fatal("bob is still there")
	}
	if code, _, _ := admin.do("GET", page, nil); code != 404 {
		t.Fatalf("a done request is not offered again: %d", code)
	}
}
