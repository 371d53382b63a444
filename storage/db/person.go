package db

import (
	"database/sql"
	"fmt"
	"time"
)

// Person is someone with an account; the e-mail is the identifier (compared case-insensitively).
type Person struct {
	ID                int64
	Email             string
	Name              string
	PasswordHash      string
	PasswordChangedAt time.Time
	IsAdmin           bool
	Suspended         bool
	CreatedAt         time.Time
	// MustChangePassword is set by an administrator: the next web sign-in sets a new password first.
	MustChangePassword bool
}

// DisplayName is the person's name, or their e-mail without one: how others see them in lists.
func (p Person) DisplayName() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}

const personColumns = `id, email, name, password_hash, password_changed_at, is_admin, suspended, created_at, password_must_change`

func scanPerson(row interface{ Scan(...any) error }) (Person, error) {
	var p Person
	var changed, created int64
	err := row.Scan(&p.ID, &p.Email, &p.Name, &p.PasswordHash, &changed, &p.IsAdmin, &p.Suspended, &created, &p.MustChangePassword)
	p.PasswordChangedAt, p.CreatedAt = unixTime(changed), unixTime(created)
	return p, err
}

// nanos is unixTime's inverse: a time as stored nanoseconds, the zero time as 0.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// unixTime turns stored nanoseconds into a time, 0 into the zero time.
func unixTime(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// PersonByEmail finds a person by e-mail, ignoring case.
func (r Read) PersonByEmail(email string) (Person, error) {
	p, err := scanPerson(r.q.QueryRowContext(r.ctx, `SELECT `+personColumns+` FROM person WHERE email = ?`, email))
	if err != nil {
		return p, notFound(err, "person "+email)
	}
	return p, nil
}

// PersonByID finds a person by id.
func (r Read) PersonByID(id int64) (Person, error) {
	p, err := scanPerson(r.q.QueryRowContext(r.ctx, `SELECT `+personColumns+` FROM person WHERE id = ?`, id))
	if err != nil {
		return p, notFound(err, fmt.Sprint("person ", id))
	}
	return p, nil
}

// CountAdmins counts the active administrators.
func (r Read) CountAdmins() (int, error) {
	var n int
	err := r.q.QueryRowContext(r.ctx, `SELECT count(*) FROM person WHERE is_admin AND NOT suspended`).Scan(&n)
	return n, err
}

// People lists everyone, by e-mail.
func (r Read) People() ([]Person, error) { return r.people(`ORDER BY email`) }

// CreatePerson inserts p and sets its ID; ErrConflict if the e-mail is taken.
func (tx *Tx) CreatePerson(p *Person) error {
	changed := int64(0)
	if p.PasswordHash != "" {
		changed = now()
	}
	res, err := tx.exec(`INSERT INTO person (email, name, password_hash, password_changed_at, is_admin, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, p.Email, p.Name, p.PasswordHash, changed, p.IsAdmin, now())
	if isUnique(err) {
		return fmt.Errorf("db: person %s: %w", p.Email, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("db: create person: %w", err)
	}
	p.ID, _ = res.LastInsertId()
	return nil
}

// SetPassword stores a new password hash and when it changed; a renewal asked for is done.
func (tx *Tx) SetPassword(personID int64, hash string) error {
	return affectOne(tx.exec(`UPDATE person SET password_hash = ?, password_changed_at = ?, password_must_change = 0 WHERE id = ?`,
		hash, now(), personID))
}

// RequirePasswordChange asks (or stops asking) a person for a new password at the next sign-in.
func (tx *Tx) RequirePasswordChange(personID int64, must bool) error {
	return affectOne(tx.exec(`UPDATE person SET password_must_change = ? WHERE id = ?`, must, personID))
}

// SetAdmin grants or removes the administrator flag.
func (tx *Tx) SetAdmin(personID int64, admin bool) error {
	return affectOne(tx.exec(`UPDATE person SET is_admin = ? WHERE id = ?`, admin, personID))
}

// affectOne turns an UPDATE that touched no row into ErrNotFound.
func affectOne(res sql.Result, err error) error {
	if err != nil {
		return fmt.Errorf("db: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// SetSuspended suspends or restores an account: a suspended person signs in nowhere, and nothing of
// theirs is deleted.
func (tx *Tx) SetSuspended(personID int64, suspended bool) error {
	return affectOne(tx.exec(`UPDATE person SET suspended = ? WHERE id = ?`, suspended, personID))
}
