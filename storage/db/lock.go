package db

import (
	"fmt"
	"strings"
	"time"
)

// Lock is a WebDAV write lock on a path of a group (and, when Infinite, everything below it).
type Lock struct {
	Token     string
	GroupID   int64
	Root      string
	Infinite  bool
	Exclusive bool
	Owner     []byte
	PersonID  int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

const lockColumns = `token, group_id, root, infinite, exclusive, owner, coalesce(person_id, 0), created_at, expires_at`

// LocksOn returns the unexpired locks that cover p or lie below it: those that a write to p, or the
// removal of p's whole tree, must respect. A group holds few locks, so they are all read with one
// constant (cached) statement and filtered here.
func (r Read) LocksOn(groupID int64, p string) ([]Lock, error) {
	all, err := r.GroupLocks(groupID)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	return LocksOn(all, p), nil
}

// GroupLocks returns every unexpired lock of a group.
func (r Read) GroupLocks(groupID int64) ([]Lock, error) {
	return r.locks(`WHERE group_id = ? AND expires_at > ?`, groupID, now())
}

// LocksOn keeps, of a group's locks, those that cover p or lie below it.
func LocksOn(all []Lock, p string) []Lock {
	var out []Lock
	for _, l := range all {
		covering := l.Root == p || l.Infinite && (l.Root == "/" || strings.HasPrefix(p, l.Root+"/"))
		below := p == "/" || strings.HasPrefix(l.Root, p+"/")
		if covering || below {
			out = append(out, l)
		}
	}
	return out
}

// LockByToken returns an unexpired lock by token.
func (r Read) LockByToken(token string) (Lock, error) {
	ls, err := r.locks(`WHERE token = ? AND expires_at > ?`, token, now())
	if err == nil && len(ls) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return Lock{}, fmt.Errorf("db: lock: %w", err)
	}
	return ls[0], nil
}

func (r Read) locks(where string, args ...any) ([]Lock, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+lockColumns+` FROM dav_lock `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: locks: %w", err)
	}
	defer rows.Close()
	var out []Lock
	for rows.Next() {
		var l Lock
		var created, expires int64
		if err := rows.Scan(&l.Token, &l.GroupID, &l.Root, &l.Infinite, &l.Exclusive, &l.Owner, &l.PersonID, &created, &expires); err != nil {
			return nil, err
		}
		l.CreatedAt, l.ExpiresAt = unixTime(created), unixTime(expires)
		out = append(out, l)
	}
	return out, rows.Err()
}

// CreateLock stores a new lock.
func (tx *Tx) CreateLock(l Lock) error {
	var person any
	if l.PersonID != 0 {
		person = l.PersonID
	}
	_, err := tx.exec(`INSERT INTO dav_lock (token, group_id, root, infinite, exclusive, owner, person_id, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.Token, l.GroupID, l.Root, l.Infinite, l.Exclusive, l.Owner, person, now(), l.ExpiresAt.UnixNano())
	if err != nil {
		return fmt.Errorf("db: create lock: %w", err)
	}
	return nil
}

// RefreshLock sets a new expiry for a lock.
func (tx *Tx) RefreshLock(token string, expires time.Time) error {
	return affectOne(tx.exec(`UPDATE dav_lock SET expires_at = ? WHERE token = ? AND expires_at > ?`, expires.UnixNano(), token, now()))
}

// DeleteLock removes a lock; ErrNotFound if there is no such unexpired lock.
func (tx *Tx) DeleteLock(token string) error {
	return affectOne(tx.exec(`DELETE FROM dav_lock WHERE token = ? AND expires_at > ?`, token, now()))
}

// DeleteLocksUnder removes the locks rooted at p or below it: a deleted or moved resource loses its locks.
func (tx *Tx) DeleteLocksUnder(groupID int64, p string) error {
	below := p + "/"
	if p == "/" {
		below = "/"
	}
	_, err := tx.exec(`DELETE FROM dav_lock WHERE group_id = ? AND (root = ? OR (root >= ? AND root < ?))`, groupID, p, below, below[:len(below)-1]+"0")
	return err
}

// DeleteExpiredLocks purges locks whose time is up.
func (tx *Tx) DeleteExpiredLocks() (int64, error) {
	res, err := tx.exec(`DELETE FROM dav_lock WHERE expires_at <= ?`, now())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
