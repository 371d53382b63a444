package access

import (
	"context"
)

// KeyRoleWarning is a key role that rests on fewer than two people: governance wants two on each,
// so that nothing stops when one is away and nobody acts unseen.
type KeyRoleWarning struct {
	Group string // slug; "" for the instance's administrators
	Count int    // how many hold the role now
}

// KeyRoles lists the key roles held by fewer than two people: the instance's administrators, then
// each group's animators by slug. `parvis admin check` and the administrators' dashboard show it.
func (s *Service) KeyRoles(ctx context.Context) ([]KeyRoleWarning, error) {
	r := s.db.R(ctx)
	var out []KeyRoleWarning
	if n, err := r.CountAdmins(); err != nil {
		return nil, err
	} else if n < 2 {
		out = append(out, KeyRoleWarning{Count: n})
	}
	groups, err := r.Groups()
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		animators, err := animatorsOf(r, g.ID)
		if err != nil {
			return nil, err
		}
		if len(animators) < 2 {
			out = append(out, KeyRoleWarning{Group: g.Slug, Count: len(animators)})
		}
	}
	return out, nil
}
