package access

import (
	"context"
	"errors"
	"strings"
	"time"

	"parvis/storage/db"
)

// Member is a person of a group as its people page shows them.
type Member struct {
	Person    db.Person
	Role      db.Role
	GrantedAt time.Time
	ExpiresAt time.Time // zero: never
	GrantedBy string    // name or e-mail of who granted the role; "" for the command line
	Expired   bool      // a guest whose access has ended
}

// PeopleAccess tells whether p may see the people of group slug, and manage them: the group's
// members see them, its animators and the administrators manage them. Administrators see a group
// they are not in, because they manage people; its files stay closed to them (see GroupAccess).
func (s *Service) PeopleAccess(ctx context.Context, p db.Person, slug string) (g db.Group, manage bool, err error) {
	grant, err := s.GroupAccess(ctx, p, slug)
	if err == nil && grant.Allows(PeopleRead, "") {
		return grant.Group, grant.Allows(RolesGrant, "") || Administers(p), nil
	}
	if err != nil && !errors.Is(err, ErrNoAccess) {
		return g, false, err
	}
	if !Administers(p) {
		return g, false, ErrNoAccess
	}
	g, err = s.db.R(ctx).GroupBySlug(slug)
	if errors.Is(err, db.ErrNotFound) {
		return g, false, ErrNoAccess
	}
	return g, true, err
}

// Members lists the people of a group, animators first, with who granted each role.
func (s *Service) Members(ctx context.Context, groupID int64) ([]Member, error) {
	r := s.db.R(ctx)
	ms, err := r.MembersOf(groupID)
	if err != nil {
		return nil, err
	}
	out := make([]Member, 0, len(ms))
	names := map[int64]string{}
	for _, m := range ms {
		p, err := r.PersonByID(m.PersonID)
		if err != nil {
			return nil, err
		}
		names[p.ID] = p.DisplayName()
		out = append(out, Member{Person: p, Role: m.Role, GrantedAt: m.GrantedAt, ExpiresAt: m.ExpiresAt,
			Expired: !m.ExpiresAt.IsZero() && !db.Now().Before(m.ExpiresAt)})
	}
	for i, m := range ms {
		if m.GrantedBy == 0 {
			continue
		}
		if _, ok := names[m.GrantedBy]; !ok {
			if p, err := r.PersonByID(m.GrantedBy); err == nil {
				names[m.GrantedBy] = p.DisplayName()
			}
		}
		out[i].GrantedBy = names[m.GrantedBy]
	}
	return out, nil
}

// AllGroups lists the instance's groups, for people looking for one to join.
func (s *Service) AllGroups(ctx context.Context) ([]db.Group, error) {
	return s.db.R(ctx).Groups()
}

// MyRequests lists p's requests to join groups, newest first.
func (s *Service) MyRequests(ctx context.Context, p db.Person) ([]db.AccessRequest, error) {
	return s.db.R(ctx).PersonRequests(p.ID)
}

// ActiveMembers lists the people of a group with access now (not suspended by an administrator or
// for unpaid dues, not expired), in the order of their membership: those a page may offer as
// attendees or assignees.
func (s *Service) ActiveMembers(ctx context.Context, group db.Group) ([]db.Person, error) {
	return s.PeopleAllowed(s.db.R(ctx), group, CalendarRead) // every role reads the agenda
}

// Colleagues are the people p works with: those with access now to one of the groups p belongs to
// (not those p only reads publications of), p included, each once. A principal search — finding
// whom to invite to a meeting — finds them and no one else.
func (s *Service) Colleagues(ctx context.Context, p db.Person) ([]db.Person, error) {
	r := s.db.R(ctx)
	ms, err := s.liveMemberships(r, p)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []db.Person
	for _, m := range ms {
		people, err := s.PeopleAllowed(r, m.Group, CalendarRead)
		if err != nil {
			return nil, err
		}
		for _, c := range people {
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// Joining is what the groups page tells someone about joining a group: who animates it (their
// names: those without one are counted, their addresses are not shown outside the group) and
// whether an administrator activates the membership once the dues are paid.
type Joining struct {
	Animators          []string
	Unnamed            int // animators without a name
	RequiresMembership bool
}

// JoiningOf reads what joining group g takes.
func (s *Service) JoiningOf(ctx context.Context, g db.Group) (Joining, error) {
	r := s.db.R(ctx)
	var j Joining
	people, err := s.PeopleAllowed(r, g, RequestsDecide)
	if err != nil {
		return j, err
	}
	for _, p := range people {
		if p.Name != "" {
			j.Animators = append(j.Animators, p.Name)
		} else {
			j.Unnamed++
		}
	}
	j.RequiresMembership, err = r.RequiresMembership(g.ID)
	return j, err
}

// FreeBusyOf finds the person whose busy time p asks for by address (a free-busy lookup before
// inviting, RFC 6638 §5): themselves, or someone they share a group's agenda with, as principal
// search shows. ErrNoAccess for anyone else, member here or not: who is a member is not told.
func (s *Service) FreeBusyOf(ctx context.Context, p db.Person, email string) (db.Person, error) {
	if strings.EqualFold(email, p.Email) {
		return p, nil
	}
	people, err := s.Colleagues(ctx, p)
	if err != nil {
		return db.Person{}, err
	}
	for _, c := range people {
		if strings.EqualFold(c.Email, email) {
			return c, nil
		}
	}
	return db.Person{}, ErrNoAccess
}
