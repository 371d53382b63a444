package access

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"parvis/storage/db"
)

// Grant is a person's standing in one group; Allow (policy.go) answers what it lets them do. Its
// Group may be a few seconds old (see grantCacheTTL): read usage figures afresh where they matter.
type Grant struct {
	Group db.Group
	Role  db.Role
	// Only lists the published folders a reader (RoleReader) may read, from outside the group.
	// Their parent folders are visible, to find the way.
	Only []string
	// Until is the last moment of a guest's access; zero when it does not end.
	Until time.Time
}

// RoleReader is the role of someone who reads a group's published folders without belonging to it.
const RoleReader db.Role = "reader"

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
	key := grantKey{p.ID, slug}
	if g, ok := s.grants.get(key); ok {
		return g, nil
	}
	g, err := s.standing(s.db.R(ctx), p, slug)
	if err == nil && g.member() {
		s.grants.put(key, g)
	}
	return g, err
}

// standing is GroupAccess without the cache, read through r: inside a transaction, the decision
// sees what the transaction sees.
func (s *Service) standing(r db.Read, p db.Person, slug string) (Grant, error) {
	m, err := r.GroupMembership(slug, p.ID)
	if errors.Is(err, db.ErrNotFound) || err == nil && !active(p, m) {
		return s.publishedAccess(r, p, slug)
	} else if err != nil {
		return Grant{}, err
	}
	if off, err := s.suspended(r, p, m); err != nil {
		return Grant{}, err
	} else if off {
		return s.publishedAccess(r, p, slug)
	}
	return Grant{Group: m.Group, Role: m.Role, Until: m.ExpiresAt}, nil
}

// allowed is the decision for what access does itself (granting, inviting, publishing, deciding
// requests), inside the transaction that does it. The command line has the machine's trust;
// administrators act on any group's people (policy's admin mark) but not on its content; anyone
// else as their standing in the group allows. An unknown group is ErrNoAccess.
func (s *Service) allowed(r db.Read, by Actor, slug string, a Action) (db.Group, error) {
	if by.isCLI() || Administers(by.Person) && policy[a].admin {
		g, err := r.GroupBySlug(slug)
		if errors.Is(err, db.ErrNotFound) {
			return g, fmt.Errorf("%w: no group named %s", ErrNoAccess, slug)
		}
		return g, err
	}
	g, err := s.standing(r, by.Person, slug)
	if err != nil {
		return g.Group, err
	}
	return g.Group, g.Allow(a, "")
}

// Groups lists the groups p has active access to, by slug: theirs, then those that publish
// something to them.
func (s *Service) Groups(ctx context.Context, p db.Person) ([]Grant, error) {
	r := s.db.R(ctx)
	ms, err := s.liveMemberships(r, p)
	if err != nil {
		return nil, err
	}
	var out []Grant
	var ids []int64
	mine := map[int64]bool{}
	for _, m := range ms {
		out = append(out, Grant{Group: m.Group, Role: m.Role, Until: m.ExpiresAt})
		mine[m.Group.ID] = true
		ids = append(ids, m.Group.ID)
	}
	if len(ids) == 0 {
		return out, nil // publications to "all members" are for members of some group
	}
	publishers, err := r.PublishingGroups(ids)
	if err != nil {
		return nil, err
	}
	for _, id := range publishers {
		if mine[id] {
			continue
		}
		g, err := r.GroupByID(id)
		if err != nil {
			return nil, err
		}
		if grant, err := s.publishedAccess(r, p, g.Slug); err == nil {
			out = append(out, grant)
		}
	}
	return out, nil
}

// liveMemberships are p's memberships that give access now: neither suspended (by an
// administrator, for unpaid dues) nor expired. They alone open what other groups publish to p.
func (s *Service) liveMemberships(r db.Read, p db.Person) ([]db.Membership, error) {
	ms, err := r.MembershipsOf(p.ID)
	if err != nil {
		return nil, err
	}
	live := ms[:0]
	for _, m := range ms {
		if !active(p, m) {
			continue
		}
		if off, err := s.suspended(r, p, m); err != nil {
			return nil, err
		} else if !off {
			live = append(live, m)
		}
	}
	return live, nil
}

// publishedAccess is the access of someone outside a group to what it publishes to them: to one of
// their groups, or to every member (anyone active in some group).
func (s *Service) publishedAccess(r db.Read, p db.Person, slug string) (Grant, error) {
	g, err := r.GroupBySlug(slug)
	if errors.Is(err, db.ErrNotFound) {
		return Grant{}, ErrNoAccess
	} else if err != nil {
		return Grant{}, err
	}
	ms, err := s.liveMemberships(r, p)
	if err != nil {
		return Grant{}, err
	}
	if len(ms) == 0 {
		return Grant{}, ErrNoAccess
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.Group.ID
	}
	pubs, err := r.PublishedTo(g.ID, ids)
	if err != nil {
		return Grant{}, err
	}
	if len(pubs) == 0 {
		return Grant{}, ErrNoAccess
	}
	grant := Grant{Group: g, Role: RoleReader, Only: []string{}}
	for _, pub := range pubs {
		grant.Only = append(grant.Only, pub.Path)
	}
	return grant, nil
}

// grantCacheTTL is how long an answer of GroupAccess is reused: every DAV request asks it, usually
// many times a second for the same person and group. Grants made by this process clear the cache at
// once; those made by another (parvis admin) take effect within this delay, like a suspension.
const grantCacheTTL = 3 * time.Second

type grantKey struct {
	person int64
	slug   string
}

type grantEntry struct {
	grant   Grant
	expires time.Time
}

// grantCache remembers recent positive answers of GroupAccess.
type grantCache struct {
	mu       sync.Mutex
	m        map[grantKey]grantEntry
	onChange atomic.Pointer[func()] // told of every change of standing (OnStandingChange)
}

func (c *grantCache) get(k grantKey) (Grant, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || time.Now().After(e.expires) {
		return Grant{}, false
	}
	return e.grant, true
}

func (c *grantCache) put(k grantKey, g Grant) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10000 {
		c.m = map[grantKey]grantEntry{}
	}
	c.m[k] = grantEntry{grant: g, expires: time.Now().Add(grantCacheTTL)}
}

// clear forgets every answer, after a change of roles.
func (c *grantCache) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
	c.changed()
}

// changed tells the OnStandingChange hook, if any.
func (c *grantCache) changed() {
	if f := c.onChange.Load(); f != nil {
		(*f)()
	}
}

// OnStandingChange has f called after every change of someone's standing (a role granted or
// removed, dues recorded, a suspension) and of a list's audience: what mirrors membership
// elsewhere (a Mailman server's rosters) syncs then. f must not block.
func (s *Service) OnStandingChange(f func()) { s.grants.onChange.Store(&f) }

// LinkInForce tells whether a share link that createdBy made in group groupID, on path, still
// speaks for its maker: a link opens nothing its maker may no longer share, so that removing
// someone from a group, their guest access ending or their suspension stops the links they made.
func (s *Service) LinkInForce(ctx context.Context, createdBy, groupID int64, path string) error {
	r := s.db.R(ctx)
	p, err := r.PersonByID(createdBy)
	if errors.Is(err, db.ErrNotFound) {
		return ErrNoAccess // an erased account
	} else if err != nil {
		return err
	}
	g, err := r.GroupByID(groupID)
	if err != nil {
		return err
	}
	grant, err := s.GroupAccess(ctx, p, g.Slug)
	if err != nil {
		return err
	}
	return grant.Allow(SharesWrite, path)
}

// StandingIn is GroupAccess read through r, without the cache: for another domain service's
// decision inside its own transaction, which must see what that transaction sees.
func (s *Service) StandingIn(r db.Read, p db.Person, slug string) (Grant, error) {
	return s.standing(r, p, slug)
}

// PeopleAllowed lists the group's own people who may do a there now, read through r: not
// suspended (by an administrator or for unpaid dues), not expired, with the role a takes. They are
// those a date poll asks, or a mailing list reaches.
func (s *Service) PeopleAllowed(r db.Read, group db.Group, a Action) ([]db.Person, error) {
	return s.inForce(r, group, func(m db.Membership) bool { return (Grant{Group: group, Role: m.Role}).Allows(a, "") })
}

// inForce lists the group's people whose standing is in force (not suspended by an administrator
// or for unpaid dues, not expired) and whose membership keep accepts.
func (s *Service) inForce(r db.Read, group db.Group, keep func(db.Membership) bool) ([]db.Person, error) {
	ms, err := r.MembersOf(group.ID)
	if err != nil {
		return nil, err
	}
	var out []db.Person
	for _, m := range ms {
		if !keep(m) {
			continue
		}
		p, err := r.PersonByID(m.PersonID)
		if err != nil {
			return nil, err
		}
		if !active(p, m) {
			continue
		}
		if off, err := s.suspended(r, p, m); err != nil {
			return nil, err
		} else if !off {
			out = append(out, p)
		}
	}
	return out, nil
}
