package access

import (
	"context"
	"errors"
	"testing"
	"time"

	"parvis/storage/db"
)

// TestDecisionsFollowStanding: what access does itself (granting, inviting, publishing, deciding a
// request) is decided like what the surfaces do, from the person's standing now. An animator whose
// dues are unpaid after the suspension day, or whose guest access has ended, decides nothing; an
// administrator manages people in a group without a role there, and publishes nothing of it.
func TestDecisionsFollowStanding(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	s.SetPolicy(Policy{AdminActivates: true, DuesRequired: true, SuspendMonth: time.April, SuspendDay: 30})
	people := map[string]db.Person{}
	for _, e := range []string{"anim", "late", "ancien", "admin", "cible"} {
		p, err := s.CreatePerson(ctx, CLI, NewPerson{Email: e + "@example.org", Admin: e == "admin"})
		if err != nil {
			t.Fatal(err)
		}
		people[e] = p
	}
	s.CreateGroup(ctx, CLI, "bureau", "")
	s.db.Write(ctx, func(tx *db.Tx) error { _, err := tx.Mkdir(1, "/Docs"); return err })
	for _, e := range []string{"anim", "late", "ancien"} {
		if err := s.Grant(ctx, CLI, "bureau", e+"@example.org", db.RoleAnimator, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	// ancien's role ends: an animator's access can expire like a guest's.
	s.db.Write(ctx, func(tx *db.Tx) error {
		return tx.SetMembership(1, people["ancien"].ID, db.RoleAnimator, 0, time.Date(2027, 3, 1, 0, 0, 0, 0, time.Local))
	})
	for _, e := range []string{"anim", "ancien", "cible"} {
		if err := s.RecordDues(ctx, CLI, e+"@example.org", 2027, 1500, "test"); err != nil {
			t.Fatal(err)
		}
	}
	defer db.SetClock(func() time.Time { return time.Date(2027, 5, 2, 10, 0, 0, 0, time.Local) })()
	s.grants.clear()

	grant := func(who string) error {
		return s.Grant(ctx, Actor{Person: people[who]}, "bureau", "cible@example.org", db.RoleMember, time.Time{})
	}
	publish := func(who string) error {
		_, err := s.Publish(ctx, Actor{Person: people[who]}, "bureau", "/Docs", AudienceAll)
		return err
	}
	for _, c := range []struct {
		who          string
		grant, publ  error
		standingRole db.Role
	}{
		{"late", ErrNoAccess, ErrNoAccess, ""},   // dues unpaid on 2 May: suspended
		{"ancien", ErrNoAccess, ErrNoAccess, ""}, // role ended on 1 March
		{"admin", nil, ErrNoAccess, ""},          // manages people, not content
		{"anim", nil, nil, db.RoleAnimator},
	} {
		if err := grant(c.who); !errors.Is(err, c.grant) && !(c.grant == nil && err == nil) {
			t.Errorf("%s grants: %v, want %v", c.who, err, c.grant)
		}
		if err := publish(c.who); !errors.Is(err, c.publ) && !(c.publ == nil && err == nil) {
			t.Errorf("%s publishes: %v, want %v", c.who, err, c.publ)
		}
		g, _ := s.GroupAccess(ctx, people[c.who], "bureau")
		if g.Role != c.standingRole {
			t.Errorf("%s's standing: %q, want %q", c.who, g.Role, c.standingRole)
		}
	}
}
