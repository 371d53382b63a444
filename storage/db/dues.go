package db

import (
	"errors"
	"fmt"
	"time"
)

// Dues is a membership fee paid for a year.
type Dues struct {
	PersonID    int64
	Year        int
	AmountCents int64
	PaidAt      time.Time
	Source      string
}

// RecordDues stores (or replaces) a person's dues for a year.
func (tx *Tx) RecordDues(d Dues) error {
	_, err := tx.exec(`INSERT INTO dues (person_id, year, amount_cents, paid_at, source) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (person_id, year) DO UPDATE SET amount_cents = excluded.amount_cents, paid_at = excluded.paid_at, source = excluded.source`,
		d.PersonID, d.Year, d.AmountCents, d.PaidAt.UnixNano(), d.Source)
	if err != nil {
		return fmt.Errorf("db: dues: %w", err)
	}
	return nil
}

// DuesPaid tells whether a person paid the dues of a year.
func (r Read) DuesPaid(personID int64, year int) (bool, error) {
	var one int
	err := r.q.QueryRowContext(r.ctx, `SELECT 1 FROM dues WHERE person_id = ? AND year = ?`, personID, year).Scan(&one)
	if errors.Is(notFound(err, ""), ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
