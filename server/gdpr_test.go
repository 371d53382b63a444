package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"parvis/access"
	"parvis/storage/db"
)

// TestPersonalExport: the archive holds each kind of data as JSON, and no secret.
func TestPersonalExport(t *testing.T) {
	ts := newTestServer(t)
	ts.apiJSON(t, 201, "POST", "/api/me/app-passwords", alice, `{"name": "ordiphone"}`, nil)
	signInBrowser(t, ts, alice)
	body, h := ts.must(t, 200, req{method: "GET", path: "/api/me/export", user: alice})
	if h.Get("Content-Type") != "application/zip" {
		t.Fatalf("content type %q", h.Get("Content-Type"))
	}
	z, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range z.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		got[f.Name] = string(b)
	}
	for name, want := range map[string]string{
		"profile.json": alice, "memberships.json": `"atelier"`, "app_passwords.json": "ordiphone",
		"sessions.json": "user_agent", "audit.json": "group.grant", "dues.json": "", "access_requests.json": "",
	} {
		content, ok := got[name]
		if !ok || !strings.Contains(content, want) {
			t.Errorf("%s: %q lacks %q", name, content, want)
		}
		if strings.Contains(content, "argon2") || strings.Contains(content, "hash") {
			t.Errorf("%s leaks a secret: %s", name, content)
		}
	}
	if !strings.Contains(ts.auditActions(t), "person.export") {
		t.Error("export not audited")
	}
}

// TestErasure: a request is visible to administrators only; erasing refuses a group's last
// animator, removes the person otherwise, and keeps the audit trail's text.
func TestErasure(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	if _, err := ts.srv.in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: "dsi@example.org", Password: pw, Admin: true}); err != nil {
		t.Fatal(err)
	}
	ts.must(t, 202, req{method: "POST", path: "/api/me/erasure-request", user: alice})
	ts.must(t, 202, req{method: "POST", path: "/api/me/erasure-request", user: alice}) // asked twice: one request
	ts.must(t, 403, req{method: "GET", path: "/api/admin/erasure-requests", user: alice})
	list, _ := ts.must(t, 200, req{method: "GET", path: "/api/admin/erasure-requests", user: "dsi@example.org"})
	if strings.Count(list, alice) != 1 {
		t.Fatalf("requests: %s", list)
	}
	if err := ts.srv.in.access.ErasePerson(ctx, access.CLI, anna); !errors.Is(err, access.ErrLastKeyRole) {
		t.Fatalf("erasing the last animator: %v", err)
	}
	if err := ts.srv.in.access.ErasePerson(ctx, access.Actor{Person: mustPerson(t, ts, bob)}, alice); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("erasure by a member: %v", err)
	}
	if err := ts.srv.in.access.ErasePerson(ctx, access.CLI, alice); err != nil {
		t.Fatal(err)
	}
	ts.must(t, 401, req{method: "PROPFIND", path: "/dav/files/atelier/", user: alice, headers: []string{"Depth", "0"}})
	audit := ts.auditActions(t)
	if !strings.Contains(audit, "person.erase "+alice) || !strings.Contains(audit, alice+" person.erasure_request") {
		t.Fatalf("audit after erasure:\n%s", audit)
	}
	list, _ = ts.must(t, 200, req{method: "GET", path: "/api/admin/erasure-requests", user: "dsi@example.org"})
	if strings.Contains(list, `"done_at":"0001-01-01T00:00:00Z"`) {
		t.Fatalf("request not closed: %s", list)
	}
}

// TestEraseLastAdministrator: the command line refuses to erase the only administrator.
func TestEraseLastAdministrator(t *testing.T) {
	env := map[string]string{"PARVIS_DATA_DIR": t.TempDir()}
	if code, _, e := run(t, env, "un mot de passe long\n", "admin", "person", "add", "dsi@example.org", "--admin"); code != 0 {
		t.Fatal(e)
	}
	if code, out, e := run(t, env, "", "admin", "person", "erase", "dsi@example.org"); code != 1 || !strings.Contains(out+e, "last administrator") {
		t.Fatalf("exit %d: %s%s", code, out, e)
	}
	run(t, env, "", "admin", "person", "add", "membre@example.org")
	if code, out, e := run(t, env, "", "admin", "person", "erase", "membre@example.org"); code != 0 || !strings.Contains(out, "erased") {
		t.Fatalf("exit %d: %s%s", code, out, e)
	}
}

// TestAccessReview: administrators get the group's members as CSV with who granted what and the
// dues; others are refused, and an unknown group is not found.
func TestAccessReview(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	if _, err := ts.srv.in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: "dsi@example.org", Password: pw, Admin: true}); err != nil {
		t.Fatal(err)
	}
	ts.must(t, 403, req{method: "GET", path: "/api/admin/groups/atelier/access-review.csv", user: anna})
	ts.must(t, 404, req{method: "GET", path: "/api/admin/groups/nulle-part/access-review.csv", user: "dsi@example.org"})
	body, h := ts.must(t, 200, req{method: "GET", path: "/api/admin/groups/atelier/access-review.csv?year=2026", user: "dsi@example.org",
		headers: []string{"Accept-Language", "en"}})
	if !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("content type %q, byte order mark %v", h.Get("Content-Type"), strings.HasPrefix(body, "\ufeff"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 4 || strings.Join(rows[0], ",") != "email,name,role,granted_by,granted_at,expires_at,dues_2026" {
		t.Fatalf("csv: %v\n%s", err, body)
	}
	// In French, as a French spreadsheet reads it: semicolons, headings and values in words.
	fr, _ := ts.must(t, 200, req{method: "GET", path: "/api/admin/groups/atelier/access-review.csv?year=2026", user: "dsi@example.org",
		headers: []string{"Accept-Language", "fr"}})
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(fr, "\ufeff")))
	r.Comma = ';'
	if frRows, err := r.ReadAll(); err != nil || len(frRows) != 4 || frRows[0][0] != "e-mail" || !strings.Contains(fr, "invité·e;") || !strings.Contains(fr, "non payée") {
		t.Fatalf("French csv: %v\n%s", err, fr)
	}
	byEmail := map[string][]string{}
	for _, r := range rows[1:] {
		byEmail[r[0]] = r
	}
	if r := byEmail[gus]; r[2] != "guest" || r[6] != "not required" {
		t.Errorf("guest row: %v", r)
	}
	if r := byEmail[alice]; r[2] != "member" || r[6] != "unpaid" || r[4] == "" {
		t.Errorf("member row: %v", r)
	}
	if !strings.Contains(ts.auditActions(t), "group.access_review atelier") {
		t.Error("review not audited")
	}
}

func mustPerson(t *testing.T, ts *testServer, email string) db.Person {
	t.Helper()
	p, err := ts.srv.in.db.R(context.Background()).PersonByEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
