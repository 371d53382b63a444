package db

import (
	"fmt"
	"time"
)

// Link is a bookmark of a group: a title, an address and a note, shown on its links page.
type Link struct {
	ID        int64
	GroupID   int64
	Title     string
	URL       string
	Note      string
	CreatedBy int64 // 0 once that person is deleted
	CreatedAt time.Time
}

// Links lists a group's bookmarks by title.
func (r Read) Links(groupID int64) ([]Link, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id, group_id, title, url, note, coalesce(created_by, 0), created_at
		FROM group_link WHERE group_id = ? ORDER BY title COLLATE NOCASE, id`, groupID)
	if err != nil {
		return nil, fmt.Errorf("db: links: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		var created int64
		if err := rows.Scan(&l.ID, &l.GroupID, &l.Title, &l.URL, &l.Note, &l.CreatedBy, &created); err != nil {
			return nil, err
		}
		l.CreatedAt = unixTime(created)
		out = append(out, l)
	}
	return out, rows.Err()
}

// CreateLink stores a bookmark and sets its id.
func (tx *Tx) CreateLink(l *Link) error {
	t := now()
	res, err := tx.exec(`INSERT INTO group_link (group_id, title, url, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		l.GroupID, l.Title, l.URL, l.Note, nullID(l.CreatedBy), t)
	if err != nil {
		return fmt.Errorf("db: create link: %w", err)
	}
	l.ID, _ = res.LastInsertId()
	l.CreatedAt = unixTime(t)
	return nil
}

// UpdateLink changes a bookmark's title, address and note; ErrNotFound outside the group.
func (tx *Tx) UpdateLink(l Link) error {
	return affectOne(tx.exec(`UPDATE group_link SET title = ?, url = ?, note = ? WHERE id = ? AND group_id = ?`,
		l.Title, l.URL, l.Note, l.ID, l.GroupID))
}

// DeleteLink removes a bookmark of a group; ErrNotFound if the group has no such link.
func (tx *Tx) DeleteLink(groupID, id int64) error {
	return affectOne(tx.exec(`DELETE FROM group_link WHERE id = ? AND group_id = ?`, id, groupID))
}
