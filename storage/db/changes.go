package db

import "fmt"

// Change is the latest change of one name in a collection (RFC 6578): changed or deleted at Revision.
type Change struct {
	Name     string
	Revision int64
	Deleted  bool
}

// logChange bumps the collection's revision and records that name changed at it.
func (tx *Tx) logChange(collectionID int64, name string, deleted bool) error {
	var rev int64
	err := tx.tx.QueryRowContext(tx.ctx, `UPDATE collection SET revision = revision + 1 WHERE id = ? RETURNING revision`, collectionID).Scan(&rev)
	if err != nil {
		return notFound(err, "collection revision")
	}
	_, err = tx.exec(`INSERT INTO cal_change (collection_id, name, revision, deleted) VALUES (?, ?, ?, ?)
		ON CONFLICT (collection_id, name) DO UPDATE SET revision = excluded.revision, deleted = excluded.deleted`,
		collectionID, name, rev, deleted)
	if err != nil {
		return fmt.Errorf("db: log change: %w", err)
	}
	return nil
}

// EachChangeSince calls fn for every name changed after revision, oldest first. It reads only those
// rows of the index, so an incremental sync costs what changed, not the collection's size.
func (r Read) EachChangeSince(collectionID, revision int64, fn func(Change) error) error {
	rows, err := r.q.QueryContext(r.ctx, `SELECT name, revision, deleted FROM cal_change
		WHERE collection_id = ? AND revision > ? ORDER BY revision`, collectionID, revision)
	if err != nil {
		return fmt.Errorf("db: changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.Name, &c.Revision, &c.Deleted); err != nil {
			return fmt.Errorf("db: changes: %w", err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CollectionByID finds a collection by id.
func (r Read) CollectionByID(id int64) (Collection, error) {
	c, err := scanCollection(r.q.QueryRowContext(r.ctx, `SELECT `+collectionColumns+` FROM collection WHERE id = ?`, id))
	if err != nil {
		return c, notFound(err, fmt.Sprint("collection ", id))
	}
	return c, nil
}
