package db

import "fmt"

// sessionIDLength is how much of a session's hash names it in the account page's list: the hash of
// a random cookie, shortened, so the list never shows anything that signs a browser in.
const sessionIDLength = 16

// ID names the session in lists and URLs.
func (s Session) ID() string { return s.Hash[:sessionIDLength] }

// Sessions lists a person's unexpired sessions, the most recently seen first.
func (r Read) Sessions(personID int64) ([]Session, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT hash, created_at, last_seen_at, expires_at, user_agent FROM session
		WHERE person_id = ? AND expires_at > ? ORDER BY last_seen_at DESC`, personID, now())
	if err != nil {
		return nil, fmt.Errorf("db: sessions: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		s := Session{PersonID: personID}
		var created, seen, expires int64
		if err := rows.Scan(&s.Hash, &created, &seen, &expires, &s.UserAgent); err != nil {
			return nil, err
		}
		s.CreatedAt, s.LastSeenAt, s.ExpiresAt = unixTime(created), unixTime(seen), unixTime(expires)
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeletePersonSession signs out one of a person's sessions by its ID; ErrNotFound if it is not theirs.
func (tx *Tx) DeletePersonSession(personID int64, id string) error {
	if len(id) != sessionIDLength {
		return ErrNotFound
	}
	return affectOne(tx.exec(`DELETE FROM session WHERE person_id = ? AND substr(hash, 1, ?) = ?`, personID, sessionIDLength, id))
}

// DeleteOtherSessions signs out every session of a person but the one with keepHash ("" for all),
// and returns how many.
func (tx *Tx) DeleteOtherSessions(personID int64, keepHash string) (int64, error) {
	res, err := tx.exec(`DELETE FROM session WHERE person_id = ? AND hash <> ?`, personID, keepHash)
	if err != nil {
		return 0, fmt.Errorf("db: sessions: %w", err)
	}
	return res.RowsAffected()
}

// TouchSession records that a session was used.
func (tx *Tx) TouchSession(hash string) error {
	_, err := tx.exec(`UPDATE session SET last_seen_at = ? WHERE hash = ?`, now(), hash)
	return err
}
