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

// changedObjectMeta is objectMeta read through cal_change's LEFT JOIN: zeros when the object is gone.
const changedObjectMeta = `coalesce(o.id, 0), coalesce(o.collection_id, 0), coalesce(o.name, ''), coalesce(o.uid, ''),
	coalesce(o.component, ''), coalesce(o.etag, ''), coalesce(length(o.data), 0), coalesce(o.first_start, 0),
	coalesce(o.last_end, 0), coalesce(o.unbounded, 0), coalesce(o.modified_at, 0)`

// EachChangedObject calls fn for every name changed after revision since and at most upTo, oldest
// first, with the object as it is now (content if withData), or nil when it was deleted. One
// statement walks the change log and looks each object up by its key: a sync from an old token costs
// one index lookup per change, not one query.
func (r Read) EachChangedObject(collectionID, since, upTo int64, withData bool, fn func(Change, *Object) error) error {
	cols := changedObjectMeta
	if withData {
		cols += `, coalesce(o.data, x'')`
	}
	rows, err := r.q.QueryContext(r.ctx, `SELECT c.name, c.revision, c.deleted, `+cols+` FROM cal_change c
		LEFT JOIN cal_object o ON NOT c.deleted AND o.collection_id = c.collection_id AND o.name = c.name
		WHERE c.collection_id = ? AND c.revision > ? AND c.revision <= ? ORDER BY c.revision`, collectionID, since, upTo)
	if err != nil {
		return fmt.Errorf("db: changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Change
		var o Object
		var mod int64
		dst := []any{&c.Name, &c.Revision, &c.Deleted, &o.ID, &o.CollectionID, &o.Name, &o.UID, &o.Component, &o.ETag, &o.Size,
			&o.Window.Start, &o.Window.End, &o.Window.Unbounded, &mod}
		if withData {
			dst = append(dst, &o.Data)
		}
		if err := rows.Scan(dst...); err != nil {
			return fmt.Errorf("db: changes: %w", err)
		}
		o.ModifiedAt = unixTime(mod)
		obj := &o
		if o.ID == 0 {
			obj = nil
		}
		if err := fn(c, obj); err != nil {
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
