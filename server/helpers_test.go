package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"parvis/access"
	"parvis/config"
	"parvis/storage/db"
)

// The people of every test instance. alice is a member of atelier and of commun, bob of bureau
// only, gus a guest of atelier, anna animates atelier.
const pw = "mot-de-passe-de-test"

var people = []struct {
	email  string
	grants map[string]db.Role
}{
	{"alice@example.org", map[string]db.Role{"atelier": db.RoleMember, "commun": db.RoleMember}},
	{"bob@example.org", map[string]db.Role{"bureau": db.RoleMember}},
	{"gus@example.org", map[string]db.Role{"atelier": db.RoleGuest}},
	{"anna@example.org", map[string]db.Role{"atelier": db.RoleAnimator}},
}

// testServer is a real server on a loopback port over a fresh data directory.
type testServer struct {
	*httptest.Server
	srv *Server
	cfg config.Config
}

func testConfig(t *testing.T) config.Config {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	return cfg
}

// newTestServer builds an instance with the people above and serves it.
func newTestServer(t *testing.T) *testServer {
	t.Helper()
	cfg := testConfig(t)
	populate(t, cfg)
	return serveConfig(t, cfg)
}

func serveConfig(t *testing.T, cfg config.Config) *testServer {
	t.Helper()
	s, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(s.Handler()), srv: s, cfg: cfg}
	t.Cleanup(func() { ts.Close(); s.Close() })
	return ts
}

func populate(t *testing.T, cfg config.Config) {
	t.Helper()
	ctx := context.Background()
	in, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	for _, slug := range []string{"atelier", "bureau", "commun"} {
		if _, err := in.access.CreateGroup(ctx, access.CLI, slug, strings.ToUpper(slug[:1])+slug[1:]); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range people {
		if _, err := in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: p.email, Password: pw}); err != nil {
			t.Fatal(err)
		}
		for g, r := range p.grants {
			if err := in.access.Grant(ctx, access.CLI, g, p.email, r, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// req is one request of a scenario.
type req struct {
	method, path, user, body string
	headers                  []string // name, value, name, value…
}

// do sends r and returns the status and body.
func (ts *testServer) do(t *testing.T, r req) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr, err := http.NewRequest(r.method, ts.URL+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if r.user != "" {
		hr.SetBasicAuth(r.user, pw)
	}
	for i := 0; i+1 < len(r.headers); i += 2 {
		hr.Header.Set(r.headers[i], r.headers[i+1])
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// must sends r and fails the test unless the status is want.
func (ts *testServer) must(t *testing.T, want int, r req) (string, http.Header) {
	t.Helper()
	code, body, h := ts.do(t, r)
	if code != want {
		t.Fatalf("%s %s as %s: status %d, want %d\n%s", r.method, r.path, r.user, code, want, body)
	}
	return body, h
}

const (
	alice = "alice@example.org"
	bob   = "bob@example.org"
	gus   = "gus@example.org"
	anna  = "anna@example.org"
)
