package db

import (
	"fmt"
	"time"
)

// Group is a working group, with its shared folder.
type Group struct {
	ID           int64
	Slug         string
	Name         string
	QuotaBytes   int64 // 0: none
	UsedBytes    int64 // live files
	TrashBytes   int64 // files in the trash
	VersionBytes int64 // previous versions of files
	CreatedAt    time.Time
}

// Role is what a member may do in a group.
type Role string

// The roles, from most to least powerful.
const (
	RoleAnimator Role = "animator"
	RoleMember   Role = "member"
	RoleGuest    Role = "guest"
)

// Membership ties a person to a group with a role.
type Membership struct {
	Group     Group
	PersonID  int64
	Role      Role
	GrantedBy int64
	GrantedAt time.Time
	ExpiresAt time.Time // zero: never
}

const groupColumns = `g.id, g.slug, g.name, g.quota_bytes, g.used_bytes, g.trash_bytes, g.version_bytes, g.created_at`

func scanGroup(row interface{ Scan(...any) error }, extra ...any) (Group, error) {
	var g Group
	var created int64
	err := row.Scan(append([]any{&g.ID, &g.Slug, &g.Name, &g.QuotaBytes, &g.UsedBytes, &g.TrashBytes, &g.VersionBytes, &created}, extra...)...)
	g.CreatedAt = unixTime(created)
	return g, err
}

// GroupBySlug finds a group by its slug.
func (r Read) GroupBySlug(slug string) (Group, error) {
	g, err := scanGroup(r.q.QueryRowContext(r.ctx, `SELECT `+groupColumns+` FROM grp g WHERE slug = ?`, slug))
	if err != nil {
		return g, notFound(err, "group "+slug)
	}
	return g, nil
}

// Groups lists every group by slug.
func (r Read) Groups() ([]Group, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+groupColumns+` FROM grp g ORDER BY slug`)
	if err != nil {
		return nil, fmt.Errorf("db: groups: %w", err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Membership returns the person's membership of a group, ErrNotFound if none.
func (r Read) Membership(groupID, personID int64) (Membership, error) {
	ms, err := r.memberships(`WHERE m.group_id = ? AND m.person_id = ?`, groupID, personID)
	if err == nil && len(ms) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return Membership{}, fmt.Errorf("db: membership: %w", err)
	}
	return ms[0], nil
}

// MembershipsOf lists the groups of a person, by slug.
func (r Read) MembershipsOf(personID int64) ([]Membership, error) {
	return r.memberships(`WHERE m.person_id = ? ORDER BY g.slug`, personID)
}

// MembersOf lists the memberships of a group.
func (r Read) MembersOf(groupID int64) ([]Membership, error) {
	return r.memberships(`WHERE m.group_id = ? ORDER BY m.role, m.person_id`, groupID)
}

func (r Read) memberships(where string, args ...any) ([]Membership, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+groupColumns+`, m.person_id, m.role, coalesce(m.granted_by, 0), m.granted_at, m.expires_at
		FROM membership m JOIN grp g ON g.id = m.group_id `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: memberships: %w", err)
	}
	defer rows.Close()
	var out []Membership
	for rows.Next() {
		var m Membership
		var granted, expires int64
		m.Group, err = scanGroup(rows, &m.PersonID, &m.Role, &m.GrantedBy, &granted, &expires)
		if err != nil {
			return nil, err
		}
		m.GrantedAt, m.ExpiresAt = unixTime(granted), unixTime(expires)
		out = append(out, m)
	}
	return out, rows.Err()
}

// CreateGroup inserts g with the root folder of its file tree and its agenda, task list and address
// book; ErrConflict if the slug is taken.
func (tx *Tx) CreateGroup(g *Group) error {
	t := now()
	res, err := tx.exec(`INSERT INTO grp (slug, name, quota_bytes, created_at) VALUES (?, ?, ?, ?)`, g.Slug, g.Name, g.QuotaBytes, t)
	if isUnique(err) {
		return fmt.Errorf("db: group %s: %w", g.Slug, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("db: create group: %w", err)
	}
	g.ID, _ = res.LastInsertId()
	g.CreatedAt = unixTime(t)
	_, err = tx.exec(`INSERT INTO node (group_id, dir, name, is_dir, etag, created_at, modified_at) VALUES (?, '', '', 1, ?, ?, ?)`,
		g.ID, NewETag(), t, t)
	if err != nil {
		return err
	}
	for _, c := range DefaultGroupCollections(g.Name) {
		c.GroupID = g.ID
		if err := tx.CreateCollection(&c); err != nil {
			return err
		}
	}
	return nil
}

// SetMembership grants (or changes) a person's role in a group. A new grant is a new end date: a
// guest will be warned again before it.
func (tx *Tx) SetMembership(groupID, personID int64, role Role, grantedBy int64, expires time.Time) error {
	var by any
	if grantedBy != 0 {
		by = grantedBy
	}
	_, err := tx.exec(`INSERT INTO membership (group_id, person_id, role, granted_by, granted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (group_id, person_id) DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by,
		granted_at = excluded.granted_at, expires_at = excluded.expires_at, expiry_warned_at = 0`, groupID, personID, string(role), by, now(), nanos(expires))
	if err != nil {
		return fmt.Errorf("db: set membership: %w", err)
	}
	return nil
}

// AddUsage adds delta bytes to a group's usage.
func (tx *Tx) AddUsage(groupID, delta int64) error {
	if delta == 0 {
		return nil
	}
	_, err := tx.exec(`UPDATE grp SET used_bytes = used_bytes + ? WHERE id = ?`, delta, groupID)
	return err
}

// GroupByID finds a group by id.
func (r Read) GroupByID(id int64) (Group, error) {
	g, err := scanGroup(r.q.QueryRowContext(r.ctx, `SELECT `+groupColumns+` FROM grp g WHERE id = ?`, id))
	if err != nil {
		return g, notFound(err, fmt.Sprint("group ", id))
	}
	return g, nil
}

// GroupMembership returns a group by slug and the person's membership of it in one query: the check
// every DAV request makes. ErrNotFound when the group does not exist or the person is not a member.
func (r Read) GroupMembership(slug string, personID int64) (Membership, error) {
	ms, err := r.memberships(`WHERE g.slug = ? AND m.person_id = ?`, slug, personID)
	if err == nil && len(ms) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return Membership{}, fmt.Errorf("db: membership: %w", err)
	}
	return ms[0], nil
}

// SetQuota sets a group's quota in bytes (0: none).
func (tx *Tx) SetQuota(groupID, bytes int64) error {
	return affectOne(tx.exec(`UPDATE grp SET quota_bytes = ? WHERE id = ?`, bytes, groupID))
}

// DeleteMembership removes a person from a group.
func (tx *Tx) DeleteMembership(groupID, personID int64) error {
	return affectOne(tx.exec(`DELETE FROM membership WHERE group_id = ? AND person_id = ?`, groupID, personID))
}
