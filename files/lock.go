package files

import (
	"context"
	"errors"
	"strings"
	"time"

	"parvis/storage/db"
)

// WebDAV write locks (RFC 4918 §6–7) as operations of the file tree: the protocol layer parses
// and answers, the rules (what conflicts, who may refresh or release) are kept here.

// LockConflictError refuses a lock that overlaps an exclusive one, or an exclusive lock that
// overlaps any: Root is the path of the lock in the way.
type LockConflictError struct{ Root string }

func (e *LockConflictError) Error() string { return "files: locked at " + e.Root }

// Errors of refreshing and releasing locks.
var (
	ErrNoLock      = errors.New("files: no such lock on this resource")
	ErrNotYourLock = errors.New("files: this lock belongs to someone else")
)

// Covers tells whether lock l applies to path p: its root, or below it for a depth-infinity lock.
func Covers(l db.Lock, p string) bool {
	return l.Root == p || l.Infinite && (l.Root == "/" || strings.HasPrefix(p, l.Root+"/"))
}

// Lock creates lock l on l.Root after check; a path with nothing there gets an empty file, as
// RFC 4918 §7.3 asks (created true).
func (s *Service) Lock(ctx context.Context, check Precondition, l db.Lock) (created bool, err error) {
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		if err := check.run(tx.R()); err != nil {
			return err
		}
		if err := lockConflict(tx.R(), l); err != nil {
			return err
		}
		if _, err := tx.R().Node(l.GroupID, l.Root); errors.Is(err, db.ErrNotFound) {
			created = true
			if err := putEmpty(tx, l.GroupID, l.Root); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		return tx.CreateLock(l)
	})
	return created, mapErr(err)
}

// lockConflict refuses l when it overlaps a lock that excludes it.
func lockConflict(r db.Read, l db.Lock) error {
	existing, err := r.LocksOn(l.GroupID, l.Root)
	if err != nil {
		return err
	}
	for _, e := range existing {
		below := e.Root != l.Root && strings.HasPrefix(e.Root, l.Root+"/")
		if below && !l.Infinite {
			continue
		}
		if e.Exclusive || l.Exclusive {
			return &LockConflictError{Root: e.Root}
		}
	}
	return nil
}

// RefreshLock extends, until expires, the first of the tokens that is a lock of person personID
// covering path p of the group; ErrNoLock when none is.
func (s *Service) RefreshLock(ctx context.Context, tokens []string, groupID int64, p string, personID int64, expires time.Time) (db.Lock, error) {
	var found db.Lock
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		for _, token := range tokens {
			l, err := tx.R().LockByToken(token)
			if errors.Is(err, db.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			if l.GroupID == groupID && Covers(l, p) && l.PersonID == personID {
				l.ExpiresAt = expires
				found = l
				return tx.RefreshLock(token, expires)
			}
		}
		return ErrNoLock
	})
	return found, mapErr(err)
}

// Unlock releases the lock token through path p of the group: ErrNoLock when it is not a lock
// covering p, ErrNotYourLock when it is someone else's (RFC 4918 §9.11) and the caller may not
// break others' locks (anyone: access's LocksBreak).
func (s *Service) Unlock(ctx context.Context, token string, groupID int64, p string, personID int64, anyone bool) error {
	return mapErr(s.db.Write(ctx, func(tx *db.Tx) error {
		l, err := tx.R().LockByToken(token)
		if errors.Is(err, db.ErrNotFound) || err == nil && (l.GroupID != groupID || !Covers(l, p)) {
			return ErrNoLock
		} else if err != nil {
			return err
		}
		if l.PersonID != personID && !anyone {
			return ErrNotYourLock
		}
		return tx.DeleteLock(token)
	}))
}

// ExpireLocks purges the locks whose time is up (housekeeping: an expired lock already refuses
// nothing, this only keeps the table small) and returns how many went.
func (s *Service) ExpireLocks(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		n, err = tx.DeleteExpiredLocks()
		return err
	})
	return n, err
}
