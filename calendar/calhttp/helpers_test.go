package calhttp

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parvis/access"
	"parvis/storage/db"
)

// fixture is a handler over a real database holding Alice (member of atelier), Gaston (guest of
// atelier) and Bob (member of bureau).
type fixture struct {
	t      testing.TB
	h      *Handler
	people map[string]db.Person
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "parvis.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	acc := access.New(d)
	f := &fixture{t: t, people: map[string]db.Person{}}
	for _, slug := range []string{"atelier", "bureau"} {
		if _, err := acc.CreateGroup(ctx, access.CLI, slug, strings.ToUpper(slug[:1])+slug[1:]); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []struct {
		name, group string
		role        db.Role
	}{{"alice", "atelier", db.RoleMember}, {"gaston", "atelier", db.RoleGuest}, {"bob", "bureau", db.RoleMember},
		{"anna", "atelier", db.RoleAnimator}} {
		p, err := acc.CreatePerson(ctx, access.CLI, access.NewPerson{Email: m.name + "@example.org", Name: m.name})
		if err != nil {
			t.Fatal(err)
		}
		if err := acc.Grant(ctx, access.CLI, m.group, p.Email, m.role, time.Time{}); err != nil {
			t.Fatal(err)
		}
		f.people[m.name] = p
	}
	f.h = &Handler{DB: d, Access: acc, MaxXMLBody: 1 << 20, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return f
}

// do sends one request as who and returns the recorded response.
func (f *fixture) do(who, method, path, body string, headers ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	if who != "" {
		r = r.WithContext(access.WithPerson(r.Context(), f.people[who]))
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

// expect checks the status and that the body contains every string of want.
func (f *fixture) expect(w *httptest.ResponseRecorder, status int, want ...string) string {
	f.t.Helper()
	body := w.Body.String()
	if w.Code != status {
		f.t.Fatalf("status %d, want %d; body:\n%s", w.Code, status, body)
	}
	for _, s := range want {
		if !strings.Contains(body, s) {
			f.t.Fatalf("body lacks %q:\n%s", s, body)
		}
	}
	return body
}

// audited lists the audit log's entries whose action starts with prefix, newest first, as
// "action actor target" joined with "|".
func (f *fixture) audited(prefix string) string {
	f.t.Helper()
	entries, err := f.h.DB.R(context.Background()).AuditLog(50)
	if err != nil {
		f.t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if strings.HasPrefix(e.Action, prefix) {
			got = append(got, e.Action+" "+e.Actor+" "+e.Target)
		}
	}
	return strings.Join(got, "|")
}

// home is the calendar home of a person, e.g. f.home("alice", "calendars").
func (f *fixture) home(who, space string) string { return homeHref(space, f.people[who]) }

func vcal(body string) string {
	return strings.ReplaceAll("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Parvis//test//FR\n"+body+"END:VCALENDAR\n", "\n", "\r\n")
}

func event(uid, start, end, extra string) string {
	return vcal("BEGIN:VEVENT\nUID:" + uid + "\nDTSTAMP:20261121T100000Z\nDTSTART:" + start + "\nDTEND:" + end + "\n" + extra + "END:VEVENT\n")
}
