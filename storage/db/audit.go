package db

import (
	"fmt"
	"time"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID      int64
	At      time.Time
	ActorID int64  // 0: the command line or the system
	Actor   string // e-mail, or "cli"/"system"
	Action  string // e.g. "group.grant"
	Target  string
	Detail  string
}

// Audit appends an entry to the audit log, in the transaction that does what it records.
func (tx *Tx) Audit(e AuditEntry) error {
	var actor any
	if e.ActorID != 0 {
		actor = e.ActorID
	}
	_, err := tx.exec(`INSERT INTO audit (at, actor_id, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		now(), actor, e.Actor, e.Action, e.Target, e.Detail)
	if err != nil {
		return fmt.Errorf("db: audit: %w", err)
	}
	return nil
}

// AuditLog returns the most recent entries first.
func (r Read) AuditLog(limit int) ([]AuditEntry, error) {
	return r.auditEntries(`ORDER BY id DESC LIMIT ?`, limit)
}

const auditColumns = `id, at, coalesce(actor_id, 0), actor, action, target, detail`

// auditEntries runs a query of audit entries: the clause after FROM audit, and its arguments.
func (r Read) auditEntries(where string, args ...any) ([]AuditEntry, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+auditColumns+` FROM audit `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, err
		}
		e.At = unixTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
