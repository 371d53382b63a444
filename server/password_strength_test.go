package server

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"parvis/access"
)

// TestCommonPasswordRefused: choosing a password from a set-password link refuses the common ones
// with a message saying why, in the page's language, then accepts a real one. With two-factor on,
// the link alone does not open a session: the code is still asked.
func TestCommonPasswordRefused(t *testing.T) {
	ts := newTestServer(t)
	_, raw, err := ts.srv.in.access.PasswordLink(context.Background(), access.CLI, bob)
	if err != nil {
		t.Fatal(err)
	}
	path := "/password/" + raw
	for lang, want := range map[string]string{"fr": "plus courants", "en": "most common"} {
		b := newBrowser(t, ts.URL, lang)
		tok := b.form(path)
		for _, p := range []string{"motdepasse", "Azerty1234!", "Soleil2026"} {
			code, body, _ := b.do("POST", path, url.Values{"_csrf": {tok}, "password": {p}})
			if code != 422 || !strings.Contains(body, want) {
				t.Fatalf("%s %q: %d\n%s", lang, p, code, body)
			}
		}
	}
	ts.enrolTwoFactor(t, bob)
	b := newBrowser(t, ts.URL, "fr")
	tok := b.form(path)
	code, _, h := b.do("POST", path, url.Values{"_csrf": {tok}, "password": {"girafe orageuse du matin"}})
	if code != 303 || h.Get("Location") != "/login/code" {
		t.Fatalf("a good password with two-factor on: %d → %s", code, h.Get("Location"))
	}
	if code, _, _ := b.do("GET", "/", nil); code != 303 {
		t.Fatalf("signed in without the code: %d", code)
	}
}
