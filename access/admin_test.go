package access

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"parvis/storage/db"
)

// clockAt sets the store's clock to *at (read at each use) for the test's duration.
func clockAt(t *testing.T, at *time.Time) {
	restore := db.SetClock(func() time.Time { return *at })
	t.Cleanup(restore)
}

func mustPerson(t *testing.T, s *Service, email, password string) db.Person {
	t.Helper()
	p, err := s.CreatePerson(context.Background(), CLI, NewPerson{Email: email, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGuestExpiryWarning: a guest is warned once when their access ends within seven days, not
// before; a new end date warns again; past the end date the guest has no access.
func TestGuestExpiryWarning(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	now := time.Date(2030, 3, 1, 10, 0, 0, 0, time.Local)
	clockAt(t, &now)
	mustPerson(t, s, "anim@example.org", "")
	guest := mustPerson(t, s, "invite@example.org", "")
	s.CreateGroup(ctx, CLI, "atelier", "Atelier")
	s.Grant(ctx, CLI, "atelier", "anim@example.org", db.RoleAnimator, time.Time{})
	s.Grant(ctx, CLI, "atelier", "invite@example.org", db.RoleGuest, time.Date(2030, 3, 20, 0, 0, 0, 0, time.Local))
	sent := &noticeLog{}
	s.SetNotifier(sent)
	warn := func() int {
		t.Helper()
		n, err := s.WarnExpiringGuests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := warn(); n != 0 {
		t.Fatalf("19 days before the end: %d warned, want none", n)
	}
	now = time.Date(2030, 3, 14, 9, 0, 0, 0, time.Local)
	lastDay := time.Date(2030, 3, 19, 0, 0, 0, 0, time.Local)
	if n := warn(); n != 1 || len(sent.got) != 2 ||
		sent.got[0].To.Email != "invite@example.org" || sent.got[0].Template != "guest.ending" || sent.got[0].Until.YearDay() != lastDay.YearDay() ||
		sent.got[1].To.Email != "anim@example.org" || sent.got[1].Template != "guest.ending.animator" || sent.got[1].About.Email != "invite@example.org" {
		t.Fatalf("6 days before the end: %d warned, %+v", n, sent.got)
	}
	if n := warn(); n != 0 {
		t.Fatalf("warned again: %d", n)
	}
	s.Grant(ctx, CLI, "atelier", "invite@example.org", db.RoleGuest, time.Date(2030, 3, 18, 0, 0, 0, 0, time.Local))
	if n := warn(); n != 1 {
		t.Fatalf("a new end date must warn again: %d", n)
	}
	s.grants.clear()
	if _, err := s.GroupAccess(ctx, guest, "atelier"); err != nil {
		t.Fatalf("before the end: %v", err)
	}
	now = time.Date(2030, 3, 18, 0, 0, 1, 0, time.Local)
	s.grants.clear()
	if _, err := s.GroupAccess(ctx, guest, "atelier"); !errors.Is(err, ErrNoAccess) {
		t.Fatalf("after the end: %v, want ErrNoAccess", err)
	}
	if n := warn(); n != 0 {
		t.Fatalf("an expired guest was warned: %d", n)
	}
}

// TestAuditSearchAndRetention: filters return only matching entries, newest first, by pages; the
// retention deletes entries older than it and nothing newer.
func TestAuditSearchAndRetention(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	now := time.Date(2029, 1, 10, 12, 0, 0, 0, time.Local)
	clockAt(t, &now)
	anne := Actor{Person: mustPerson(t, s, "anne@example.org", "")}
	s.Audit(ctx, anne, "group.grant", "atelier paul@example.org", "member")
	now = time.Date(2030, 5, 2, 12, 0, 0, 0, time.Local)
	s.Audit(ctx, anne, "group.grant", "bureau paul@example.org", "member")
	s.Audit(ctx, CLI, "group.quota", "bureau", "10")
	for i := 0; i < AuditPage+5; i++ {
		s.Audit(ctx, CLI, "share.create", "atelier /doc", "")
	}
	search := func(f db.AuditFilter, page int) []db.AuditEntry {
		t.Helper()
		es, _, err := s.SearchAudit(ctx, CLI, f, page)
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	if es := search(db.AuditFilter{Actor: "ANNE@", Action: "grant"}, 0); len(es) != 2 || es[0].Target != "bureau paul@example.org" {
		t.Fatalf("by actor and action, newest first: %+v", es)
	}
	if es := search(db.AuditFilter{Target: "bureau"}, 0); len(es) != 2 {
		t.Fatalf("by target: %+v", es)
	}
	if es := search(db.AuditFilter{To: time.Date(2030, 1, 1, 0, 0, 0, 0, time.Local)}, 0); len(es) != 1+1 || es[0].Action != "group.grant" {
		// the entry of 2029 and anne's account creation, also of 2029
		t.Fatalf("by date: %+v", es)
	}
	if es := search(db.AuditFilter{From: time.Date(2030, 1, 1, 0, 0, 0, 0, time.Local), Action: "share"}, 1); len(es) != 5 {
		t.Fatalf("second page: %d entries, want 5", len(es))
	}
	if _, _, err := s.SearchAudit(ctx, Actor{Person: db.Person{ID: 99}}, db.AuditFilter{}, 0); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a non-administrator read the log: %v", err)
	}

	n, err := s.ExpireAudit(ctx, 400*24*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("retention deleted %d (%v), want the 2 entries of 2029", n, err)
	}
	if es := search(db.AuditFilter{To: time.Date(2030, 1, 1, 0, 0, 0, 0, time.Local)}, 0); len(es) != 0 {
		t.Fatalf("old entries left: %+v", es)
	}
	if es := search(db.AuditFilter{Action: "group."}, 0); len(es) != 2 {
		t.Fatalf("recent entries must stay: %+v", es)
	}
	if es := search(db.AuditFilter{Action: "audit.expire"}, 0); len(es) != 1 || !strings.Contains(es[0].Detail, "2 entries") {
		t.Fatalf("the purge itself is not recorded: %+v", es)
	}
}

// TestForceRenewalRules: "never changed" and "older than" select the right accounts; the account
// password then opens no device until a new one, different from the old, is set; app passwords
// keep working.
func TestForceRenewalRules(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.Local)
	clockAt(t, &now)
	const old = "un vieux mot de passe"
	oldP := mustPerson(t, s, "old@example.org", old)
	mustPerson(t, s, "changed@example.org", old)
	mustPerson(t, s, "nopass@example.org", "")
	now = now.AddDate(0, 0, 10)
	_, link, _ := s.PasswordLink(ctx, CLI, "changed@example.org")
	if _, err := s.SetPasswordWithLink(ctx, link, "un autre mot de passe"); err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 0, 190)
	mustPerson(t, s, "fresh@example.org", old)
	emails := func(ps []db.Person, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p.Email)
		}
		return strings.Join(out, " ")
	}
	if got := emails(renewalTargets(s.db.R(ctx), RenewalRule{NeverChanged: true})); got != "fresh@example.org old@example.org" {
		t.Fatalf("never changed: %s", got)
	}
	if got := emails(renewalTargets(s.db.R(ctx), RenewalRule{OlderThan: 180 * 24 * time.Hour})); got != "changed@example.org old@example.org" {
		t.Fatalf("older than 180 days: %s", got)
	}
	if _, err := s.ForceRenewal(ctx, CLI, RenewalRule{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a rule selecting nobody in particular: %v", err)
	}
	_, app, _ := s.CreateAppPassword(ctx, oldP, "téléphone")
	if got := emails(s.ForceRenewal(ctx, CLI, RenewalRule{Email: "old@example.org"})); got != "old@example.org" {
		t.Fatalf("one account: %s", got)
	}
	if _, err := s.Authenticate(ctx, "old@example.org", old, "127.0.0.1"); !errors.Is(err, ErrPasswordExpired) {
		t.Fatalf("account password during renewal: %v", err)
	}
	if _, err := s.Authenticate(ctx, "old@example.org", app, "127.0.0.1"); err != nil {
		t.Fatalf("app password during renewal: %v", err)
	}
	if got := emails(s.PendingRenewals(ctx, CLI)); got != "old@example.org" {
		t.Fatalf("pending: %s", got)
	}
	raw, _ := s.RenewalLink(ctx, oldP)
	if _, err := s.SetPasswordWithLink(ctx, raw, old); !errors.Is(err, ErrReusedPassword) {
		t.Fatalf("the old password again: %v", err)
	}
	if _, err := s.SetPasswordWithLink(ctx, raw, "enfin un nouveau mot de passe"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "old@example.org", "enfin un nouveau mot de passe", "127.0.0.1"); err != nil {
		t.Fatalf("new password: %v", err)
	}
	if got := emails(s.PendingRenewals(ctx, CLI)); got != "" {
		t.Fatalf("still pending: %s", got)
	}
}

// noticeLog keeps the notices access queues, to read what an action owes people.
type noticeLog struct{ got []Notice }

func (l *noticeLog) Queue(_ *db.Tx, n Notice) error { l.got = append(l.got, n); return nil }
func (l *noticeLog) Queued()                        {}
