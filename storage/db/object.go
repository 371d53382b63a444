package db

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"time"
)

// Window bounds the instances of a calendar object, in Unix seconds, for time-range queries:
// every instance lies within [Start, End], or after Start without end when Unbounded.
type Window struct {
	Start, End int64
	Unbounded  bool
}

// Everywhere is the window of an object with no time (a vCard, a task without dates): every
// time-range query considers it.
var Everywhere = Window{Start: math.MinInt64, End: math.MaxInt64, Unbounded: true}

// Object is a calendar object resource or a vCard, with the bytes the client sent.
type Object struct {
	ID           int64
	CollectionID int64
	Name         string
	UID          string
	Component    string
	ETag         string // strong: a hash of Data, so identical bytes have the identical tag
	Data         []byte // nil when listed without content
	Size         int64
	Window       Window
	ModifiedAt   time.Time
}

// ContentETag is the strong entity tag of data.
func ContentETag(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

const objectMeta = `id, collection_id, name, uid, component, etag, length(data), first_start, last_end, unbounded, modified_at`

func scanObject(row interface{ Scan(...any) error }, withData bool) (Object, error) {
	var o Object
	var mod int64
	dst := []any{&o.ID, &o.CollectionID, &o.Name, &o.UID, &o.Component, &o.ETag, &o.Size, &o.Window.Start, &o.Window.End, &o.Window.Unbounded, &mod}
	if withData {
		dst = append(dst, &o.Data)
	}
	err := row.Scan(dst...)
	o.ModifiedAt = unixTime(mod)
	return o, err
}

// Object finds one object of a collection by name, with its content.
func (r Read) Object(collectionID int64, name string) (Object, error) {
	o, err := scanObject(r.q.QueryRowContext(r.ctx, `SELECT `+objectMeta+`, data FROM cal_object WHERE collection_id = ? AND name = ?`,
		collectionID, name), true)
	if err != nil {
		return o, notFound(err, "object "+name)
	}
	return o, nil
}

// ObjectByUID finds the object of a collection holding a UID, without its content.
func (r Read) ObjectByUID(collectionID int64, uid string) (Object, error) {
	o, err := scanObject(r.q.QueryRowContext(r.ctx, `SELECT `+objectMeta+` FROM cal_object WHERE collection_id = ? AND uid = ?`,
		collectionID, uid), false)
	if err != nil {
		return o, notFound(err, "object uid")
	}
	return o, nil
}

// EachObject calls fn for every object of a collection, by name, with content if withData. It streams:
// a collection of any size costs one row of memory.
func (r Read) EachObject(collectionID int64, withData bool, fn func(Object) error) error {
	cols := objectMeta
	if withData {
		cols += ", data"
	}
	return r.eachObject(withData, fn, `SELECT `+cols+` FROM cal_object WHERE collection_id = ? ORDER BY name`, collectionID)
}

// EachObjectIn calls fn, with content, for the objects whose window meets [start, end] (Unix seconds),
// by name: the candidates of a time-range query, found in the index without parsing anything.
//
// One condition on (first_start, last_end) cannot be an index range: first_start <= end alone reads
// every earlier object, last_end >= start every later one. So objects are split by window length
// (the partial index of migration 013): a short window starts at most longWindow before the range,
// which bounds first_start on both sides; long and unbounded windows are few and read on their own.
func (r Read) EachObjectIn(collectionID, start, end int64, fn func(Object) error) error {
	from := start - longWindow
	if start < math.MinInt64+longWindow {
		from = math.MinInt64
	}
	return r.eachObject(true, fn, eachObjectInQuery, collectionID, end, start, from)
}

// eachObjectInQuery's parameters: collection, end, start, start - longWindow.
const eachObjectInQuery = `SELECT ` + objectMeta + `, data FROM cal_object
	WHERE collection_id = ?1 AND first_start BETWEEN ?4 AND ?2 AND last_end >= ?3 AND NOT ` + isLongWindow + `
	UNION ALL
	SELECT ` + objectMeta + `, data FROM cal_object
	WHERE collection_id = ?1 AND ` + isLongWindow + ` AND first_start <= ?2 AND (unbounded OR last_end >= ?3)
	ORDER BY name`

// longWindow (seconds) splits short windows from long ones; isLongWindow must stay the expression of
// the partial index cal_object_long (migration 013), word for word, or SQLite will not use it.
const (
	longWindow   = 7 * 86400
	isLongWindow = `(unbounded OR last_end - first_start > 604800)`
)

func (r Read) eachObject(withData bool, fn func(Object) error, q string, args ...any) error {
	rows, err := r.q.QueryContext(r.ctx, q, args...)
	if err != nil {
		return fmt.Errorf("db: objects: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanObject(rows, withData)
		if err != nil {
			return fmt.Errorf("db: objects: %w", err)
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PutObject creates or replaces the object o.Name of its collection and logs the change; it returns
// whether the object was created. The caller checks preconditions (ETags, UID) inside the same
// transaction. ErrConflict if another object of the collection has the same UID.
func (tx *Tx) PutObject(o *Object) (created bool, err error) {
	o.ETag = ContentETag(o.Data)
	t := now()
	res, err := tx.exec(`UPDATE cal_object SET uid = ?, component = ?, etag = ?, data = ?, first_start = ?, last_end = ?, unbounded = ?,
		modified_at = ? WHERE collection_id = ? AND name = ?`, o.UID, o.Component, o.ETag, o.Data, o.Window.Start, o.Window.End,
		o.Window.Unbounded, t, o.CollectionID, o.Name)
	if err == nil {
		var n int64
		if n, _ = res.RowsAffected(); n == 0 {
			created = true
			_, err = tx.exec(`INSERT INTO cal_object (collection_id, name, uid, component, etag, data, first_start, last_end, unbounded,
				modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.CollectionID, o.Name, o.UID, o.Component, o.ETag, o.Data,
				o.Window.Start, o.Window.End, o.Window.Unbounded, t)
		}
	}
	if isUnique(err) {
		return false, fmt.Errorf("db: object uid: %w", ErrConflict)
	}
	if err != nil {
		return false, fmt.Errorf("db: put object: %w", err)
	}
	o.Size, o.ModifiedAt = int64(len(o.Data)), unixTime(t)
	return created, tx.logChange(o.CollectionID, o.Name, false)
}

// DeleteObject removes an object and logs the deletion; ErrNotFound if there is none.
func (tx *Tx) DeleteObject(collectionID int64, name string) error {
	res, err := tx.exec(`DELETE FROM cal_object WHERE collection_id = ? AND name = ?`, collectionID, name)
	if err != nil {
		return fmt.Errorf("db: delete object: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("db: delete object %s: %w", name, ErrNotFound)
	}
	return tx.logChange(collectionID, name, true)
}
