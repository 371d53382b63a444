package access

import (
	"context"

	"parvis/storage/db"
)

// Perimeter is how far something a group validated reaches beyond it (its minutes): the group's own
// people, every member of the association, or anyone holding its public link. The association's
// rules say that the animators decide it, following the group's deliberation.
type Perimeter string

// The perimeters.
const (
	PerimeterGroup   Perimeter = "group"
	PerimeterMembers Perimeter = "members"
	PerimeterPublic  Perimeter = "public"
)

// Perimeters lists them, narrowest first.
var Perimeters = []Perimeter{PerimeterGroup, PerimeterMembers, PerimeterPublic}

// AllowPublished answers whether p may read what the group publishes at perimeter: its own people
// as MinutesRead allows; beyond the group, at the members' or the public perimeter, every member of
// the association, that is anyone whose live membership somewhere is as a member or an animator (a
// guest is invited to one group's work, and is not a member). Anyone else gets ErrNoAccess.
func (s *Service) AllowPublished(ctx context.Context, p db.Person, slug string, perimeter Perimeter) error {
	r := s.db.R(ctx)
	if g, err := s.standing(r, p, slug); err == nil && g.member() {
		return g.Allow(MinutesRead, "")
	}
	if perimeter == PerimeterGroup || p.ID == 0 {
		return ErrNoAccess
	}
	ok, err := s.associationMember(r, p)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNoAccess
	}
	return nil
}

// IsAssociationMember tells whether p is a member of the association: a live membership as a member
// or an animator somewhere. They read what groups publish to all members.
func (s *Service) IsAssociationMember(ctx context.Context, p db.Person) (bool, error) {
	return s.associationMember(s.db.R(ctx), p)
}

func (s *Service) associationMember(r db.Read, p db.Person) (bool, error) {
	ms, err := s.liveMemberships(r, p)
	if err != nil {
		return false, err
	}
	for _, m := range ms {
		if rank[m.Role] >= rank[db.RoleMember] {
			return true, nil
		}
	}
	return false, nil
}
