package db

import (
	"fmt"
	"time"
)

// ShareLink opens a file or a folder to people without an account.
type ShareLink struct {
	ID           int64
	Token        string
	GroupID      int64
	NodeID       int64
	Kind         string // "read" or "drop"
	PasswordHash string
	ExpiresAt    time.Time // zero: never
	CreatedBy    int64
	CreatedAt    time.Time
	RevokedAt    time.Time // zero: in force
	Downloads    int64
	Uploads      int64
}

const shareColumns = `id, token, group_id, node_id, kind, password_hash, expires_at, coalesce(created_by, 0), created_at, revoked_at, downloads, uploads`

// CreateShareLink stores a link and sets its ID.
func (tx *Tx) CreateShareLink(l *ShareLink) error {
	var by any
	if l.CreatedBy != 0 {
		by = l.CreatedBy
	}
	t := now()
	res, err := tx.exec(`INSERT INTO share_link (token, group_id, node_id, kind, password_hash, expires_at, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, l.Token, l.GroupID, l.NodeID, l.Kind, l.PasswordHash, nanos(l.ExpiresAt), by, t)
	if err != nil {
		return fmt.Errorf("db: create share link: %w", err)
	}
	l.ID, _ = res.LastInsertId()
	l.CreatedAt = unixTime(t)
	return nil
}

// ShareLinkByToken returns a link by its token, whatever its state.
func (r Read) ShareLinkByToken(token string) (ShareLink, error) {
	ls, err := r.shareLinks(`WHERE token = ?`, token)
	if err == nil && len(ls) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return ShareLink{}, fmt.Errorf("db: share link: %w", err)
	}
	return ls[0], nil
}

// ShareLinks lists a group's links in force, newest first.
func (r Read) ShareLinks(groupID int64) ([]ShareLink, error) {
	return r.shareLinks(`WHERE group_id = ? AND revoked_at = 0 ORDER BY created_at DESC`, groupID)
}

func (r Read) shareLinks(where string, args ...any) ([]ShareLink, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+shareColumns+` FROM share_link `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: share links: %w", err)
	}
	defer rows.Close()
	var out []ShareLink
	for rows.Next() {
		var l ShareLink
		var exp, created, revoked int64
		if err := rows.Scan(&l.ID, &l.Token, &l.GroupID, &l.NodeID, &l.Kind, &l.PasswordHash, &exp, &l.CreatedBy, &created, &revoked, &l.Downloads, &l.Uploads); err != nil {
			return nil, err
		}
		l.ExpiresAt, l.CreatedAt, l.RevokedAt = unixTime(exp), unixTime(created), unixTime(revoked)
		out = append(out, l)
	}
	return out, rows.Err()
}

// RevokeShareLink ends a link of a group.
func (tx *Tx) RevokeShareLink(groupID, id int64) error {
	return affectOne(tx.exec(`UPDATE share_link SET revoked_at = ? WHERE id = ? AND group_id = ? AND revoked_at = 0`, now(), id, groupID))
}

// ClaimDropNotice tells whether a drop link may mail its maker now: yes when it has not in the last
// quiet period, and then it records that it does. One statement, so parallel drops claim it once.
func (tx *Tx) ClaimDropNotice(id int64, quiet time.Duration) (bool, error) {
	t := now()
	res, err := tx.exec(`UPDATE share_link SET drop_mailed_at = ? WHERE id = ? AND drop_mailed_at <= ?`, t, id, t-int64(quiet))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CountShareUse adds one download or one upload to a link's counters.
func (tx *Tx) CountShareUse(id int64, upload bool) error {
	column := "downloads"
	if upload {
		column = "uploads"
	}
	_, err := tx.exec(`UPDATE share_link SET `+column+` = `+column+` + 1 WHERE id = ?`, id)
	return err
}

// NodeByID returns a node by id; its Path is where it is now (under '#…' when it is in the trash).
func (r Read) NodeByID(id int64) (Node, error) {
	n, err := scanNode(r.q.QueryRowContext(r.ctx, `SELECT `+nodeColumns+` FROM node WHERE id = ?`, id))
	if err != nil {
		return n, notFound(err, fmt.Sprint("node ", id))
	}
	return n, nil
}
