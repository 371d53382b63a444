package db

import "fmt"

// InlineMax is the largest content kept in the database rather than in the blob store (see
// files.InlineMax): a larger one lives in the blob store and must be copied to the partner on its own.
const InlineMax = 64 << 10

// PutInlineBlob stores a small content under its key; storing the same content again is a no-op.
func (tx *Tx) PutInlineBlob(key string, data []byte) error {
	if _, err := tx.exec(`INSERT INTO inline_blob (key, data) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, data); err != nil {
		return fmt.Errorf("db: inline blob: %w", err)
	}
	return nil
}

// InlineBlob returns a small content, or ErrNotFound when the key's content is in the blob store.
func (r Read) InlineBlob(key string) ([]byte, error) {
	var data []byte
	if err := r.q.QueryRowContext(r.ctx, `SELECT data FROM inline_blob WHERE key = ?`, key).Scan(&data); err != nil {
		return nil, notFound(err, "inline blob")
	}
	return data, nil
}

// InlineBlobSizes calls fn with the key and size of every inline content, for consistency checks.
func (r Read) InlineBlobSizes(fn func(key string, size int64) error) error {
	rows, err := r.q.QueryContext(r.ctx, `SELECT key, length(data) FROM inline_blob`)
	if err != nil {
		return fmt.Errorf("db: inline blobs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		if err := fn(k, n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// nodeColumnsN is nodeColumns for a node table aliased n.
var nodeColumnsN = prefixed("n.", nodeColumns)

// NodeContent returns the node at p and, when its content is inline, the content, in one query:
// the whole work of serving a small file.
func (r Read) NodeContent(groupID int64, p string) (Node, []byte, error) {
	dir, name := split(p)
	var data []byte
	n, err := scanNode(r.q.QueryRowContext(r.ctx, `SELECT `+nodeColumnsN+`, i.data FROM node n
		LEFT JOIN inline_blob i ON i.key = n.blob WHERE n.group_id = ? AND n.dir = ? AND n.name = ?`, groupID, dir, name), &data)
	if err != nil {
		return n, nil, notFound(err, "node "+p)
	}
	return n, data, nil
}
