package access

import (
	"context"
	"fmt"
	"strings"

	"parvis/storage/db"
)

// What administrators manage beyond people's roles in groups: the administrator flag, a group's
// membership rule, and the overviews of their pages.

// SetRequiresMembership says whether joining a group needs membership (an administrator's
// activation with dues, per the policy) after its animators' validation, or validation alone.
func (s *Service) SetRequiresMembership(ctx context.Context, by Actor, slug string, requires bool) error {
	return s.changeGroup(ctx, by, slug, "group.requires_membership", fmt.Sprint(requires), func(tx *db.Tx, g db.Group) error {
		return tx.SetRequiresMembership(g.ID, requires) // the dues rule's suspension depends on the flag
	})
}

// SetAdmin makes a person an administrator or takes the role away; the last active administrator
// keeps it, or nobody could administer the instance from the web.
func (s *Service) SetAdmin(ctx context.Context, by Actor, email string, admin bool) error {
	if !by.isAdmin() {
		return ErrForbidden
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		p, err := tx.R().PersonByEmail(strings.TrimSpace(email))
		if err != nil {
			return fmt.Errorf("%w: no account with the e-mail %s", ErrInvalid, email)
		}
		if !admin && Administers(p) {
			if n, err := tx.R().CountAdmins(); err != nil {
				return err
			} else if n <= 1 {
				return ErrLastAdmin
			}
		}
		if err := tx.SetAdmin(p.ID, admin); err != nil {
			return err
		}
		action := "person.admin_grant"
		if !admin {
			action = "person.admin_revoke"
		}
		return tx.Audit(by.audit(action, p.Email, ""))
	})
	if p, err := s.db.R(ctx).PersonByEmail(strings.TrimSpace(email)); err == nil {
		s.cache.forgetPerson(p.ID)
	}
	return err
}

// People lists the accounts matching search (e-mail or name) with their dues of year, for
// administrators.
func (s *Service) People(ctx context.Context, by Actor, search string, year int) ([]db.PersonOverview, error) {
	if !by.isAdmin() {
		return nil, ErrForbidden
	}
	return s.db.R(ctx).PeopleOverview(search, year)
}

// GroupsOverview lists every group with its members count and animators, for administrators.
func (s *Service) GroupsOverview(ctx context.Context, by Actor) ([]db.GroupOverview, error) {
	if !by.isAdmin() {
		return nil, ErrForbidden
	}
	return s.db.R(ctx).GroupsOverview()
}

// Counts returns the figures of the administrators' dashboard.
func (s *Service) Counts(ctx context.Context, by Actor) (db.Counts, error) {
	if !by.isAdmin() {
		return db.Counts{}, ErrForbidden
	}
	return s.db.R(ctx).CountAll()
}
