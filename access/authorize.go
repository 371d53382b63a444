package access

import (
	"context"
	"errors"

	"parvis/storage/db"
)

// Grant is what a person may do in one group: the answer of the single authorization point.
type Grant struct {
	Group db.Group
	Role  db.Role
}

// CanRead tells whether the grant allows reading the group's content.
func (g Grant) CanRead() bool { return g.Role != "" }

// CanWrite tells whether the grant allows changing the group's content: guests only read.
func (g Grant) CanWrite() bool { return g.Role == db.RoleAnimator || g.Role == db.RoleMember }

// CanManage tells whether the grant allows managing the group's people and settings.
func (g Grant) CanManage() bool { return g.Role == db.RoleAnimator }

// active tells whether a membership gives access now: a suspended person or an expired guest has none.
func active(p db.Person, m db.Membership) bool {
	if p.Suspended {
		return false
	}
	return m.ExpiresAt.IsZero() || db.Now().Before(m.ExpiresAt)
}

// GroupAccess returns what p may do in the group with this slug. A group that does not exist and a
// group p is not an active member of give the same ErrNoAccess, so that outsiders learn nothing.
// Administrators get no implicit access to a group's content: they grant themselves a role, and that
// grant is in the audit log.
func (s *Service) GroupAccess(ctx context.Context, p db.Person, slug string) (Grant, error) {
	m, err := s.db.R(ctx).GroupMembership(slug, p.ID)
	if errors.Is(err, db.ErrNotFound) || err == nil && !active(p, m) {
		return Grant{}, ErrNoAccess
	} else if err != nil {
		return Grant{}, err
	}
	return Grant{Group: m.Group, Role: m.Role}, nil
}

// Groups lists the groups p has active access to, by slug.
func (s *Service) Groups(ctx context.Context, p db.Person) ([]Grant, error) {
	ms, err := s.db.R(ctx).MembershipsOf(p.ID)
	if err != nil {
		return nil, err
	}
	var out []Grant
	for _, m := range ms {
		if active(p, m) {
			out = append(out, Grant{Group: m.Group, Role: m.Role})
		}
	}
	return out, nil
}
