package server

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestForcedRenewal: an administrator requires a new password from alice. Her DAV client with the
// account password gets 401 saying why, her phone's app password keeps working; her next web
// sign-in goes to the set-password page first, which refuses the old password; after that both
// the web and DAV work with the new password, and the old one opens nothing.
func TestForcedRenewal(t *testing.T) {
	ts := newTestServer(t)
	admin, csrf := withAdmin(t, ts)
	var app struct{ Password string }
	ts.apiJSON(t, 201, "POST", "/api/me/app-passwords", alice, `{"name": "téléphone"}`, &app)
	if code, _ := davReply(t, ts, "/dav/files/atelier/", alice, pw); code != 207 {
		t.Fatalf("DAV before: %d", code)
	}
	page := "/admin/people/" + fmt.Sprint(personID(t, ts, alice))
	if code, _, h := admin.post(page+"/renewal", csrf, nil); code != 303 || !strings.Contains(h.Get("Location"), "done=renewal") {
		t.Fatalf("force renewal: %d", code)
	}
	if body := mustGet(t, admin, "/admin/people?pending=1"); !strings.Contains(body, alice) || strings.Contains(body, bob) {
		t.Fatalf("who has not renewed yet:\n%s", body)
	}

	code, body := davReply(t, ts, "/dav/files/atelier/", alice, pw)
	if code != 401 || !strings.Contains(body, "must be renewed") || !strings.Contains(body, "renouvelé") {
		t.Fatalf("DAV with the retired password: %d %q", code, body)
	}
	if code, _ := davReply(t, ts, "/dav/files/atelier/", alice, app.Password); code != 207 {
		t.Fatalf("DAV with the app password: %d", code)
	}

	b := newBrowser(t, ts.URL, "fr")
	tok := b.form("/login")
	code, _, h := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {alice}, "password": {pw}})
	renew := h.Get("Location")
	if code != 303 || !strings.HasPrefix(renew, "/password/") {
		t.Fatalf("sign-in: %d to %q, want the set-password step", code, renew)
	}
	if code, _, h := b.do("GET", "/", nil); code != 303 || h.Get("Location") != "/login" {
		t.Fatalf("home before renewing: %d, want no session", code)
	}
	if body := mustGet(t, b, renew); !strings.Contains(body, "nouveau mot de passe") {
		t.Fatalf("the set-password page does not say why:\n%s", body)
	}
	code, body, _ = b.do("POST", renew, url.Values{"_csrf": {tok}, "password": {pw}})
	if code != 422 || !strings.Contains(body, "ancien mot de passe") {
		t.Fatalf("the old password again: %d", code)
	}
	if code, body, _ := b.do("POST", renew, url.Values{"_csrf": {tok}, "password": {"Motdepasse2024!"}}); code != 422 || !strings.Contains(body, `id="password-error"`) {
		t.Fatalf("a common password: %d", code)
	}
	const fresh = "un tout nouveau mot de passe"
	if code, _, h := b.do("POST", renew, url.Values{"_csrf": {tok}, "password": {fresh}}); code != 303 || h.Get("Location") != "/" {
		t.Fatalf("renewal: %d %s", code, h.Get("Location"))
	}
	if code, _, _ := b.do("GET", "/", nil); code != 200 {
		t.Fatalf("home after renewing: %d", code)
	}
	if code, _ := davReply(t, ts, "/dav/files/atelier/", alice, fresh); code != 207 {
		t.Fatalf("DAV with the new password: %d", code)
	}
	if code, _ := davReply(t, ts, "/dav/files/atelier/", alice, pw); code != 401 {
		t.Fatalf("DAV with the old password: %d", code)
	}
	if body := mustGet(t, admin, "/admin/people?pending=1"); strings.Contains(body, alice) {
		t.Fatal("alice is still listed as not renewed")
	}
	if log := ts.auditActions(t); !strings.Contains(log, "person.force_renewal alice@example.org") {
		t.Fatalf("not audited:\n%s", log)
	}
}

// TestForcedRenewalByRule: the page's bulk form and the command line select by age or by
// passwords never changed, and refuse a form that selects nobody in particular.
func TestForcedRenewalByRule(t *testing.T) {
	ts := newTestServer(t)
	admin, csrf := withAdmin(t, ts)
	if code, body, _ := admin.post("/admin/people/renewal", csrf, url.Values{"days": {"-3"}}); code != 422 || !strings.Contains(body, `id="days-error"`) {
		t.Fatalf("a negative age: %d", code)
	}
	if code, _, _ := admin.post("/admin/people/renewal", csrf, nil); code != 422 {
		t.Fatalf("no rule: %d", code)
	}
	if code, _, _ := admin.post("/admin/people/renewal", csrf, url.Values{"days": {"30"}}); code != 303 {
		t.Fatalf("older than 30 days: %d", code)
	}
	if body := mustGet(t, admin, "/admin/people?pending=1"); strings.Contains(body, alice) {
		t.Fatal("passwords of today are not older than 30 days")
	}
	if code, _, _ := admin.post("/admin/people/renewal", csrf, url.Values{"never": {"1"}}); code != 303 {
		t.Fatalf("never changed: %d", code)
	}
	body := mustGet(t, admin, "/admin/people?pending=1")
	for _, p := range []string{alice, bob, gus, anna, dsi} {
		if !strings.Contains(body, p) {
			t.Errorf("%s never changed the password given at creation, not listed", p)
		}
	}
}

// TestForceRenewalCommand: `parvis admin person force-renewal` selects, reports and lists.
func TestForceRenewalCommand(t *testing.T) {
	env := map[string]string{"PARVIS_DATA_DIR": t.TempDir()}
	run(t, env, "un mot de passe long\n", "admin", "person", "add", "anna@example.org")
	run(t, env, "", "admin", "person", "add", "sans-mot@example.org")
	steps := []struct {
		args     []string
		wantCode int
		want     string
	}{
		{[]string{"admin", "person", "force-renewal"}, 2, "give an e-mail address, --older-than or --never-changed"},
		{[]string{"admin", "person", "force-renewal", "--older-than", "bientôt"}, 2, "age like 180d"},
		{[]string{"admin", "person", "force-renewal", "--older-than", "180d"}, 0, "0 account(s) must"},
		{[]string{"admin", "person", "force-renewal", "--never-changed"}, 0, "1 account(s) must"},
		{[]string{"admin", "person", "renewals"}, 0, "anna@example.org"},
		{[]string{"admin", "group", "add", "velo", "--open"}, 0, "created group velo"},
		{[]string{"admin", "group", "set", "velo", "--requires-membership=true"}, 0, "joining needs membership"},
		{[]string{"admin", "group", "set", "velo"}, 2, "--requires-membership"},
		{[]string{"admin", "group", "set", "nulle-part", "--requires-membership=false"}, 1, "no group"},
	}
	for _, s := range steps {
		code, out, errOut := run(t, env, "", s.args...)
		if code != s.wantCode || !strings.Contains(out+errOut, s.want) {
			t.Errorf("parvis %s: exit %d, want %d; output %q, want %q", strings.Join(s.args, " "), code, s.wantCode, out+errOut, s.want)
		}
	}
	if _, out, _ := run(t, env, "", "admin", "person", "renewals"); strings.Contains(out, "sans-mot") {
		t.Fatal("an account without a password has nothing to renew")
	}
}
