package server

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// browser is an HTTP client with cookies that does not follow redirects, like a person's browser
// seen one request at a time.
type browser struct {
	t    *testing.T
	c    *http.Client
	base string
	lang string
}

func newBrowser(t *testing.T, base, lang string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, lang: lang, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.Header.Set("Accept-Language", b.lang)
	resp, err := b.c.Do(r)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out), resp.Header
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// form fetches a page and returns its CSRF token.
func (b *browser) form(path string) string {
	b.t.Helper()
	code, body, _ := b.do("GET", path, nil)
	m := csrfRE.FindStringSubmatch(body)
	if code != 200 || m == nil {
		b.t.Fatalf("GET %s: %d, no CSRF token\n%s", path, code, body)
	}
	return m[1]
}

func TestSignInPages(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL, "fr-FR,fr;q=0.9")
	if code, _, h := b.do("GET", "/", nil); code != 303 || h.Get("Location") != "/login" {
		t.Fatalf("home signed out: %d %s", code, h.Get("Location"))
	}
	tok := b.form("/login")
	code, body, _ := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {alice}, "password": {"faux"}})
	if code != 401 || !strings.Contains(body, "E-mail ou mot de passe incorrect.") || !strings.Contains(body, `value="alice@example.org"`) {
		t.Fatalf("wrong password: %d\n%s", code, body)
	}
	if code, _, _ := b.do("POST", "/login", url.Values{"email": {alice}, "password": {pw}}); code != 403 {
		t.Fatalf("sign-in without CSRF token: %d, want 403", code)
	}
	tok = b.form("/login")
	if code, _, _ := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {alice}, "password": {pw}}); code != 303 {
		t.Fatalf("sign-in: %d", code)
	}
	code, body, h := b.do("GET", "/", nil)
	if code != 200 || !strings.Contains(body, "Atelier") || !strings.Contains(body, "/dav/files/atelier/") || strings.Contains(body, "Bureau") || !strings.Contains(body, "utilisés") {
		t.Fatalf("home: %d\n%s", code, body)
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("security headers missing: %v", h)
	}
	tok = csrfRE.FindStringSubmatch(body)[1]
	if code, _, _ := b.do("POST", "/logout", url.Values{"_csrf": {tok}}); code != 303 {
		t.Fatalf("logout: %d", code)
	}
	if code, _, _ := b.do("GET", "/", nil); code != 303 {
		t.Fatalf("home after logout: %d", code)
	}
	en := newBrowser(t, ts.URL, "en-GB,en;q=0.8")
	if _, body, _ := en.do("GET", "/login", nil); !strings.Contains(body, "Sign in") || !strings.Contains(body, `lang="en"`) {
		t.Fatalf("English page:\n%s", body)
	}
}

func TestFirstAdministratorSetup(t *testing.T) {
	ts := newTestServer(t)
	link, err := ts.srv.in.access.FirstAdminLink(context.Background())
	if err != nil || link == "" {
		t.Fatalf("no first-administrator link: %v", err)
	}
	if code, body, _ := newBrowser(t, ts.URL, "fr").do("GET", "/setup/not-a-link", nil); code != 404 || !strings.Contains(body, "Redémarrez le serveur") {
		t.Fatalf("a wrong link before any administrator: %d\n%s", code, body)
	}
	b := newBrowser(t, ts.URL, "fr")
	tok := b.form("/setup/" + link)
	code, body, _ := b.do("POST", "/setup/"+link, url.Values{"_csrf": {tok}, "email": {"dsi@example.org"}, "password": {"court"}})
	if code != 422 || !strings.Contains(body, "au moins 10 caractères") || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("weak password: %d\n%s", code, body)
	}
	code, _, _ = b.do("POST", "/setup/"+link, url.Values{"_csrf": {tok}, "email": {"dsi@example.org"}, "name": {"DSI"}, "password": {"un mot de passe long"}})
	if code != 303 {
		t.Fatalf("setup: %d", code)
	}
	if code, _, _ := b.do("GET", "/", nil); code != 200 {
		t.Fatalf("signed in after setup: %d", code)
	}
	if code, body, _ := newBrowser(t, ts.URL, "fr").do("GET", "/setup/"+link, nil); code != 404 || !strings.Contains(body, "existe déjà") || strings.Contains(body, "Redémarrez") {
		t.Fatalf("a used link must not work again, and says an administrator exists (restarting prints none): %d\n%s", code, body)
	}
	if code, body, _ := newBrowser(t, ts.URL, "fr").do("GET", "/setup/not-a-link", nil); code != 404 || !strings.Contains(body, "existe déjà") {
		t.Fatalf("any first-administrator link, once one exists: %d\n%s", code, body)
	}
	if again, _ := ts.srv.in.access.FirstAdminLink(context.Background()); again != "" {
		t.Fatal("a new first-administrator link was made although an administrator exists")
	}
}
