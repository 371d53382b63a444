package db

import (
	"fmt"
	"time"
)

// What a person may ask under the GDPR: a copy of their data, and erasure.

// DuesOf lists a person's dues, most recent year first.
func (r Read) DuesOf(personID int64) ([]Dues, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT year, amount_cents, paid_at, source FROM dues WHERE person_id = ? ORDER BY year DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("db: dues: %w", err)
	}
	defer rows.Close()
	var out []Dues
	for rows.Next() {
		d := Dues{PersonID: personID}
		var paid int64
		if err := rows.Scan(&d.Year, &d.AmountCents, &paid, &d.Source); err != nil {
			return nil, err
		}
		d.PaidAt = unixTime(paid)
		out = append(out, d)
	}
	return out, rows.Err()
}

// RequestsOf lists the access requests a person made, oldest first.
func (r Read) RequestsOf(personID int64) ([]AccessRequest, error) {
	return r.requests(`WHERE person_id = ? ORDER BY created_at`, personID)
}

// AuditAbout lists the audit entries a person made or that name their e-mail as a whole word of
// the target ("atelier alice@example.org"), oldest first.
func (r Read) AuditAbout(personID int64, email string) ([]AuditEntry, error) {
	return r.auditEntries(`WHERE actor_id = ? OR instr(' ' || lower(target) || ' ', ' ' || lower(?) || ' ') > 0 ORDER BY id`, personID, email)
}

// ErasureRequest is a person's request to be erased.
type ErasureRequest struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
	DoneAt    time.Time `json:"done_at"` // zero while waiting
}

// CreateErasureRequest records a request; one open request per person is enough.
func (tx *Tx) CreateErasureRequest(personID int64, email string) error {
	_, err := tx.exec(`INSERT INTO erasure_request (person_id, email, created_at)
		SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM erasure_request WHERE person_id = ? AND done_at = 0)`, personID, email, now(), personID)
	if err != nil {
		return fmt.Errorf("db: erasure request: %w", err)
	}
	return nil
}

// ErasureRequests lists the requests, waiting ones first.
func (r Read) ErasureRequests() ([]ErasureRequest, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id, email, created_at, done_at FROM erasure_request ORDER BY done_at <> 0, created_at`)
	if err != nil {
		return nil, fmt.Errorf("db: erasure requests: %w", err)
	}
	defer rows.Close()
	var out []ErasureRequest
	for rows.Next() {
		var e ErasureRequest
		var created, done int64
		if err := rows.Scan(&e.ID, &e.Email, &created, &done); err != nil {
			return nil, err
		}
		e.CreatedAt, e.DoneAt = unixTime(created), unixTime(done)
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeletePerson removes a person; memberships, sessions, device passwords, dues and requests go with
// them (ON DELETE CASCADE), and the audit log keeps its text. Their open erasure request is closed.
func (tx *Tx) DeletePerson(id int64) error {
	if _, err := tx.exec(`UPDATE erasure_request SET done_at = ? WHERE person_id = ? AND done_at = 0`, now(), id); err != nil {
		return fmt.Errorf("db: erasure request: %w", err)
	}
	return affectOne(tx.exec(`DELETE FROM person WHERE id = ?`, id))
}
