package db

import (
	"errors"
	"fmt"
	"time"
)

// release is called for each content a change stopped referencing: when nothing references it any
// more, an inline content is deleted now, a blob-store content is queued for the collector (which
// cannot run inside this transaction: the blob lives outside the database).
func (tx *Tx) release(blobs ...string) error {
	for _, key := range blobs {
		if key == "" {
			continue
		}
		used, err := tx.R().BlobReferenced(key)
		if err != nil {
			return err
		}
		if used {
			continue
		}
		res, err := tx.exec(`DELETE FROM inline_blob WHERE key = ?`, key)
		if err != nil {
			return fmt.Errorf("db: release: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			continue
		}
		if _, err := tx.exec(`INSERT INTO blob_orphan (key, since) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, now()); err != nil {
			return fmt.Errorf("db: release: %w", err)
		}
	}
	return nil
}

// treeBlobs lists the distinct contents at or below p.
func (tx *Tx) treeBlobs(groupID int64, p string) ([]string, error) {
	cond, args := inTree(groupID, p, true)
	return tx.R().strings(`SELECT DISTINCT blob FROM node WHERE blob IS NOT NULL AND `+cond, args...)
}

// strings runs a query of one text column.
func (r Read) strings(query string, args ...any) ([]string, error) {
	rows, err := r.q.QueryContext(r.ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("db: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Orphans returns up to limit queued contents that have been unreferenced since before the given time.
func (r Read) Orphans(before time.Time, limit int) ([]string, error) {
	return r.strings(`SELECT key FROM blob_orphan WHERE since < ? ORDER BY since LIMIT ?`, before.UnixNano(), limit)
}

// ErrReferenced says a queued content is in use again and must be kept.
var ErrReferenced = errors.New("db: content referenced again")

// ClaimOrphan removes a content from the queue and tells whether it may be deleted: not if a file
// points at it again.
func (tx *Tx) ClaimOrphan(key string) error {
	if _, err := tx.exec(`DELETE FROM blob_orphan WHERE key = ?`, key); err != nil {
		return fmt.Errorf("db: claim orphan: %w", err)
	}
	used, err := tx.R().BlobReferenced(key)
	if err != nil {
		return err
	}
	if used {
		return ErrReferenced
	}
	return nil
}
