package access

import (
	"context"

	"parvis/storage/db"
)

// Members lists the people of a group with access now (not suspended, not expired), in the order of
// their membership: those a page may offer as attendees or assignees.
func (s *Service) Members(ctx context.Context, groupID int64) ([]db.Person, error) {
	r := s.db.R(ctx)
	ms, err := r.MembersOf(groupID)
	if err != nil {
		return nil, err
	}
	var out []db.Person
	for _, m := range ms {
		p, err := r.PersonByID(m.PersonID)
		if err != nil {
			return nil, err
		}
		if active(p, m) {
			out = append(out, p)
		}
	}
	return out, nil
}
