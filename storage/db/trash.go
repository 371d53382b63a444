package db

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"time"
)

// TrashItem is a deleted file or folder, kept until its retention ends.
type TrashItem struct {
	ID           int64
	GroupID      int64
	OriginalPath string
	IsDir        bool
	Size         int64
	DeletedAt    time.Time
	DeletedBy    int64
}

// trashRoot is where the nodes of a trash item live: outside the live tree, whose dirs all start
// with '/', and before it in index order ('#' < '/').
func trashRoot(id int64, name string) string { return "#" + strconv.FormatInt(id, 10) + "/" + name }

// Root returns the path under which the item's nodes are kept (for listing a trashed folder).
func (t TrashItem) Root() string { return trashRoot(t.ID, path.Base(t.OriginalPath)) }

// moveTree renames the node at src and its descendants to dst within a group, without checks:
// the callers check what they need.
func (tx *Tx) moveTree(groupID int64, src, dst string) error {
	cond, args := inTree(groupID, src, false)
	if _, err := tx.exec(`UPDATE node SET dir = ? || substr(dir, ?) WHERE `+cond,
		append([]any{dst, len([]rune(src)) + 1}, args...)...); err != nil {
		return fmt.Errorf("db: move %s: %w", src, err)
	}
	sdir, sname := split(src)
	ddir, dname := split(dst)
	return affectOne(tx.exec(`UPDATE node SET dir = ?, name = ? WHERE group_id = ? AND dir = ? AND name = ?`, ddir, dname, groupID, sdir, sname))
}

// TrashTree moves the node at p, with everything below it, to the group's trash.
func (tx *Tx) TrashTree(groupID int64, p string, by int64) (TrashItem, error) {
	if p == "/" {
		return TrashItem{}, fmt.Errorf("db: the root of a group cannot be deleted")
	}
	n, err := tx.R().Node(groupID, p)
	if err != nil {
		return TrashItem{}, err
	}
	size, err := tx.R().TreeSize(groupID, p)
	if err != nil {
		return TrashItem{}, err
	}
	item := TrashItem{GroupID: groupID, OriginalPath: p, IsDir: n.IsDir, Size: size, DeletedAt: unixTime(now()), DeletedBy: by}
	var byID any
	if by != 0 {
		byID = by
	}
	res, err := tx.exec(`INSERT INTO trash (group_id, original_path, is_dir, size, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?)`,
		groupID, p, n.IsDir, size, item.DeletedAt.UnixNano(), byID)
	if err != nil {
		return item, fmt.Errorf("db: trash %s: %w", p, err)
	}
	item.ID, _ = res.LastInsertId()
	if err := tx.moveTree(groupID, p, item.Root()); err != nil {
		return item, err
	}
	if _, err := tx.exec(`UPDATE grp SET used_bytes = used_bytes - ?, trash_bytes = trash_bytes + ? WHERE id = ?`, size, size, groupID); err != nil {
		return item, err
	}
	if err := tx.DeleteLocksUnder(groupID, p); err != nil {
		return item, err
	}
	return item, tx.touch(groupID, path.Dir(p))
}

// TrashItems lists a group's trash, most recent first.
func (r Read) TrashItems(groupID int64) ([]TrashItem, error) {
	return r.trashItems(`WHERE group_id = ? ORDER BY deleted_at DESC, id DESC`, groupID)
}

// TrashItem returns one item of a group's trash.
func (r Read) TrashItem(groupID, id int64) (TrashItem, error) {
	items, err := r.trashItems(`WHERE group_id = ? AND id = ?`, groupID, id)
	if err == nil && len(items) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return TrashItem{}, fmt.Errorf("db: trash item %d: %w", id, err)
	}
	return items[0], nil
}

// ExpiredTrash lists the items deleted before cutoff, in every group.
func (r Read) ExpiredTrash(cutoff time.Time, limit int) ([]TrashItem, error) {
	return r.trashItems(`WHERE deleted_at < ? ORDER BY deleted_at LIMIT ?`, cutoff.UnixNano(), limit)
}

func (r Read) trashItems(where string, args ...any) ([]TrashItem, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id, group_id, original_path, is_dir, size, deleted_at, coalesce(deleted_by, 0) FROM trash `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: trash: %w", err)
	}
	defer rows.Close()
	var out []TrashItem
	for rows.Next() {
		var t TrashItem
		var at int64
		if err := rows.Scan(&t.ID, &t.GroupID, &t.OriginalPath, &t.IsDir, &t.Size, &at, &t.DeletedBy); err != nil {
			return nil, err
		}
		t.DeletedAt = unixTime(at)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RestoreTrash puts an item back at dest (its original path when empty), creating missing parent
// folders. ErrConflict when something is at dest already.
func (tx *Tx) RestoreTrash(groupID, id int64, dest string) (TrashItem, error) {
	item, err := tx.R().TrashItem(groupID, id)
	if err != nil {
		return item, err
	}
	if dest == "" {
		dest = item.OriginalPath
	}
	if _, err := tx.R().Node(groupID, dest); err == nil {
		return item, fmt.Errorf("db: restore to %s: %w", dest, ErrConflict)
	} else if !errors.Is(err, ErrNotFound) {
		return item, err
	}
	if err := tx.mkdirAll(groupID, path.Dir(dest)); err != nil {
		return item, err
	}
	if err := tx.moveTree(groupID, item.Root(), dest); err != nil {
		return item, err
	}
	if _, err := tx.exec(`UPDATE grp SET used_bytes = used_bytes + ?, trash_bytes = trash_bytes - ? WHERE id = ?`, item.Size, item.Size, groupID); err != nil {
		return item, err
	}
	if _, err := tx.exec(`DELETE FROM trash WHERE id = ?`, id); err != nil {
		return item, err
	}
	return item, tx.touch(groupID, path.Dir(dest))
}

// mkdirAll creates the folder at p and its missing parents.
func (tx *Tx) mkdirAll(groupID int64, p string) error {
	n, err := tx.R().Node(groupID, p)
	switch {
	case err == nil && n.IsDir:
		return nil
	case err == nil:
		return fmt.Errorf("db: %s: %w", p, ErrNotDir)
	case !errors.Is(err, ErrNotFound):
		return err
	}
	if err := tx.mkdirAll(groupID, path.Dir(p)); err != nil {
		return err
	}
	_, err = tx.Mkdir(groupID, p)
	return err
}

// PurgeTrash deletes an item for good, with the versions of its files.
func (tx *Tx) PurgeTrash(groupID, id int64) error {
	item, err := tx.R().TrashItem(groupID, id)
	if err != nil {
		return err
	}
	if err := tx.deleteTree(groupID, item.Root()); err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE grp SET trash_bytes = trash_bytes - ? WHERE id = ?`, item.Size, groupID); err != nil {
		return err
	}
	_, err = tx.exec(`DELETE FROM trash WHERE id = ?`, id)
	return err
}

// deleteTree removes the node at p, its descendants and their versions, and releases their contents.
func (tx *Tx) deleteTree(groupID int64, p string) error {
	blobs, err := tx.treeBlobs(groupID, p)
	if err != nil {
		return err
	}
	cond, args := inTree(groupID, p, true)
	vblobs, err := tx.R().strings(`SELECT DISTINCT blob FROM version WHERE node_id IN (SELECT id FROM node WHERE `+cond+`)`, args...)
	if err != nil {
		return err
	}
	var vsize int64
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT coalesce(sum(size), 0) FROM version WHERE node_id IN (SELECT id FROM node WHERE `+cond+`)`, args...).Scan(&vsize); err != nil {
		return err
	}
	if _, err := tx.exec(`DELETE FROM node WHERE `+cond, args...); err != nil { // versions and properties cascade
		return fmt.Errorf("db: delete %s: %w", p, err)
	}
	if _, err := tx.exec(`UPDATE grp SET version_bytes = version_bytes - ? WHERE id = ?`, vsize, groupID); err != nil {
		return err
	}
	return tx.release(append(blobs, vblobs...)...)
}
