package server

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestLinksPage: members add, change and delete a group's bookmarks through the page's forms;
// javascript: and other non-web addresses are refused next to the field; guests read and may not
// write; outsiders see nothing; names are escaped; changes are audited.
func TestLinksPage(t *testing.T) {
	ts := newTestServer(t)
	b := signedIn(t, ts, alice)
	tok := b.form("/groups/atelier/links")
	post := func(b *browser, path string, v url.Values) (int, string) {
		v.Set("_csrf", tok)
		code, body, _ := b.do("POST", path, v)
		return code, body
	}
	for _, u := range []string{"javascript:alert(1)", "JAVASCRIPT:alert(document.cookie)", "data:text/html,<script>x</script>", "ftp://x.org/a"} {
		code, body := post(b, "/groups/atelier/links", url.Values{"url": {u}, "title": {"piège"}})
		if code != 422 || !strings.Contains(body, "Seules les adresses web") || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("%q: %d\n%s", u, code, body)
		}
	}
	code, _ := post(b, "/groups/atelier/links", url.Values{"url": {"https://pad.example.org/ag?x=1&y=2"}, "title": {"<script>alert(1)</script>"}, "note": {"ordre du jour"}})
	if code != 303 {
		t.Fatalf("add: %d", code)
	}
	body := mustGet(t, b, "/groups/atelier/links")
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") ||
		!strings.Contains(body, `href="https://pad.example.org/ag?x=1&amp;y=2"`) || !strings.Contains(body, "ordre du jour") {
		t.Fatalf("list:\n%s", body)
	}
	id := regexp.MustCompile(`/groups/atelier/links/(\d+)/edit`).FindStringSubmatch(body)
	if id == nil {
		t.Fatalf("no edit link:\n%s", body)
	}
	if code, body := post(b, "/groups/atelier/links/"+id[1], url.Values{"url": {"javascript:void(0)"}}); code != 422 || !strings.Contains(body, "Seules les adresses web") {
		t.Fatalf("edit to javascript: %d", code)
	}
	if code, _ := post(b, "/groups/atelier/links/"+id[1], url.Values{"url": {"https://pad.example.org/ca"}, "title": {"Compte rendu"}}); code != 303 {
		t.Fatalf("edit: %d", code)
	}
	if body := mustGet(t, b, "/groups/atelier/links"); !strings.Contains(body, "Compte rendu") || strings.Contains(body, "/ag?") {
		t.Fatalf("after edit:\n%s", body)
	}

	g := signedIn(t, ts, gus)
	if body := mustGet(t, g, "/groups/atelier/links"); !strings.Contains(body, "Compte rendu") || strings.Contains(body, "/delete") || strings.Contains(body, `name="url"`) {
		t.Fatalf("guest's page:\n%s", body)
	}
	gtok := g.form("/groups/atelier/links")
	for _, p := range []string{"/groups/atelier/links", "/groups/atelier/links/" + id[1], "/groups/atelier/links/" + id[1] + "/delete"} {
		if code, _, _ := g.do("POST", p, url.Values{"_csrf": {gtok}, "url": {"https://x.org"}}); code != 403 {
			t.Fatalf("guest POST %s: %d", p, code)
		}
	}
	if code, _, _ := g.do("GET", "/groups/atelier/links/"+id[1]+"/edit", nil); code != 403 {
		t.Fatalf("guest edit form: %d", code)
	}
	outsider := signedIn(t, ts, bob)
	if code, _, _ := outsider.do("GET", "/groups/atelier/links", nil); code != 404 {
		t.Fatalf("outsider: %d", code)
	}
	if code, _, _ := b.do("POST", "/groups/atelier/links/"+id[1]+"/delete", url.Values{}); code != 403 {
		t.Fatalf("delete without CSRF token: %d", code)
	}
	if code, _ := post(b, "/groups/atelier/links/"+id[1]+"/delete", url.Values{}); code != 303 {
		t.Fatalf("delete: %d", code)
	}
	if body := mustGet(t, b, "/groups/atelier/links"); strings.Contains(body, "Compte rendu") {
		t.Fatal("deleted link still listed")
	}
	audit := ts.auditActions(t)
	for _, a := range []string{alice + " link.create atelier", alice + " link.update atelier", alice + " link.delete atelier"} {
		if !strings.Contains(audit, a) {
			t.Errorf("audit lacks %q:\n%s", a, audit)
		}
	}
}
