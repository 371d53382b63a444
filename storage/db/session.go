package db

import (
	"fmt"
	"time"
)

// Session is a signed-in browser; only the hash of its cookie is stored.
type Session struct {
	Hash       string
	PersonID   int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
}

// CreateSession stores a new session.
func (tx *Tx) CreateSession(s Session) error {
	t := now()
	_, err := tx.exec(`INSERT INTO session (hash, person_id, created_at, last_seen_at, expires_at, user_agent) VALUES (?, ?, ?, ?, ?, ?)`,
		s.Hash, s.PersonID, t, t, s.ExpiresAt.UnixNano(), s.UserAgent)
	if err != nil {
		return fmt.Errorf("db: create session: %w", err)
	}
	return nil
}

// SessionByHash returns an unexpired session.
func (r Read) SessionByHash(hash string) (Session, error) {
	s := Session{Hash: hash}
	var created, seen, expires int64
	err := r.q.QueryRowContext(r.ctx, `SELECT person_id, created_at, last_seen_at, expires_at, user_agent FROM session WHERE hash = ? AND expires_at > ?`,
		hash, now()).Scan(&s.PersonID, &created, &seen, &expires, &s.UserAgent)
	if err != nil {
		return s, notFound(err, "session")
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = unixTime(created), unixTime(seen), unixTime(expires)
	return s, nil
}

// DeleteSession signs a browser out.
func (tx *Tx) DeleteSession(hash string) error {
	_, err := tx.exec(`DELETE FROM session WHERE hash = ?`, hash)
	return err
}
