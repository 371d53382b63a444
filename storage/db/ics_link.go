package db

import (
	"fmt"
	"time"
)

// ICSLink is a public read-only subscription link to a calendar: whoever holds the token reads the
// whole calendar as one iCalendar document, without an account, until the link is revoked.
type ICSLink struct {
	ID           int64
	Token        string
	CollectionID int64
	CreatedBy    int64 // 0 once that person is deleted
	CreatedAt    time.Time
}

const icsLinkColumns = `id, token, collection_id, coalesce(created_by, 0), created_at`

func scanICSLink(row interface{ Scan(...any) error }, what string) (ICSLink, error) {
	var l ICSLink
	var created int64
	if err := row.Scan(&l.ID, &l.Token, &l.CollectionID, &l.CreatedBy, &created); err != nil {
		return l, notFound(err, what)
	}
	l.CreatedAt = unixTime(created)
	return l, nil
}

// ActiveICSLink returns the link in force of a collection; ErrNotFound if it has none.
func (r Read) ActiveICSLink(collectionID int64) (ICSLink, error) {
	return scanICSLink(r.q.QueryRowContext(r.ctx, `SELECT `+icsLinkColumns+` FROM ics_link WHERE collection_id = ? AND revoked_at = 0`,
		collectionID), "ics link")
}

// ICSLinkByToken returns the link in force with this token; ErrNotFound for an unknown or revoked one.
func (r Read) ICSLinkByToken(token string) (ICSLink, error) {
	return scanICSLink(r.q.QueryRowContext(r.ctx, `SELECT `+icsLinkColumns+` FROM ics_link WHERE token = ? AND revoked_at = 0`,
		token), "ics link")
}

// PublishCollection gives a collection a link with token, unless it already has one in force, which
// it then returns unchanged (created false): publishing twice does not break links already handed out.
func (tx *Tx) PublishCollection(collectionID, by int64, token string) (l ICSLink, created bool, err error) {
	l, err = tx.R().ActiveICSLink(collectionID)
	if err == nil {
		return l, false, nil
	}
	t := now()
	res, err := tx.exec(`INSERT INTO ics_link (token, collection_id, created_by, created_at) VALUES (?, ?, ?, ?)`,
		token, collectionID, nullID(by), t)
	if err != nil {
		return l, false, fmt.Errorf("db: publish collection: %w", err)
	}
	l = ICSLink{Token: token, CollectionID: collectionID, CreatedBy: by, CreatedAt: unixTime(t)}
	l.ID, _ = res.LastInsertId()
	return l, true, nil
}

// RevokeICSLink ends the link in force of a collection, if any, and tells whether there was one.
func (tx *Tx) RevokeICSLink(collectionID int64) (bool, error) {
	res, err := tx.exec(`UPDATE ics_link SET revoked_at = ? WHERE collection_id = ? AND revoked_at = 0`, now(), collectionID)
	if err != nil {
		return false, fmt.Errorf("db: revoke ics link: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
