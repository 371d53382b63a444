package db

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Replica operations of the outbox.
const (
	ReplicaPut    = "put"
	ReplicaDelete = "delete"
)

// OutboxItem is a content to copy to, or remove from, the partner.
type OutboxItem struct {
	Key        string
	Op         string
	Size       int64
	EnqueuedAt time.Time
	NotBefore  time.Time
	Attempts   int
	LastError  string
}

// EnqueueReplicaPut records that a content must reach the partner. It is called in the transaction
// that references the content; a pending deletion of the same content is cancelled.
func (tx *Tx) EnqueueReplicaPut(key string, size int64) error {
	t := now()
	_, err := tx.exec(`INSERT INTO replica_outbox (key, op, size, enqueued_at) VALUES (?, 'put', ?, ?)
		ON CONFLICT (key) DO UPDATE SET op = 'put', size = excluded.size, not_before = 0, attempts = 0, last_error = ''
		WHERE replica_outbox.op = 'delete'`, key, size, t)
	if err != nil {
		return fmt.Errorf("db: replica outbox: %w", err)
	}
	return nil
}

// EnqueueReplicaDelete records that the partner may drop a content from notBefore on. A pending
// upload of it is simply dropped (there is nothing to delete yet).
func (tx *Tx) EnqueueReplicaDelete(key string, notBefore time.Time) error {
	_, err := tx.exec(`INSERT INTO replica_outbox (key, op, enqueued_at, not_before) VALUES (?, 'delete', ?, ?)
		ON CONFLICT (key) DO UPDATE SET op = 'delete', size = 0, not_before = excluded.not_before, attempts = 0, last_error = ''`,
		key, now(), notBefore.UnixNano())
	if err != nil {
		return fmt.Errorf("db: replica outbox: %w", err)
	}
	return nil
}

// DueReplicaItems returns up to limit items whose time has come, oldest first: contents reach the
// partner in the order they were written.
func (r Read) DueReplicaItems(at time.Time, limit int) ([]OutboxItem, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT key, op, size, enqueued_at, not_before, attempts, last_error
		FROM replica_outbox WHERE not_before <= ? ORDER BY not_before, enqueued_at LIMIT ?`, at.UnixNano(), limit)
	if err != nil {
		return nil, fmt.Errorf("db: replica outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var enq, nb int64
		if err := rows.Scan(&it.Key, &it.Op, &it.Size, &enq, &nb, &it.Attempts, &it.LastError); err != nil {
			return nil, err
		}
		it.EnqueuedAt, it.NotBefore = unixTime(enq), unixTime(nb)
		out = append(out, it)
	}
	return out, rows.Err()
}

// ReplicaDone removes an item once carried out, unless it changed meanwhile (a put that became a
// delete, or the reverse): then the new operation stays queued.
func (tx *Tx) ReplicaDone(key, op string) error {
	_, err := tx.exec(`DELETE FROM replica_outbox WHERE key = ? AND op = ?`, key, op)
	return err
}

// ReplicaFailed records a failed attempt and when to try again.
func (tx *Tx) ReplicaFailed(key, op string, cause error, retryAt time.Time) error {
	_, err := tx.exec(`UPDATE replica_outbox SET attempts = attempts + 1, last_error = ?, not_before = ? WHERE key = ? AND op = ?`,
		cause.Error(), retryAt.UnixNano(), key, op)
	return err
}

// Backlog is what the partner does not have yet.
type Backlog struct {
	Count  int64     // contents waiting to be copied
	Bytes  int64     // their size
	Oldest time.Time // zero when none waits
	// Deletions are scheduled removals on the partner (not a backlog: they wait on purpose).
	Deletions int64
}

// ReplicaBacklog sums the outbox.
func (r Read) ReplicaBacklog() (Backlog, error) {
	var b Backlog
	var oldest sql.NullInt64
	err := r.q.QueryRowContext(r.ctx, `SELECT count(*), coalesce(sum(size), 0), min(enqueued_at) FROM replica_outbox WHERE op = 'put'`).
		Scan(&b.Count, &b.Bytes, &oldest)
	if err != nil {
		return b, fmt.Errorf("db: replica backlog: %w", err)
	}
	if oldest.Valid {
		b.Oldest = unixTime(oldest.Int64)
	}
	err = r.q.QueryRowContext(r.ctx, `SELECT count(*) FROM replica_outbox WHERE op = 'delete'`).Scan(&b.Deletions)
	return b, err
}

// ReplicaMeta returns a named value of the replication, or ErrNotFound.
func (r Read) ReplicaMeta(name string) ([]byte, error) {
	var v []byte
	err := r.q.QueryRowContext(r.ctx, `SELECT value FROM replica_meta WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return v, err
}

// SetReplicaMeta sets a named value of the replication.
func (tx *Tx) SetReplicaMeta(name string, value []byte) error {
	_, err := tx.exec(`INSERT INTO replica_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	return err
}

// EnqueueReplicaAll queues every content that files, versions, the trash and validated minutes' documents reference outside the
// database (inline contents travel in the database copies): what was stored before the outbox
// existed reaches the partner too. It returns how many items it added.
func (tx *Tx) EnqueueReplicaAll() (int64, error) {
	res, err := tx.exec(`INSERT INTO replica_outbox (key, op, size, enqueued_at)
		SELECT blob, 'put', max(size), ? FROM (SELECT blob, size FROM node WHERE blob IS NOT NULL UNION ALL SELECT blob, size FROM version
			UNION ALL SELECT document_blob, document_size FROM minutes WHERE document_blob != '')
		WHERE blob NOT IN (SELECT key FROM inline_blob) GROUP BY blob
		ON CONFLICT (key) DO UPDATE SET op = 'put', size = excluded.size, not_before = 0, attempts = 0, last_error = ''
		WHERE replica_outbox.op = 'delete'`, now())
	if err != nil {
		return 0, fmt.Errorf("db: replica backfill: %w", err)
	}
	return res.RowsAffected()
}
