package server

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
)

// Helpers of the account page tests.

// accountBrowser signs a new browser in as user, with the given Accept-Language.
func accountBrowser(t *testing.T, ts *testServer, user, lang string) *browser {
	t.Helper()
	b := newBrowser(t, ts.URL, lang)
	tok := b.form("/login")
	if status, _, _ := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {user}, "password": {pw}}); status != 303 {
		t.Fatalf("sign-in of %s: %d", user, status)
	}
	return b
}

// submit sends a form from page (whose CSRF token it takes) to action and returns the answer.
func (b *browser) submit(page, action string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", b.form(page))
	return b.do("POST", action, form)
}

// davStatus is davReply's status alone.
func davStatus(t *testing.T, ts *testServer, path, user, password string) int {
	t.Helper()
	code, _ := davReply(t, ts, path, user, password)
	return code
}

// elementText returns the unescaped text of the element with this id, or fails.
func elementText(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no element %q in\n%s", id, body)
	}
	return html.UnescapeString(m[1])
}

// untranslated finds message keys shown as text: translate shows a missing key as itself.
var untranslated = regexp.MustCompile(`>[^<]*\b((?:account|connect|devices|twofa|sessions|data|code|login|nav|copy)\.[a-z.]+)`)

// regexpFind returns the first group of pattern in s, or fails.
func regexpFind(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("%s not found in\n%s", pattern, s)
	}
	return m[1]
}

// regexpAll returns the first group of every match of pattern in s.
func regexpAll(s, pattern string) []string {
	var out []string
	for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// newPublicTestServer is newTestServer whose public URL is its own loopback address, for tests
// that hand a generated configuration to a real client.
func newPublicTestServer(t *testing.T) *testServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.BaseURL = "http://" + l.Addr().String()
	populate(t, cfg)
	s, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(s.Handler())
	hs.Listener.Close()
	hs.Listener = l
	hs.Start()
	ts := &testServer{Server: hs, srv: s, cfg: cfg}
	t.Cleanup(func() { ts.Close(); s.Close() })
	return ts
}
