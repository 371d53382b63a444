package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

type sessionList struct {
	Sessions []struct {
		ID        string `json:"id"`
		UserAgent string `json:"user_agent"`
		Current   bool   `json:"current"`
		LastSeen  string `json:"last_seen_at"`
	} `json:"sessions"`
}

// signInBrowser signs a new browser in as user and returns it with a CSRF token for the API.
func signInBrowser(t *testing.T, ts *testServer, user string) (*browser, string) {
	t.Helper()
	b := newBrowser(t, ts.URL, "fr")
	tok := b.form("/login")
	if status, _, _ := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {user}, "password": {pw}}); status != 303 {
		t.Fatalf("sign-in: %d", status)
	}
	return b, csrfRE.FindStringSubmatch(mustGet(t, b, "/"))[1]
}

// TestSessions: a person sees their browsers with the current one marked, signs one out, then
// every other; nobody else's session can be touched.
func TestSessions(t *testing.T) {
	ts := newTestServer(t)
	laptop, csrf := signInBrowser(t, ts, alice)
	phone, _ := signInBrowser(t, ts, alice)
	third, _ := signInBrowser(t, ts, alice)
	bobs, _ := signInBrowser(t, ts, bob)

	status, body := laptop.api("GET", "/api/me/sessions", csrf, "")
	var l sessionList
	if err := json.Unmarshal([]byte(body), &l); status != 200 || err != nil || len(l.Sessions) != 3 {
		t.Fatalf("list: %d %s", status, body)
	}
	current := 0
	for _, s := range l.Sessions {
		if s.Current {
			current++
		}
		if s.UserAgent == "" || s.LastSeen == "" || len(s.ID) != 16 {
			t.Fatalf("session item: %+v", s)
		}
	}
	if current != 1 {
		t.Fatalf("%d sessions marked current", current)
	}
	// Bob cannot sign out Alice's browsers.
	var other string
	for _, s := range l.Sessions {
		if !s.Current {
			other = s.ID
		}
	}
	ts.must(t, 404, req{method: "DELETE", path: "/api/me/sessions/" + other, user: bob})
	ts.must(t, 204, req{method: "DELETE", path: "/api/me/sessions/" + other, user: alice})
	status, body = laptop.api("POST", "/api/me/sessions/revoke-others", csrf, "")
	if status != 200 || jsonNumber(t, body, "signed_out") != 1 {
		t.Fatalf("sign out everywhere else: %d %s", status, body)
	}
	for name, b := range map[string]*browser{"phone": phone, "third": third} {
		if status, _, _ := b.do("GET", "/", nil); status != 303 {
			t.Errorf("%s still signed in: %d", name, status)
		}
	}
	mustGet(t, laptop, "/")
	mustGet(t, bobs, "/")
}

func jsonNumber(t *testing.T, body, field string) float64 {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	n, _ := m[field].(float64)
	return n
}

// TestCSRFWithBogusBasicHeader: a forged request that rides on the session cookie is refused even
// when it adds an Authorization header of its own; a script with its own credentials needs no
// token.
func TestCSRFWithBogusBasicHeader(t *testing.T) {
	ts := newTestServer(t)
	b, csrf := signInBrowser(t, ts, alice)
	r, _ := http.NewRequest("POST", ts.URL+"/api/me/app-passwords", strings.NewReader(`{"name": "piège"}`))
	r.Header.Set("Content-Type", "application/json")
	r.SetBasicAuth("nobody@example.org", "x")
	resp, err := b.c.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("cookie and a bogus Basic header without a token: %d", resp.StatusCode)
	}
	if status, body := b.api("GET", "/api/me/app-passwords", csrf, ""); status != 200 || strings.Contains(body, "piège") {
		t.Fatalf("an app password was created without a token: %d %s", status, body)
	}
	ts.apiJSON(t, 201, "POST", "/api/me/app-passwords", alice, `{"name": "script"}`, nil)
}

// lockedBuffer is a log the server writes from many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestWebSignInFailuresLoggedAndThrottled: a wrong password on the sign-in page is logged in the
// DAV door's words (one fail2ban filter for both), and once the account's failures reach the limit
// the page answers 429 with the time to wait.
func TestWebSignInFailuresLoggedAndThrottled(t *testing.T) {
	cfg := testConfig(t)
	populate(t, cfg)
	var log lockedBuffer
	s, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(s.Handler()), srv: s, cfg: cfg}
	t.Cleanup(func() { ts.Close(); s.Close() })

	b := newBrowser(t, ts.URL, "fr")
	tok := b.form("/login")
	for i := range 10 {
		if code, _, _ := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {alice}, "password": {"pas le bon"}}); code != 401 {
			t.Fatalf("wrong password %d: %d", i+1, code)
		}
	}
	if n := strings.Count(log.String(), `msg="sign-in failed" user=`+alice+` remote=127.0.0.1`); n != 10 {
		t.Fatalf("%d failures logged, want 10:\n%s", n, log.String())
	}
	code, body, hdr := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {alice}, "password": {pw}})
	if code != 429 || hdr.Get("Retry-After") == "" || !strings.Contains(body, "Réessayez dans 15 minutes") {
		t.Fatalf("after 10 failures: %d %v", code, hdr)
	}
	hr, _ := http.NewRequest("PROPFIND", ts.URL+"/dav/files/", nil)
	hr.SetBasicAuth("inconnu@example.org", "x")
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(log.String(), `msg="sign-in failed" user=inconnu@example.org remote=127.0.0.1`) {
		t.Fatalf("the DAV door's failure is not logged alike:\n%s", log.String())
	}
}

// TestFormTokenLivesWithinOneSession: the form token a browser read before signing in submits
// nothing once signed in, nor one read during a session after signing out: each session gets its
// own.
func TestFormTokenLivesWithinOneSession(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL, "fr")
	before := b.form("/login")
	if code, _, _ := b.do("POST", "/login", url.Values{"_csrf": {before}, "email": {alice}, "password": {pw}}); code != 303 {
		t.Fatalf("sign-in: %d", code)
	}
	if code, _, _ := b.do("POST", "/account/name", url.Values{"_csrf": {before}, "name": {"Alice"}}); code != 403 {
		t.Fatalf("the token read before signing in: %d, want 403", code)
	}
	during := b.form("/account/")
	if code, _, _ := b.do("POST", "/account/name", url.Values{"_csrf": {during}, "name": {"Alice"}}); code != 200 {
		t.Fatalf("the session's own token: %d, want 200", code)
	}
	if code, _, _ := b.do("POST", "/logout", url.Values{"_csrf": {during}}); code != 303 {
		t.Fatalf("sign-out: %d", code)
	}
	if code, _, _ := b.do("POST", "/login", url.Values{"_csrf": {during}, "email": {alice}, "password": {pw}}); code != 403 {
		t.Fatalf("the previous session's token after signing out: %d, want 403", code)
	}
}

// TestSignInReturnsToThePageAsked: a signed-out visitor following a link to a page of a signed-in
// area is sent to the sign-in page and, once signed in, back to that page; a "next" that leads
// elsewhere than this site leads home.
func TestSignInReturnsToThePageAsked(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL, "fr")
	code, _, h := b.do("GET", "/groups/atelier/links?x=1", nil)
	if code != 303 || h.Get("Location") != "/login?next=%2Fgroups%2Fatelier%2Flinks%3Fx%3D1" {
		t.Fatalf("signed out: %d %s", code, h.Get("Location"))
	}
	page := mustGet(t, b, h.Get("Location"))
	if !strings.Contains(page, `name="next" value="/groups/atelier/links?x=1"`) {
		t.Fatalf("the sign-in form does not carry the page asked for:\n%s", page)
	}
	code, _, h = b.submit(h.Get("Location"), "/login", url.Values{"email": {alice}, "password": {pw}, "next": {"/groups/atelier/links?x=1"}})
	if code != 303 || h.Get("Location") != "/groups/atelier/links?x=1" {
		t.Fatalf("after signing in: %d %s", code, h.Get("Location"))
	}
	// Through the second factor too.
	clock, _ := ts.enrolTwoFactor(t, gus)
	g := newBrowser(t, ts.URL, "fr")
	code, _, h = g.submit("/login", "/login", url.Values{"email": {gus}, "password": {pw}, "next": {"/groups/atelier/agenda"}})
	if code != 303 || h.Get("Location") != "/login/code" {
		t.Fatalf("the password with two-factor on: %d %s", code, h.Get("Location"))
	}
	code, _, h = g.submit("/login/code", "/login/code", url.Values{"code": {clock.code(t, 1)}})
	if code != 303 || h.Get("Location") != "/groups/atelier/agenda" {
		t.Fatalf("after the code: %d %s", code, h.Get("Location"))
	}
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		o := newBrowser(t, ts.URL, "fr")
		code, _, h := o.submit("/login", "/login", url.Values{"email": {bob}, "password": {pw}, "next": {next}})
		if code != 303 || h.Get("Location") != "/" {
			t.Errorf("next %q: %d %s, want home", next, code, h.Get("Location"))
		}
	}
}
