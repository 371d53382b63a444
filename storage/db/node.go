package db

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// Node is a file or folder of a group's tree. Path is absolute within the group: "/" for the root,
// "/a/b.txt" below it, never with a trailing slash.
type Node struct {
	ID          int64
	GroupID     int64
	Path        string
	IsDir       bool
	Blob        string // SHA-256 hex, files only
	Size        int64
	ContentType string
	ETag        string // without quotes
	CreatedAt   time.Time
	ModifiedAt  time.Time
}

// Errors of the tree that callers map to protocol statuses.
var (
	ErrNoParent = errors.New("db: parent folder does not exist")
	ErrIsDir    = errors.New("db: is a folder")
	ErrNotDir   = errors.New("db: is not a folder")
)

// NewETag returns a fresh random entity tag, for folders and metadata-only changes.
func NewETag() string {
	var b [10]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// split returns the stored (dir, name) of a clean path.
func split(p string) (dir, name string) {
	if p == "/" {
		return "", ""
	}
	return path.Dir(p), path.Base(p)
}

// join is the inverse of split.
func join(dir, name string) string {
	switch dir {
	case "":
		return "/"
	case "/":
		return "/" + name
	}
	return dir + "/" + name
}

// inTree is an SQL condition selecting, by id, the descendants of p (and p itself when self) in a
// group. It is a union of ranges on the (group_id, dir, name) index: written as one OR of ranges,
// SQLite scans the whole group instead, and every delete or move would cost as much as the group
// is large.
func inTree(groupID int64, p string, self bool) (string, []any) {
	var parts []string
	var args []any
	if self {
		dir, name := split(p)
		parts = append(parts, `SELECT id FROM node WHERE group_id = ? AND dir = ? AND name = ?`)
		args = append(args, groupID, dir, name)
	}
	if p == "/" {
		parts = append(parts, `SELECT id FROM node WHERE group_id = ? AND dir >= '/'`) // every dir but the root's ''
		args = append(args, groupID)
	} else {
		parts = append(parts, `SELECT id FROM node WHERE group_id = ? AND dir = ?`,
			`SELECT id FROM node WHERE group_id = ? AND dir >= ? AND dir < ?`) // '0' sorts right after '/'
		args = append(args, groupID, p, groupID, p+"/", p+"0")
	}
	return "id IN (" + strings.Join(parts, " UNION ALL ") + ")", args
}

const nodeColumns = `id, group_id, dir, name, is_dir, blob, size, content_type, etag, created_at, modified_at`

// prefixed qualifies each column of a list with a table alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = alias + c
	}
	return strings.Join(cols, ", ")
}

func scanNode(row interface{ Scan(...any) error }, extra ...any) (Node, error) {
	var n Node
	var dir, name string
	var created, modified int64
	var blob sql.NullString
	err := row.Scan(append([]any{&n.ID, &n.GroupID, &dir, &name, &n.IsDir, &blob, &n.Size, &n.ContentType, &n.ETag, &created, &modified}, extra...)...)
	n.Blob = blob.String
	n.Path, n.CreatedAt, n.ModifiedAt = join(dir, name), unixTime(created), unixTime(modified)
	return n, err
}

// Node returns the node at a path of a group.
func (r Read) Node(groupID int64, p string) (Node, error) {
	dir, name := split(p)
	n, err := scanNode(r.q.QueryRowContext(r.ctx, `SELECT `+nodeColumns+` FROM node WHERE group_id = ? AND dir = ? AND name = ?`, groupID, dir, name))
	if err != nil {
		return n, notFound(err, "node "+p)
	}
	return n, nil
}

// Children calls fn for each child of the folder at p, by name, streaming from the database so that a
// folder of 10,000 entries is not held in memory.
func (r Read) Children(groupID int64, p string, fn func(Node) error) error {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+nodeColumns+` FROM node WHERE group_id = ? AND dir = ? AND name <> '' ORDER BY name`, groupID, p)
	if err != nil {
		return fmt.Errorf("db: children of %s: %w", p, err)
	}
	defer rows.Close()
	for rows.Next() {
		n, err := scanNode(rows)
		if err != nil {
			return err
		}
		if err := fn(n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Descendants calls fn for every node strictly below p, parents before children.
func (r Read) Descendants(groupID int64, p string, fn func(Node) error) error {
	cond, args := inTree(groupID, p, false)
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+nodeColumns+` FROM node WHERE `+cond+` ORDER BY dir, name`, args...)
	if err != nil {
		return fmt.Errorf("db: descendants of %s: %w", p, err)
	}
	defer rows.Close()
	for rows.Next() {
		n, err := scanNode(rows)
		if err != nil {
			return err
		}
		if err := fn(n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// TreeSize returns the total size of the files at or below p.
func (r Read) TreeSize(groupID int64, p string) (int64, error) {
	cond, args := inTree(groupID, p, true)
	var size int64
	err := r.q.QueryRowContext(r.ctx, `SELECT coalesce(sum(size), 0) FROM node WHERE `+cond, args...).Scan(&size)
	return size, err
}

// BlobReferenced tells whether any node, version or validated minutes' document points at a blob.
func (r Read) BlobReferenced(blob string) (bool, error) {
	var one int
	err := r.q.QueryRowContext(r.ctx, `SELECT 1 FROM node WHERE blob = ? UNION ALL SELECT 1 FROM version WHERE blob = ?
		UNION ALL SELECT 1 FROM minutes WHERE document_blob = ? LIMIT 1`, blob, blob, blob).Scan(&one)
	if err != nil {
		if errors.Is(notFound(err, ""), ErrNotFound) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// Blobs calls fn with every distinct blob referenced by a file, a version or validated minutes'
// document, for consistency checks.
func (r Read) Blobs(fn func(blob string, size int64) error) error {
	rows, err := r.q.QueryContext(r.ctx, `SELECT blob, max(size) FROM (SELECT blob, size FROM node WHERE blob IS NOT NULL
		UNION ALL SELECT blob, size FROM version UNION ALL SELECT document_blob, document_size FROM minutes WHERE document_blob != '')
		GROUP BY blob`)
	if err != nil {
		return fmt.Errorf("db: blobs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b string
		var size int64
		if err := rows.Scan(&b, &size); err != nil {
			return err
		}
		if err := fn(b, size); err != nil {
			return err
		}
	}
	return rows.Err()
}

// parent checks that the parent folder of p exists and returns it.
func (tx *Tx) parent(groupID int64, p string) (Node, error) {
	parent, err := tx.R().Node(groupID, path.Dir(p))
	if errors.Is(err, ErrNotFound) {
		return parent, ErrNoParent
	}
	if err == nil && !parent.IsDir {
		return parent, ErrNoParent
	}
	return parent, err
}

// touch marks a folder as changed, so that clients polling it see a new ETag and date.
func (tx *Tx) touch(groupID int64, p string) error {
	dir, name := split(p)
	_, err := tx.exec(`UPDATE node SET etag = ?, modified_at = ? WHERE group_id = ? AND dir = ? AND name = ?`, NewETag(), now(), groupID, dir, name)
	return err
}

// FileContent is what PutFile stores.
type FileContent struct {
	Blob        string
	Size        int64
	ContentType string
	ETag        string
	ModifiedAt  time.Time // zero: now
	By          int64     // who writes it, recorded with the version it replaces
}

// PutFile creates or replaces the file at p. It returns the node as stored, the previous version
// (zero Node if created) and whether it was created. A content too large to be inline is queued for
// the partner in the same transaction (inline contents travel with the database copies).
func (tx *Tx) PutFile(groupID int64, p string, c FileContent) (n Node, old Node, created bool, err error) {
	if _, err = tx.parent(groupID, p); err != nil {
		return
	}
	old, err = tx.R().Node(groupID, p)
	switch {
	case errors.Is(err, ErrNotFound):
		created = true
	case err != nil:
		return
	case old.IsDir:
		err = ErrIsDir
		return
	}
	t := now()
	mod := t
	if !c.ModifiedAt.IsZero() {
		mod = c.ModifiedAt.UnixNano()
	}
	dir, name := split(p)
	var res sql.Result
	if created {
		res, err = tx.exec(`INSERT INTO node (group_id, dir, name, is_dir, blob, size, content_type, etag, created_at, modified_at)
			VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`, groupID, dir, name, c.Blob, c.Size, c.ContentType, c.ETag, t, mod)
	} else {
		res, err = tx.exec(`UPDATE node SET blob = ?, size = ?, content_type = ?, etag = ?, modified_at = ? WHERE id = ?`,
			c.Blob, c.Size, c.ContentType, c.ETag, mod, old.ID)
	}
	if err != nil {
		return n, old, created, fmt.Errorf("db: put %s: %w", p, err)
	}
	if err = tx.AddUsage(groupID, c.Size-old.Size); err != nil {
		return
	}
	if c.Size > InlineMax && old.Blob != c.Blob {
		// Queued with the reference itself, so that no acknowledged content can miss the partner.
		if err = tx.EnqueueReplicaPut(c.Blob, c.Size); err != nil {
			return
		}
	}
	if created {
		old.ID, _ = res.LastInsertId()
	} else if old.Blob != c.Blob {
		// The content replaced is kept as a version; retention deletes it later.
		if err = tx.keepVersion(old, c.By); err != nil {
			return
		}
	}
	n = Node{ID: old.ID, GroupID: groupID, Path: p, Blob: c.Blob, Size: c.Size, ContentType: c.ContentType, ETag: c.ETag,
		CreatedAt: old.CreatedAt, ModifiedAt: unixTime(mod)}
	if created {
		n.CreatedAt = unixTime(t)
		err = tx.touch(groupID, path.Dir(p))
	}
	return
}

// SetModified changes a node's modification time (Windows sets it by PROPPATCH after a PUT).
func (tx *Tx) SetModified(nodeID int64, t time.Time) error {
	return affectOne(tx.exec(`UPDATE node SET modified_at = ? WHERE id = ?`, t.UnixNano(), nodeID))
}

// Mkdir creates a folder at p; ErrConflict if something is there, ErrNoParent if its parent is missing.
func (tx *Tx) Mkdir(groupID int64, p string) (Node, error) {
	if _, err := tx.parent(groupID, p); err != nil {
		return Node{}, err
	}
	dir, name := split(p)
	t := now()
	_, err := tx.exec(`INSERT INTO node (group_id, dir, name, is_dir, etag, created_at, modified_at) VALUES (?, ?, ?, 1, ?, ?, ?)`,
		groupID, dir, name, NewETag(), t, t)
	if isUnique(err) {
		return Node{}, fmt.Errorf("db: mkdir %s: %w", p, ErrConflict)
	}
	if err != nil {
		return Node{}, fmt.Errorf("db: mkdir %s: %w", p, err)
	}
	if err := tx.touch(groupID, path.Dir(p)); err != nil {
		return Node{}, err
	}
	return tx.R().Node(groupID, p)
}

// MoveTree moves the node at src (in group sg) and its descendants to dst (in group dg). The
// destination must be free and its parent must exist; the caller deletes what it overwrites first.
func (tx *Tx) MoveTree(sg int64, src string, dg int64, dst string) error {
	if sg == dg && (dst == src || strings.HasPrefix(dst, src+"/")) {
		return fmt.Errorf("db: move %s into itself: %w", src, ErrConflict)
	}
	if _, err := tx.parent(dg, dst); err != nil {
		return err
	}
	size, err := tx.R().TreeSize(sg, src)
	if err != nil {
		return err
	}
	cond, args := inTree(sg, src, false)
	// Descendants first, while their dir still identifies them.
	_, err = tx.exec(`UPDATE node SET group_id = ?, dir = ? || substr(dir, ?) WHERE `+cond,
		append([]any{dg, dst, len([]rune(src)) + 1}, args...)...)
	if err != nil {
		return fmt.Errorf("db: move %s: %w", src, err)
	}
	sdir, sname := split(src)
	ddir, dname := split(dst)
	res, err := tx.exec(`UPDATE node SET group_id = ?, dir = ?, name = ? WHERE group_id = ? AND dir = ? AND name = ?`, dg, ddir, dname, sg, sdir, sname)
	if isUnique(err) {
		return fmt.Errorf("db: move to %s: %w", dst, ErrConflict)
	}
	if err := affectOne(res, err); err != nil {
		return fmt.Errorf("db: move %s: %w", src, err)
	}
	if sg != dg {
		if err := tx.AddUsage(sg, -size); err != nil {
			return err
		}
		if err := tx.AddUsage(dg, size); err != nil {
			return err
		}
	}
	if err := tx.touch(sg, path.Dir(src)); err != nil {
		return err
	}
	return tx.touch(dg, path.Dir(dst))
}

// CopyTree copies the node at src (group sg) to dst (group dg): the node alone when shallow, else with
// its descendants, dead properties included. Blobs are shared, not copied: they are immutable.
func (tx *Tx) CopyTree(sg int64, src string, dg int64, dst string, shallow bool) error {
	if sg == dg && strings.HasPrefix(dst, src+"/") && !shallow {
		return fmt.Errorf("db: copy %s into itself: %w", src, ErrConflict)
	}
	if _, err := tx.parent(dg, dst); err != nil {
		return err
	}
	sdir, sname := split(src)
	ddir, dname := split(dst)
	t := now()
	res, err := tx.exec(`INSERT INTO node (group_id, dir, name, is_dir, blob, size, content_type, etag, created_at, modified_at)
		SELECT ?, ?, ?, is_dir, blob, size, content_type, CASE WHEN is_dir THEN ? ELSE etag END, ?, modified_at
		FROM node WHERE group_id = ? AND dir = ? AND name = ?`, dg, ddir, dname, NewETag(), t, sg, sdir, sname)
	if isUnique(err) {
		return fmt.Errorf("db: copy to %s: %w", dst, ErrConflict)
	}
	if err := affectOne(res, err); err != nil {
		return fmt.Errorf("db: copy %s: %w", src, err)
	}
	if _, err := tx.exec(`INSERT INTO dead_prop (node_id, ns, name, value)
		SELECT (SELECT id FROM node WHERE group_id = ? AND dir = ? AND name = ?), p.ns, p.name, p.value
		FROM dead_prop p JOIN node n ON n.id = p.node_id WHERE n.group_id = ? AND n.dir = ? AND n.name = ?`,
		dg, ddir, dname, sg, sdir, sname); err != nil {
		return fmt.Errorf("db: copy properties of %s: %w", src, err)
	}
	if !shallow && src != dst {
		if err := tx.copyDescendants(sg, src, dg, dst, t); err != nil {
			return err
		}
	}
	size, err := tx.R().TreeSize(dg, dst)
	if err != nil {
		return err
	}
	if err := tx.AddUsage(dg, size); err != nil {
		return err
	}
	return tx.touch(dg, path.Dir(dst))
}

func (tx *Tx) copyDescendants(sg int64, src string, dg int64, dst string, t int64) error {
	cond, args := inTree(sg, src, false)
	cut := len([]rune(src)) + 1
	// Folders get fresh ETags: hex(randomblob) keeps it one statement.
	_, err := tx.exec(`INSERT INTO node (group_id, dir, name, is_dir, blob, size, content_type, etag, created_at, modified_at)
		SELECT ?, ? || substr(dir, ?), name, is_dir, blob, size, content_type,
		CASE WHEN is_dir THEN lower(hex(randomblob(10))) ELSE etag END, ?, modified_at
		FROM node WHERE `+cond, append([]any{dg, dst, cut, t}, args...)...)
	if err != nil {
		return fmt.Errorf("db: copy %s: %w", src, err)
	}
	_, err = tx.exec(`INSERT INTO dead_prop (node_id, ns, name, value)
		SELECT d.id, p.ns, p.name, p.value FROM dead_prop p
		JOIN node s ON s.id = p.node_id
		JOIN node d ON d.group_id = ? AND d.dir = ? || substr(s.dir, ?) AND d.name = s.name
		WHERE s.`+cond, append([]any{dg, dst, cut}, args...)...)
	if err != nil {
		return fmt.Errorf("db: copy properties below %s: %w", src, err)
	}
	return nil
}
