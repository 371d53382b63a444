package db

import (
	"fmt"
	"time"
)

// Token is a one-time link's record; only the hash of the secret is stored.
type Token struct {
	Hash      string
	Purpose   string // "first-admin", "set-password", …
	PersonID  int64
	ExpiresAt time.Time
}

// CreateToken stores a one-time token.
func (tx *Tx) CreateToken(t Token) error {
	var person any
	if t.PersonID != 0 {
		person = t.PersonID
	}
	_, err := tx.exec(`INSERT INTO onetime_token (hash, purpose, person_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.Hash, t.Purpose, person, now(), t.ExpiresAt.UnixNano())
	if err != nil {
		return fmt.Errorf("db: create token: %w", err)
	}
	return nil
}

// TokenByHash returns an unexpired token for a purpose without using it.
func (r Read) TokenByHash(hash, purpose string) (Token, error) {
	t := Token{Hash: hash, Purpose: purpose}
	var expires int64
	err := r.q.QueryRowContext(r.ctx, `SELECT coalesce(person_id, 0), expires_at FROM onetime_token WHERE hash = ? AND purpose = ? AND expires_at > ?`,
		hash, purpose, now()).Scan(&t.PersonID, &expires)
	if err != nil {
		return t, notFound(err, "token")
	}
	t.ExpiresAt = unixTime(expires)
	return t, nil
}

// ConsumeToken deletes an unexpired token and returns it: a second use finds nothing.
func (tx *Tx) ConsumeToken(hash, purpose string) (Token, error) {
	t, err := tx.R().TokenByHash(hash, purpose)
	if err != nil {
		return t, err
	}
	_, err = tx.exec(`DELETE FROM onetime_token WHERE hash = ?`, hash)
	return t, err
}

// DeleteTokens removes the tokens of a purpose, e.g. the first-administrator link once used.
func (tx *Tx) DeleteTokens(purpose string) error {
	_, err := tx.exec(`DELETE FROM onetime_token WHERE purpose = ? OR expires_at <= ?`, purpose, now())
	return err
}

// DeletePersonTokens voids a person's tokens of a purpose: a new link replaces the old ones.
func (tx *Tx) DeletePersonTokens(personID int64, purpose string) error {
	_, err := tx.exec(`DELETE FROM onetime_token WHERE person_id = ? AND purpose = ?`, personID, purpose)
	return err
}
