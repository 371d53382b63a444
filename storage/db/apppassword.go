package db

import (
	"fmt"
	"time"
)

// AppPassword is a person's password for one device.
type AppPassword struct {
	ID         int64
	PersonID   int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero: never
}

// CreateAppPassword stores a device password by the hash of its secret.
func (tx *Tx) CreateAppPassword(a *AppPassword, hash string) error {
	t := now()
	res, err := tx.exec(`INSERT INTO app_password (person_id, name, hash, created_at) VALUES (?, ?, ?, ?)`, a.PersonID, a.Name, hash, t)
	if err != nil {
		return fmt.Errorf("db: app password: %w", err)
	}
	a.ID, _ = res.LastInsertId()
	a.CreatedAt = unixTime(t)
	return nil
}

// AppPasswords lists a person's device passwords, newest first.
func (r Read) AppPasswords(personID int64) ([]AppPassword, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id, person_id, name, created_at, last_used_at FROM app_password WHERE person_id = ? ORDER BY created_at DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("db: app passwords: %w", err)
	}
	defer rows.Close()
	var out []AppPassword
	for rows.Next() {
		var a AppPassword
		var created, used int64
		if err := rows.Scan(&a.ID, &a.PersonID, &a.Name, &created, &used); err != nil {
			return nil, err
		}
		a.CreatedAt, a.LastUsedAt = unixTime(created), unixTime(used)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AppPasswordByHash finds the device password of a person with this secret's hash.
func (r Read) AppPasswordByHash(personID int64, hash string) (AppPassword, error) {
	var a AppPassword
	var created, used int64
	err := r.q.QueryRowContext(r.ctx, `SELECT id, person_id, name, created_at, last_used_at FROM app_password WHERE person_id = ? AND hash = ?`,
		personID, hash).Scan(&a.ID, &a.PersonID, &a.Name, &created, &used)
	if err != nil {
		return a, notFound(err, "app password")
	}
	a.CreatedAt, a.LastUsedAt = unixTime(created), unixTime(used)
	return a, nil
}

// TouchAppPassword records a use of a device password.
func (tx *Tx) TouchAppPassword(id int64) error {
	_, err := tx.exec(`UPDATE app_password SET last_used_at = ? WHERE id = ?`, now(), id)
	return err
}

// DeleteAppPassword revokes a device password of a person.
func (tx *Tx) DeleteAppPassword(personID, id int64) error {
	return affectOne(tx.exec(`DELETE FROM app_password WHERE id = ? AND person_id = ?`, id, personID))
}
