package db

import (
	"fmt"
	"time"
)

// Mail is an outgoing message.
type Mail struct {
	ID            int64
	To            string
	Subject       string
	Body          string
	CreatedAt     time.Time
	Attempts      int
	NextAttemptAt time.Time
	SentAt        time.Time // zero: not sent
	LastError     string
	Calendar      string // an iTIP message (an invitation) sent as text/calendar beside Body; "" for none
}

// QueueMail adds a message to send, with an iTIP message beside its text when calendar is not "".
func (tx *Tx) QueueMail(to, subject, body, calendar string) (int64, error) {
	t := now()
	res, err := tx.exec(`INSERT INTO mail (to_addr, subject, body, calendar, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)`,
		to, subject, body, calendar, t, t)
	if err != nil {
		return 0, fmt.Errorf("db: queue mail: %w", err)
	}
	return res.LastInsertId()
}

// DueMails returns unsent messages whose next attempt is due, oldest first.
func (r Read) DueMails(limit int) ([]Mail, error) {
	return r.mails(`WHERE sent_at = 0 AND next_attempt_at <= ? ORDER BY id LIMIT ?`, now(), limit)
}

// Mails returns the most recent messages, sent or not: the outbox administrators read.
func (r Read) Mails(limit int) ([]Mail, error) {
	return r.mails(`ORDER BY id DESC LIMIT ?`, limit)
}

func (r Read) mails(where string, args ...any) ([]Mail, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id, to_addr, subject, body, calendar, created_at, attempts, next_attempt_at, sent_at, last_error FROM mail `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: mails: %w", err)
	}
	defer rows.Close()
	var out []Mail
	for rows.Next() {
		var m Mail
		var created, next, sent int64
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.Calendar, &created, &m.Attempts, &next, &sent, &m.LastError); err != nil {
			return nil, err
		}
		m.CreatedAt, m.NextAttemptAt, m.SentAt = unixTime(created), unixTime(next), unixTime(sent)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MailSent records a delivery.
func (tx *Tx) MailSent(id int64) error {
	_, err := tx.exec(`UPDATE mail SET sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`, now(), id)
	return err
}

// MailFailed records a failed attempt and when to try again.
func (tx *Tx) MailFailed(id int64, reason string, next time.Time) error {
	_, err := tx.exec(`UPDATE mail SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`, reason, next.UnixNano(), id)
	return err
}
