package access

import (
	"errors"
	"fmt"
	"strings"

	"parvis/storage/db"
)

// An audience is a set of people an invitation names as one attendee (CUTYPE=GROUP, RFC 5545
// §3.2.3): a group's people, its members and animators, its animators, or every member of the
// association. The event keeps one line; each person in it is invited when the invitation goes,
// and who is in it is decided here, at that moment: someone whose dues lapsed is not.

// audiencePrefix starts the calendar address of an audience: a URN of ours, since an audience has
// no mailbox.
const audiencePrefix = "urn:x-parvis:"

// Audience is one group's people from a least role, or, with Group "", every member of the
// association.
type Audience struct {
	Group string  // the group's slug; "" for the association
	Least db.Role // the least role: guest (everyone of the group), member, animator
}

// ErrNoAudience refuses an audience address that names no group or role.
var ErrNoAudience = fmt.Errorf("%w: this invitation names no group of the association", ErrInvalid)

// Address is the audience's calendar address, as an ATTENDEE line carries it.
func (a Audience) Address() string {
	if a.Group == "" {
		return audiencePrefix + "association"
	}
	return audiencePrefix + "group:" + a.Group + ":" + string(a.Least)
}

// IsAudience tells whether a calendar address is an audience's.
func IsAudience(address string) bool {
	return strings.HasPrefix(strings.ToLower(address), audiencePrefix)
}

// ParseAudience reads an audience's address.
func ParseAudience(address string) (Audience, error) {
	rest, ok := strings.CutPrefix(strings.ToLower(address), audiencePrefix)
	if !ok {
		return Audience{}, ErrNoAudience
	}
	if rest == "association" {
		return Audience{Least: db.RoleMember}, nil
	}
	slug, role, _ := strings.Cut(strings.TrimPrefix(rest, "group:"), ":")
	least := db.Role(role)
	if role == "" {
		least = db.RoleGuest
	}
	if _, ok := rank[least]; !ok || slug == "" || !strings.HasPrefix(rest, "group:") {
		return Audience{}, ErrNoAudience
	}
	return Audience{Group: slug, Least: least}, nil
}

// AudiencePeople lists the people of an audience now, read through r: those whose standing is in
// force (not suspended, not expired, dues paid where the group asks for them) with at least its
// role; for the association, everyone whose live membership somewhere is as a member or animator.
func (s *Service) AudiencePeople(r db.Read, a Audience) ([]db.Person, error) {
	if a.Group != "" {
		g, err := r.GroupBySlug(a.Group)
		if errors.Is(err, db.ErrNotFound) {
			return nil, ErrNoAudience
		} else if err != nil {
			return nil, err
		}
		return s.peopleFrom(r, g, a.Least)
	}
	groups, err := r.Groups()
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []db.Person
	for _, g := range groups {
		people, err := s.peopleFrom(r, g, db.RoleMember)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			if !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// peopleFrom is a group's people in force with at least role least.
func (s *Service) peopleFrom(r db.Read, g db.Group, least db.Role) ([]db.Person, error) {
	return s.inForce(r, g, func(m db.Membership) bool { return rank[m.Role] >= rank[least] })
}

// AudiencesOf are the audiences an event of the group's agenda may invite, widest of the group
// first: the whole group, its members and animators, its animators; then the association.
func AudiencesOf(slug string) []Audience {
	return []Audience{{Group: slug, Least: db.RoleGuest}, {Group: slug, Least: db.RoleMember},
		{Group: slug, Least: db.RoleAnimator}, {Least: db.RoleMember}}
}

// Kind names who the audience is, for its label: all, members, animators or association.
func (a Audience) Kind() string {
	switch {
	case a.Group == "":
		return "association"
	case a.Least == db.RoleGuest:
		return "all"
	case a.Least == db.RoleAnimator:
		return "animators"
	}
	return "members"
}
