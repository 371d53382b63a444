package db

import (
	"errors"
	"fmt"
	"time"
)

// TOTP is a person's two-factor secret (RFC 6238).
type TOTP struct {
	PersonID  int64
	Secret    string // base32, as authenticator apps read it
	CreatedAt time.Time
	EnabledAt time.Time // zero while enrolment waits for its first code
	LastStep  int64     // the last time step accepted: older or equal steps are replays
}

// On tells whether enrolment was confirmed.
func (t TOTP) On() bool { return !t.EnabledAt.IsZero() }

// TOTP returns a person's two-factor secret, confirmed or not.
func (r Read) TOTP(personID int64) (TOTP, error) {
	t := TOTP{PersonID: personID}
	var created, enabled int64
	err := r.q.QueryRowContext(r.ctx, `SELECT secret, created_at, enabled_at, last_step FROM totp WHERE person_id = ?`, personID).
		Scan(&t.Secret, &created, &enabled, &t.LastStep)
	if err != nil {
		return t, notFound(err, "totp")
	}
	t.CreatedAt, t.EnabledAt = unixTime(created), unixTime(enabled)
	return t, nil
}

// TwoFactorOn tells whether a person signs in with a second factor.
func (r Read) TwoFactorOn(personID int64) (bool, error) {
	t, err := r.TOTP(personID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil && t.On(), err
}

// StartTOTP stores a secret awaiting its first code, replacing an unconfirmed one; ErrConflict when
// two-factor is on already.
func (tx *Tx) StartTOTP(personID int64, secret string) error {
	res, err := tx.exec(`INSERT INTO totp (person_id, secret, created_at) VALUES (?, ?, ?)
		ON CONFLICT (person_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = 0
		WHERE enabled_at = 0`, personID, secret, now())
	if err != nil {
		return fmt.Errorf("db: totp: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("db: totp: %w", ErrConflict)
	}
	return nil
}

// UseTOTPStep records that the code of a time step was used, and turns two-factor on if it was
// waiting for this first code. ErrConflict when that step (or a later one) was used already: the
// check and the record are one statement, so a code works once even under concurrent sign-ins.
func (tx *Tx) UseTOTPStep(personID, step int64) error {
	err := affectOne(tx.exec(`UPDATE totp SET last_step = ?, enabled_at = CASE enabled_at WHEN 0 THEN ? ELSE enabled_at END
		WHERE person_id = ? AND last_step < ?`, step, now(), personID, step))
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("db: totp step: %w", ErrConflict)
	}
	return err
}

// DeleteTOTP turns two-factor off and forgets the recovery codes.
func (tx *Tx) DeleteTOTP(personID int64) error {
	if _, err := tx.exec(`DELETE FROM recovery_code WHERE person_id = ?`, personID); err != nil {
		return fmt.Errorf("db: recovery codes: %w", err)
	}
	return affectOne(tx.exec(`DELETE FROM totp WHERE person_id = ?`, personID))
}

// SetRecoveryCodes replaces a person's recovery codes by these hashes.
func (tx *Tx) SetRecoveryCodes(personID int64, hashes []string) error {
	if _, err := tx.exec(`DELETE FROM recovery_code WHERE person_id = ?`, personID); err != nil {
		return fmt.Errorf("db: recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := tx.exec(`INSERT INTO recovery_code (person_id, hash) VALUES (?, ?)`, personID, h); err != nil {
			return fmt.Errorf("db: recovery codes: %w", err)
		}
	}
	return nil
}

// UseRecoveryCode spends an unused recovery code; ErrNotFound if there is none with this hash.
func (tx *Tx) UseRecoveryCode(personID int64, hash string) error {
	return affectOne(tx.exec(`UPDATE recovery_code SET used_at = ? WHERE person_id = ? AND hash = ? AND used_at = 0`, now(), personID, hash))
}

// RecoveryCodesLeft counts a person's unused recovery codes.
func (r Read) RecoveryCodesLeft(personID int64) (int, error) {
	var n int
	err := r.q.QueryRowContext(r.ctx, `SELECT count(*) FROM recovery_code WHERE person_id = ? AND used_at = 0`, personID).Scan(&n)
	return n, err
}
