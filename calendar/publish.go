package calendar

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strconv"

	"parvis/storage/db"
)

// The public subscription link of a calendar (/ics/<token>.ics), one way for every surface: the
// agenda page and CalDAV's publish-calendar both come here, after asking access
// (access.CalendarPublish). The audit entry is written in the transaction that makes or ends the link.

// Publish gives collection c a public link, or returns the one in force (created false).
func Publish(ctx context.Context, d *db.DB, c db.Collection, by db.Person) (l db.ICSLink, created bool, err error) {
	err = d.Write(ctx, func(tx *db.Tx) error {
		if l, created, err = tx.PublishCollection(c.ID, by.ID, newToken()); err != nil || !created {
			return err
		}
		return audit(tx, c, by, "calendar.publish", strconv.FormatInt(l.ID, 10))
	})
	return l, created, err
}

// Unpublish ends collection c's public link: it answers 404 from then on. Ending a link that is not
// there succeeds (revoked false): the outcome asked for holds.
func Unpublish(ctx context.Context, d *db.DB, c db.Collection, by db.Person) (revoked bool, err error) {
	err = d.Write(ctx, func(tx *db.Tx) error {
		if revoked, err = tx.RevokeICSLink(c.ID); err != nil || !revoked {
			return err
		}
		return audit(tx, c, by, "calendar.unpublish", "")
	})
	return revoked, err
}

// Link returns collection c's public link in force; db.ErrNotFound when it has none.
func Link(ctx context.Context, d *db.DB, c db.Collection) (db.ICSLink, error) {
	return d.R(ctx).ActiveICSLink(c.ID)
}

// audit records a publishing action, naming the collection as CalDAV does ("calendar atelier~agenda",
// "calendar person 12/agenda").
func audit(tx *db.Tx, c db.Collection, by db.Person, action, detail string) error {
	what := "calendar person " + strconv.FormatInt(c.PersonID, 10) + "/" + c.Name
	if c.GroupID != 0 {
		g, err := tx.R().GroupByID(c.GroupID)
		if err != nil {
			return err
		}
		what = "calendar " + g.Slug + "~" + c.Name
	}
	return tx.Audit(db.AuditEntry{ActorID: by.ID, Actor: by.Email, Action: action, Target: what, Detail: detail})
}

// newToken returns 128 random bits, URL-safe: a link cannot be guessed.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
