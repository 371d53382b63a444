package server

import (
	"html"
	"net/url"
	"strings"
	"testing"
)

// accountPages are every page of the account area, with a text each language must show.
var accountPages = []struct{ path, fr, en string }{
	{"/account", "Changer de mot de passe", "Change your password"},
	{"/account/devices", "Créer un mot de passe d'application", "Create an app password"},
	{"/account/2fa", "Validation en deux étapes", "Two-step verification"},
	{"/account/sessions", "Ce navigateur", "This browser"},
	{"/account/data", "Télécharger mes données", "Download my data"},
	{"/account/data/erase", "Oui, demander l'effacement", "Yes, ask for erasure"},
	{"/account/connect", "Connecter un appareil", "Connect a device"},
}

// TestAccountPagesRender: every account page answers in French and in English with no message key
// left untranslated, and sends a signed-out browser to the sign-in page.
func TestAccountPagesRender(t *testing.T) {
	ts := newTestServer(t)
	anon := newBrowser(t, ts.URL, "fr")
	for _, p := range accountPages {
		if status, _, h := anon.do("GET", p.path, nil); status != 303 || !strings.HasPrefix(h.Get("Location"), "/login?next=") {
			t.Errorf("%s signed out: %d → %q", p.path, status, h.Get("Location"))
		}
	}
	if status, _, h := anon.do("POST", "/account/connect/apple.mobileconfig", url.Values{}); status != 403 && h.Get("Location") != "/login" {
		t.Errorf("profile signed out: %d", status)
	}
	for _, lang := range []string{"fr", "en"} {
		b := accountBrowser(t, ts, alice, lang)
		for _, p := range accountPages {
			body := mustGet(t, b, p.path)
			want := map[string]string{"fr": p.fr, "en": p.en}[lang]
			if !strings.Contains(html.UnescapeString(body), want) || !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s in %s: %q missing", p.path, lang, want)
			}
			if m := untranslated.FindStringSubmatch(body); m != nil {
				t.Errorf("%s in %s: untranslated %q", p.path, lang, m[1])
			}
		}
	}
}

// TestAccountPassword: a wrong current password and a common new one are refused next to their
// field; the new password then signs in, the old one no longer, and other browsers are signed out.
func TestAccountPassword(t *testing.T) {
	ts := newTestServer(t)
	b := accountBrowser(t, ts, alice, "en")
	other := accountBrowser(t, ts, alice, "en")
	const next = "trois mots sans rapport"

	status, body, _ := b.submit("/account", "/account/password", url.Values{"current": {"pas le bon"}, "password": {next}})
	if status != 422 || !strings.Contains(body, `id="current-error"`) || !strings.Contains(body, "This is not your current password.") {
		t.Fatalf("wrong current password: %d\n%s", status, body)
	}
	status, body, _ = b.submit("/account", "/account/password", url.Values{"current": {pw}, "password": {"password123"}})
	if status != 422 || !strings.Contains(body, `id="password-error"`) || !strings.Contains(body, "among the most common") {
		t.Fatalf("common password: %d\n%s", status, body)
	}
	status, body, _ = b.submit("/account", "/account/password", url.Values{"current": {pw}, "password": {"court"}})
	if status != 422 || !strings.Contains(body, "too short") {
		t.Fatalf("short password: %d\n%s", status, body)
	}
	if c := davStatus(t, ts, "/dav/files/atelier/", alice, pw); c != 207 {
		t.Fatalf("a refused change changed the password: %d", c)
	}
	status, body, _ = b.submit("/account", "/account/password", url.Values{"current": {pw}, "password": {next}})
	if status != 200 || !strings.Contains(body, "Password changed.") {
		t.Fatalf("change: %d\n%s", status, body)
	}
	if c := davStatus(t, ts, "/dav/files/atelier/", alice, pw); c != 401 {
		t.Fatalf("old password still opens DAV: %d", c)
	}
	if c := davStatus(t, ts, "/dav/files/atelier/", alice, next); c != 207 {
		t.Fatalf("new password over DAV: %d", c)
	}
	fresh := newBrowser(t, ts.URL, "en")
	if status, _, h := fresh.do("POST", "/login", url.Values{"_csrf": {fresh.form("/login")}, "email": {alice}, "password": {next}}); status != 303 || h.Get("Location") != "/" {
		t.Fatalf("sign-in with the new password: %d", status)
	}
	if status, _, _ := b.do("GET", "/account", nil); status != 200 {
		t.Fatalf("the browser that changed it was signed out: %d", status)
	}
	if status, _, _ := other.do("GET", "/account", nil); status != 303 {
		t.Fatalf("another browser stayed signed in: %d", status)
	}
	if !strings.Contains(ts.auditActions(t), "person.password_change "+alice) {
		t.Fatal("password change not in the audit log")
	}
}

// TestAccountName: the name is saved and shown; an empty one is refused.
func TestAccountName(t *testing.T) {
	ts := newTestServer(t)
	b := accountBrowser(t, ts, alice, "fr")
	if status, body, _ := b.submit("/account", "/account/name", url.Values{"name": {"  "}}); status != 422 || !strings.Contains(body, `id="name-error"`) {
		t.Fatalf("empty name: %d\n%s", status, body)
	}
	if status, _, _ := b.submit("/account", "/account/name", url.Values{"name": {"Alice <Martin>"}}); status != 200 {
		t.Fatalf("rename: %d", status)
	}
	if body := mustGet(t, b, "/account"); !strings.Contains(body, `value="Alice &lt;Martin&gt;"`) {
		t.Fatalf("new name not shown, or not escaped\n%s", body)
	}
}

// TestAccountDevices: an app password made on the page opens DAV with Basic auth, is listed
// without its secret, and revoking it closes DAV at once.
func TestAccountDevices(t *testing.T) {
	ts := newTestServer(t)
	b := accountBrowser(t, ts, alice, "fr")
	if status, body, _ := b.submit("/account/devices", "/account/devices", url.Values{"name": {""}}); status != 422 || !strings.Contains(body, `id="name-error"`) {
		t.Fatalf("no name: %d\n%s", status, body)
	}
	status, body, h := b.submit("/account/devices", "/account/devices", url.Values{"name": {"Téléphone <Marie>"}})
	if status != 201 || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: %d %q\n%s", status, h.Get("Cache-Control"), body)
	}
	secret := elementText(t, body, "new-password")
	if elementText(t, body, "new-user") != alice {
		t.Fatal("user name not shown")
	}
	if c := davStatus(t, ts, "/dav/files/atelier/", alice, secret); c != 207 {
		t.Fatalf("DAV with the new app password: %d", c)
	}
	list := mustGet(t, b, "/account/devices")
	if !strings.Contains(list, "Téléphone &lt;Marie&gt;") || strings.Contains(list, secret) {
		t.Fatalf("list: name missing or secret shown\n%s", list)
	}
	id := regexpFind(t, list, `action="/account/devices/(\d+)/revoke"`)
	// Bob cannot revoke it.
	bobs := accountBrowser(t, ts, bob, "fr")
	if status, _, _ := bobs.submit("/account/devices", "/account/devices/"+id+"/revoke", nil); status != 404 {
		t.Fatalf("bob revoking alice's device: %d", status)
	}
	if status, _, h := b.submit("/account/devices", "/account/devices/"+id+"/revoke", nil); status != 303 || h.Get("Location") != "/account/devices" {
		t.Fatalf("revoke: %d", status)
	}
	if c := davStatus(t, ts, "/dav/files/atelier/", alice, secret); c != 401 {
		t.Fatalf("DAV after revocation: %d", c)
	}
	if strings.Contains(mustGet(t, b, "/account/devices"), "Téléphone &lt;Marie&gt;") {
		t.Fatal("revoked device still listed")
	}
}

// TestAccountSessionsPage: the page lists this browser and another; one is signed out, then all
// the others.
func TestAccountSessionsPage(t *testing.T) {
	ts := newTestServer(t)
	b := accountBrowser(t, ts, alice, "en")
	phone := accountBrowser(t, ts, alice, "en")
	laptop := accountBrowser(t, ts, alice, "en")
	page := mustGet(t, b, "/account/sessions")
	ids := regexpAll(page, `action="/account/sessions/([0-9a-f]+)/revoke"`)
	if len(ids) != 3 || strings.Count(page, "This browser") != 1 || !strings.Contains(page, "Sign out every other browser") {
		t.Fatalf("list: %v\n%s", ids, page)
	}
	// The phone's session is the one the phone's own page marks as current.
	phoneID := regexpFind(t, currentSession(mustGet(t, phone, "/account/sessions")), `/account/sessions/([0-9a-f]+)/revoke`)
	if status, _, _ := b.submit("/account/sessions", "/account/sessions/"+phoneID+"/revoke", nil); status != 303 {
		t.Fatalf("revoke: %d", status)
	}
	if status, _, _ := phone.do("GET", "/account", nil); status != 303 {
		t.Fatalf("revoked browser still signed in: %d", status)
	}
	if status, _, _ := laptop.do("GET", "/account", nil); status != 200 {
		t.Fatalf("other browser signed out too: %d", status)
	}
	if status, _, _ := b.submit("/account/sessions", "/account/sessions/revoke-others", nil); status != 303 {
		t.Fatalf("revoke others: %d", status)
	}
	if status, _, _ := laptop.do("GET", "/account", nil); status != 303 {
		t.Fatalf("laptop still signed in: %d", status)
	}
	if page := mustGet(t, b, "/account/sessions"); len(regexpAll(page, `/account/sessions/([0-9a-f]+)/revoke`)) != 1 {
		t.Fatalf("after revoking the others\n%s", page)
	}
}

// currentSession cuts a sessions page down to the item marked as this browser.
func currentSession(page string) string {
	for _, item := range strings.Split(page, "<li") {
		if strings.Contains(item, "This browser") {
			return item
		}
	}
	return ""
}

// TestAccountData: the page links to the export, which a signed-in browser downloads; erasure
// is asked only after the confirmation step.
func TestAccountData(t *testing.T) {
	ts := newTestServer(t)
	b := accountBrowser(t, ts, alice, "fr")
	page := mustGet(t, b, "/account/data")
	if !strings.Contains(page, `href="/api/me/export"`) {
		t.Fatalf("no export link\n%s", page)
	}
	status, body, h := b.do("GET", "/api/me/export", nil)
	if status != 200 || h.Get("Content-Type") != "application/zip" || !strings.HasPrefix(body, "PK") {
		t.Fatalf("export: %d %s", status, h.Get("Content-Type"))
	}
	if status, _, h := b.submit("/account/data/erase", "/account/data/erase", nil); status != 303 || h.Get("Location") != "/account/data/erase" {
		t.Fatalf("erasure without confirmation: %d", status)
	}
	if strings.Contains(ts.auditActions(t), "person.erasure_request") {
		t.Fatal("erasure requested without confirmation")
	}
	status, body, _ = b.submit("/account/data/erase", "/account/data/erase", url.Values{"confirm": {"yes"}})
	if status != 200 || !strings.Contains(html.UnescapeString(body), "Votre demande d'effacement est enregistrée") {
		t.Fatalf("erasure: %d\n%s", status, body)
	}
	if !strings.Contains(ts.auditActions(t), "person.erasure_request "+alice) {
		t.Fatal("erasure request not recorded")
	}
}
