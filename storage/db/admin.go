package db

import (
	"fmt"
	"strings"
	"time"
)

// The queries behind the administration pages: overviews of people and groups, the guests to warn,
// the audit log searched and purged.

// PersonOverview is a person as the administrators' list shows them.
type PersonOverview struct {
	Person
	DuesPaid  bool // dues of the year asked for
	TwoFactor bool
}

// PeopleOverview lists the people whose e-mail or name contains search (all when empty), by
// e-mail, with their dues of year and whether two-factor sign-in is on.
func (r Read) PeopleOverview(search string, year int) ([]PersonOverview, error) {
	like := "%" + escapeLike(strings.ToLower(search)) + "%"
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+personColumns+`,
		EXISTS (SELECT 1 FROM dues d WHERE d.person_id = person.id AND d.year = ?),
		EXISTS (SELECT 1 FROM totp t WHERE t.person_id = person.id AND t.enabled_at <> 0)
		FROM person WHERE lower(email) LIKE ? ESCAPE '\' OR lower(name) LIKE ? ESCAPE '\' ORDER BY email`, year, like, like)
	if err != nil {
		return nil, fmt.Errorf("db: people overview: %w", err)
	}
	defer rows.Close()
	var out []PersonOverview
	for rows.Next() {
		var o PersonOverview
		var changed, created int64
		p := &o.Person
		if err := rows.Scan(&p.ID, &p.Email, &p.Name, &p.PasswordHash, &changed, &p.IsAdmin, &p.Suspended, &created,
			&p.MustChangePassword, &o.DuesPaid, &o.TwoFactor); err != nil {
			return nil, err
		}
		p.PasswordChangedAt, p.CreatedAt = unixTime(changed), unixTime(created)
		out = append(out, o)
	}
	return out, rows.Err()
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// GroupOverview is a group as the administrators' list shows it.
type GroupOverview struct {
	Group
	RequiresMembership bool
	Members            int
	Animators          []string // e-mails
}

// GroupsOverview lists every group by slug with its member count and animators.
func (r Read) GroupsOverview() ([]GroupOverview, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+groupColumns+`, g.requires_membership,
		(SELECT count(*) FROM membership m WHERE m.group_id = g.id),
		coalesce((SELECT group_concat(p.email, ' ') FROM membership m JOIN person p ON p.id = m.person_id
			WHERE m.group_id = g.id AND m.role = 'animator'), '')
		FROM grp g ORDER BY g.slug`)
	if err != nil {
		return nil, fmt.Errorf("db: groups overview: %w", err)
	}
	defer rows.Close()
	var out []GroupOverview
	for rows.Next() {
		var o GroupOverview
		var animators string
		if o.Group, err = scanGroup(rows, &o.RequiresMembership, &o.Members, &animators); err != nil {
			return nil, err
		}
		o.Animators = strings.Fields(animators)
		out = append(out, o)
	}
	return out, rows.Err()
}

// Counts are the figures of the administrators' dashboard.
type Counts struct {
	People, Admins, Suspended, Groups, Waiting, Erasures, Renewals, Mails int
}

// CountAll reads the dashboard's figures in one query.
func (r Read) CountAll() (Counts, error) {
	var c Counts
	err := r.q.QueryRowContext(r.ctx, `SELECT
		(SELECT count(*) FROM person),
		(SELECT count(*) FROM person WHERE is_admin AND NOT suspended),
		(SELECT count(*) FROM person WHERE suspended),
		(SELECT count(*) FROM grp),
		(SELECT count(*) FROM access_request WHERE status = 'validated'),
		(SELECT count(*) FROM erasure_request WHERE done_at = 0),
		(SELECT count(*) FROM person WHERE password_must_change),
		(SELECT count(*) FROM mail WHERE sent_at = 0)`).Scan(
		&c.People, &c.Admins, &c.Suspended, &c.Groups, &c.Waiting, &c.Erasures, &c.Renewals, &c.Mails)
	if err != nil {
		return c, fmt.Errorf("db: counts: %w", err)
	}
	return c, nil
}

// PasswordsToRenew lists the accounts with a password that was never changed since the account was
// made (never: neverChanged false) or that is older than before (zero: no age limit), by e-mail.
func (r Read) PasswordsToRenew(before time.Time, neverChanged bool) ([]Person, error) {
	var cutoff int64
	if !before.IsZero() {
		cutoff = before.UnixNano()
	}
	// A password given at creation is stamped in the same statement as the account: the two times
	// differ by the microseconds between two clock readings.
	return r.people(`WHERE password_hash <> '' AND (password_changed_at < ? OR (? AND password_changed_at - created_at < 1000000000))
		ORDER BY email`, cutoff, neverChanged)
}

// PendingRenewals lists the people asked for a new password who have not set it yet.
func (r Read) PendingRenewals() ([]Person, error) {
	return r.people(`WHERE password_must_change ORDER BY email`)
}

func (r Read) people(where string, args ...any) ([]Person, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+personColumns+` FROM person `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: people: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ExpiringGuest is a guest whose access ends soon.
type ExpiringGuest struct {
	Membership
	Email, Name string
}

// GuestsExpiringBefore lists the guests, not suspended, whose access ends between now and t and who
// were not warned yet.
func (r Read) GuestsExpiringBefore(t time.Time) ([]ExpiringGuest, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+groupColumns+`, m.person_id, m.role, coalesce(m.granted_by, 0), m.granted_at, m.expires_at, p.email, p.name
		FROM membership m JOIN grp g ON g.id = m.group_id JOIN person p ON p.id = m.person_id
		WHERE m.role = 'guest' AND m.expires_at > ? AND m.expires_at <= ? AND m.expiry_warned_at = 0 AND NOT p.suspended
		ORDER BY m.expires_at`, now(), t.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("db: expiring guests: %w", err)
	}
	defer rows.Close()
	var out []ExpiringGuest
	for rows.Next() {
		var e ExpiringGuest
		var granted, expires int64
		e.Group, err = scanGroup(rows, &e.PersonID, &e.Role, &e.GrantedBy, &granted, &expires, &e.Email, &e.Name)
		if err != nil {
			return nil, err
		}
		e.GrantedAt, e.ExpiresAt = unixTime(granted), unixTime(expires)
		out = append(out, e)
	}
	return out, rows.Err()
}

// MarkExpiryWarned remembers that a guest was told their access ends soon.
func (tx *Tx) MarkExpiryWarned(groupID, personID int64) error {
	return affectOne(tx.exec(`UPDATE membership SET expiry_warned_at = ? WHERE group_id = ? AND person_id = ?`, now(), groupID, personID))
}

// AuditFilter selects audit entries: each set field must match (texts: contained, ignoring case).
type AuditFilter struct {
	Actor, Action, Target string
	From, To              time.Time // From included, To excluded; zero: unbounded
}

// AuditSearch returns up to limit entries matching f, newest first, skipping offset; more tells
// whether older ones follow.
func (r Read) AuditSearch(f AuditFilter, offset, limit int) (entries []AuditEntry, more bool, err error) {
	var conds []string
	var args []any
	for _, c := range []struct{ col, v string }{{"actor", f.Actor}, {"action", f.Action}, {"target", f.Target}} {
		if v := strings.TrimSpace(c.v); v != "" {
			conds = append(conds, `instr(lower(`+c.col+`), ?) > 0`)
			args = append(args, strings.ToLower(v))
		}
	}
	if !f.From.IsZero() {
		conds, args = append(conds, `at >= ?`), append(args, f.From.UnixNano())
	}
	if !f.To.IsZero() {
		conds, args = append(conds, `at < ?`), append(args, f.To.UnixNano())
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	entries, err = r.auditEntries(where+` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit+1, offset)...)
	if len(entries) > limit {
		entries, more = entries[:limit], true
	}
	return entries, more, err
}

// DeleteAuditBefore removes the audit entries older than t (the retention), and says how many.
func (tx *Tx) DeleteAuditBefore(t time.Time) (int64, error) {
	res, err := tx.exec(`DELETE FROM audit WHERE at < ?`, t.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("db: audit retention: %w", err)
	}
	return res.RowsAffected()
}

// Administrators lists the administrators not suspended, by e-mail.
func (r Read) Administrators() ([]Person, error) {
	return r.people(`WHERE is_admin AND NOT suspended ORDER BY email`)
}
