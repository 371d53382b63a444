package access

import (
	"context"
	"fmt"
	"time"

	"parvis/storage/db"
)

// A person sees where they are signed in and signs out a browser left somewhere, or all the others.

// Sessions lists p's signed-in browsers.
func (s *Service) Sessions(ctx context.Context, p db.Person) ([]db.Session, error) {
	return s.db.R(ctx).Sessions(p.ID)
}

// SessionID names the session of a cookie value as the list does ("" without a cookie).
func SessionID(cookie string) string {
	if cookie == "" {
		return ""
	}
	return db.Session{Hash: HashSecret(cookie)}.ID()
}

// RevokeSession signs out one of p's browsers.
func (s *Service) RevokeSession(ctx context.Context, p db.Person, id string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.DeletePersonSession(p.ID, id); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("session.revoke", p.Email, id))
	})
}

// RevokeOtherSessions signs out every browser of p's but the one with this cookie (all of them
// when cookie is "", e.g. from a script), and returns how many.
func (s *Service) RevokeOtherSessions(ctx context.Context, p db.Person, cookie string) (int64, error) {
	keep := ""
	if cookie != "" {
		keep = HashSecret(cookie)
	}
	var n int64
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		if n, err = tx.DeleteOtherSessions(p.ID, keep); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("session.revoke_others", p.Email, fmt.Sprint(n)))
	})
	return n, err
}

// touchSession records a session's use, once in a while: "last seen" needs no more precision, and
// a write per page view would cost more than it tells.
func (s *Service) touchSession(ctx context.Context, sess db.Session) {
	if time.Since(sess.LastSeenAt) > touchEvery {
		s.db.Write(ctx, func(tx *db.Tx) error { return tx.TouchSession(sess.Hash) })
	}
}
