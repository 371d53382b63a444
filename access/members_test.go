package access

import (
	"context"
	"errors"
	"testing"
	"time"

	"parvis/storage/db"
)

// TestMembersAndLinks: the people of a group with who granted them; the last animator keeps the role;
// bookmarks take web addresses only, guests read them, and every change is audited.
func TestMembersAndLinks(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	mk := func(email, name string) db.Person {
		p, err := s.CreatePerson(ctx, CLI, NewPerson{Email: email, Name: name, Password: "un mot de passe long"})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	anna, bea, cleo := mk("anna@example.org", "Anna"), mk("bea@example.org", ""), mk("cleo@example.org", "Cléo")
	if _, err := s.CreateGroup(ctx, CLI, "collectif", "Collectif"); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Grant(ctx, CLI, "collectif", anna.Email, db.RoleAnimator, time.Time{}))
	must(s.Grant(ctx, Actor{Person: anna}, "collectif", bea.Email, db.RoleMember, time.Time{}))
	must(s.Grant(ctx, Actor{Person: anna}, "collectif", cleo.Email, db.RoleGuest, time.Now().Add(48*time.Hour)))

	if err := s.Grant(ctx, Actor{Person: anna}, "collectif", anna.Email, db.RoleMember, time.Time{}); !errors.Is(err, ErrLastKeyRole) {
		t.Fatalf("the last animator stepped down: %v", err)
	}
	g, _ := s.GroupAccess(ctx, anna, "collectif")
	ms, err := s.Members(ctx, g.Group.ID)
	if err != nil || len(ms) != 3 {
		t.Fatalf("members: %+v %v", ms, err)
	}
	byEmail := map[string]Member{}
	for _, m := range ms {
		byEmail[m.Person.Email] = m
	}
	if m := byEmail[bea.Email]; m.Role != db.RoleMember || m.GrantedBy != "Anna" {
		t.Fatalf("bea: %+v", m)
	}
	if m := byEmail[anna.Email]; m.Role != db.RoleAnimator || m.GrantedBy != "" {
		t.Fatalf("anna, granted from the command line: %+v", m)
	}
	if m := byEmail[cleo.Email]; m.ExpiresAt.IsZero() || m.Expired {
		t.Fatalf("cleo's expiry: %+v", m)
	}
	if _, _, err := s.PeopleAccess(ctx, mk("dan@example.org", ""), "collectif"); !errors.Is(err, ErrNoAccess) {
		t.Fatalf("an outsider sees the people: %v", err)
	}

	bg, _ := s.GroupAccess(ctx, bea, "collectif")
	cg, _ := s.GroupAccess(ctx, cleo, "collectif")
	for _, u := range []string{"javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "ftp://x.org", "http:x", "//x.org"} {
		if _, err := s.SaveLink(ctx, Actor{Person: bea}, bg, db.Link{URL: u}); !errors.Is(err, ErrLinkURL) {
			t.Errorf("%q accepted: %v", u, err)
		}
	}
	l, err := s.SaveLink(ctx, Actor{Person: bea}, bg, db.Link{URL: " https://pad.example.org/ag ", Note: "ordre du jour"})
	if err != nil || l.Title != "pad.example.org" || l.URL != "https://pad.example.org/ag" {
		t.Fatalf("save: %+v %v", l, err)
	}
	if _, err := s.SaveLink(ctx, Actor{Person: cleo}, cg, db.Link{URL: "https://x.org"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a guest wrote a link: %v", err)
	}
	if ls, err := s.Links(ctx, cg); err != nil || len(ls) != 1 {
		t.Fatalf("a guest reads the links: %v %v", ls, err)
	}
	if err := s.DeleteLink(ctx, Actor{Person: cleo}, cg, l.ID); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a guest deleted a link: %v", err)
	}
	must(s.DeleteLink(ctx, Actor{Person: bea}, bg, l.ID))
	if err := s.DeleteLink(ctx, Actor{Person: bea}, bg, l.ID); !errors.Is(err, ErrNoAccess) {
		t.Fatalf("deleting twice: %v", err)
	}
	log, _ := s.db.R(ctx).AuditLog(2)
	if len(log) != 2 || log[0].Action != "link.delete" || log[1].Action != "link.create" || log[1].Actor != bea.Email {
		t.Fatalf("audit: %+v", log)
	}
}

// TestStaleRequestNeverDemotes: someone who asked to join, was then made animator directly, keeps
// that role: the grant closes the request, and an activation of a request, however it comes,
// never lowers a role — the group is never left without its animator.
func TestStaleRequestNeverDemotes(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	admin, err := s.CreatePerson(ctx, CLI, NewPerson{Email: "admin@example.org", Password: "un mot de passe long", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	p := mustPerson(t, s, "nouvelle@example.org", "")
	if _, err := s.CreateGroup(ctx, CLI, "atelier", "Atelier"); err != nil {
		t.Fatal(err)
	}
	req, err := s.Request(ctx, p, "atelier", "je voudrais aider")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Grant(ctx, CLI, "atelier", p.Email, db.RoleAnimator, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.db.R(ctx).Request(req.ID); got.Status != db.RequestActive {
		t.Fatalf("the request after a direct grant: %s, want active (closed)", got.Status)
	}
	if _, err := s.Decide(ctx, Actor{Person: admin}, req.ID, true, ""); err == nil {
		if _, err := s.Activate(ctx, Actor{Person: admin}, req.ID); err == nil {
			t.Log("the closed request was activated again")
		}
	}
	m, err := s.db.R(ctx).Membership(req.GroupID, p.ID)
	if err != nil || m.Role != db.RoleAnimator {
		t.Fatalf("after the stale request: %s %v, want animator", m.Role, err)
	}

	// A request activated while its person holds a role given since (the request was validated
	// first) leaves that role as it is.
	q := mustPerson(t, s, "autre@example.org", "")
	req2, _ := s.Request(ctx, q, "atelier", "")
	if _, err := s.Decide(ctx, Actor{Person: mustAnimator(t, s, p)}, req2.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Write(ctx, func(tx *db.Tx) error { return tx.SetMembership(req2.GroupID, q.ID, db.RoleAnimator, 0, time.Time{}) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Activate(ctx, Actor{Person: admin}, req2.ID); err != nil && !errors.Is(err, ErrDuesMissing) {
		t.Fatal(err)
	}
	if m, _ := s.db.R(ctx).Membership(req2.GroupID, q.ID); m.Role != db.RoleAnimator {
		t.Fatalf("an activation lowered an animator to %s", m.Role)
	}
}

// mustAnimator is p read again, for acting as the animator they are.
func mustAnimator(t *testing.T, s *Service, p db.Person) db.Person {
	t.Helper()
	got, err := s.db.R(context.Background()).PersonByID(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
