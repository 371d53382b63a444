package db

import (
	"errors"
	"fmt"
	"time"
)

// Version is a previous content of a file.
type Version struct {
	ID         int64
	NodeID     int64
	Blob       string
	Size       int64
	ETag       string
	ModifiedAt time.Time // when this content was written
	ReplacedAt time.Time // when it stopped being current
	ReplacedBy int64
}

// keepVersion records the content a file is about to lose.
func (tx *Tx) keepVersion(old Node, by int64) error {
	var byID any
	if by != 0 {
		byID = by
	}
	if _, err := tx.exec(`INSERT INTO version (node_id, blob, size, etag, modified_at, replaced_at, replaced_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		old.ID, old.Blob, old.Size, old.ETag, old.ModifiedAt.UnixNano(), now(), byID); err != nil {
		return fmt.Errorf("db: keep version: %w", err)
	}
	_, err := tx.exec(`UPDATE grp SET version_bytes = version_bytes + ? WHERE id = ?`, old.Size, old.GroupID)
	return err
}

const versionColumns = `id, node_id, blob, size, etag, modified_at, replaced_at, coalesce(replaced_by, 0)`

// Versions lists a file's previous contents, newest first.
func (r Read) Versions(nodeID int64) ([]Version, error) {
	return r.versions(`WHERE node_id = ? ORDER BY replaced_at DESC, id DESC`, nodeID)
}

// Version returns one previous content of a file.
func (r Read) Version(nodeID, id int64) (Version, error) {
	vs, err := r.versions(`WHERE node_id = ? AND id = ?`, nodeID, id)
	if err == nil && len(vs) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return Version{}, fmt.Errorf("db: version %d: %w", id, err)
	}
	return vs[0], nil
}

func (r Read) versions(where string, args ...any) ([]Version, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+versionColumns+` FROM version `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: versions: %w", err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		var mod, rep int64
		if err := rows.Scan(&v.ID, &v.NodeID, &v.Blob, &v.Size, &v.ETag, &mod, &rep, &v.ReplacedBy); err != nil {
			return nil, err
		}
		v.ModifiedAt, v.ReplacedAt = unixTime(mod), unixTime(rep)
		out = append(out, v)
	}
	return out, rows.Err()
}

// dropVersions deletes versions by id and releases their contents.
func (tx *Tx) dropVersions(groupID int64, vs []Version) error {
	var size int64
	blobs := make([]string, 0, len(vs))
	for _, v := range vs {
		if _, err := tx.exec(`DELETE FROM version WHERE id = ?`, v.ID); err != nil {
			return fmt.Errorf("db: drop version: %w", err)
		}
		size += v.Size
		blobs = append(blobs, v.Blob)
	}
	if _, err := tx.exec(`UPDATE grp SET version_bytes = version_bytes - ? WHERE id = ?`, size, groupID); err != nil {
		return err
	}
	return tx.release(blobs...)
}

// PruneVersions keeps the newest keep versions of a file and deletes the others.
func (tx *Tx) PruneVersions(n Node, keep int) error {
	old, err := tx.R().versions(`WHERE node_id = ? ORDER BY replaced_at DESC, id DESC LIMIT -1 OFFSET ?`, n.ID, keep)
	if err != nil || len(old) == 0 {
		return err
	}
	return tx.dropVersions(n.GroupID, old)
}

// ExpireVersions deletes up to limit versions replaced before cutoff, in every group, and tells how
// many it deleted.
func (tx *Tx) ExpireVersions(cutoff time.Time, limit int) (int, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT v.id, n.group_id, v.blob, v.size FROM version v JOIN node n ON n.id = v.node_id
		WHERE v.replaced_at < ? ORDER BY v.replaced_at LIMIT ?`, cutoff.UnixNano(), limit)
	if err != nil {
		return 0, fmt.Errorf("db: expired versions: %w", err)
	}
	byGroup := map[int64][]Version{}
	count := 0
	for rows.Next() {
		var v Version
		var g int64
		if err := rows.Scan(&v.ID, &g, &v.Blob, &v.Size); err != nil {
			rows.Close()
			return 0, err
		}
		byGroup[g] = append(byGroup[g], v)
		count++
	}
	rows.Close()
	for g, vs := range byGroup {
		if err := tx.dropVersions(g, vs); err != nil {
			return 0, err
		}
	}
	return count, rows.Err()
}

// RestoreVersion makes a previous content current again; the content it replaces becomes a version
// in turn, so a restore can be undone.
func (tx *Tx) RestoreVersion(n Node, id int64, by int64) (Node, error) {
	v, err := tx.R().Version(n.ID, id)
	if err != nil {
		return Node{}, err
	}
	if _, err := tx.exec(`DELETE FROM version WHERE id = ?`, v.ID); err != nil {
		return Node{}, err
	}
	if _, err := tx.exec(`UPDATE grp SET version_bytes = version_bytes - ? WHERE id = ?`, v.Size, n.GroupID); err != nil {
		return Node{}, err
	}
	cur, _, _, err := tx.PutFile(n.GroupID, n.Path, FileContent{Blob: v.Blob, Size: v.Size, ContentType: n.ContentType, ETag: v.ETag, By: by})
	return cur, err
}

// GroupsOverKept lists the groups with a quota whose trash and versions hold more than the quota:
// what is kept outside the quota is bounded by it.
func (r Read) GroupsOverKept() ([]int64, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id FROM grp WHERE quota_bytes > 0 AND trash_bytes + version_bytes > quota_bytes`)
	if err != nil {
		return nil, fmt.Errorf("db: groups over quota: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// DropOldestKept deletes the oldest trash item or version of a group, whichever is older, and tells
// whether there was one.
func (tx *Tx) DropOldestKept(groupID int64) (bool, error) {
	var kind string
	var id int64
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT kind, id FROM (
		SELECT 'trash' AS kind, id, deleted_at AS at FROM trash WHERE group_id = ?
		UNION ALL SELECT 'version', v.id, v.replaced_at FROM version v JOIN node n ON n.id = v.node_id WHERE n.group_id = ?)
		ORDER BY at LIMIT 1`, groupID, groupID).Scan(&kind, &id)
	if err != nil {
		if errors.Is(notFound(err, ""), ErrNotFound) {
			return false, nil
		}
		return false, err
	}
	if kind == "trash" {
		return true, tx.PurgeTrash(groupID, id)
	}
	vs, err := tx.R().versions(`WHERE id = ?`, id)
	if err != nil || len(vs) == 0 {
		return false, err
	}
	return true, tx.dropVersions(groupID, vs)
}
