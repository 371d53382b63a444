package calendar

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"github.com/emersion/go-ical"

	"parvis/storage/db"
)

// Delivery to the people of this server (RFC 6638 §3.2): what an organizer's change means for an
// attendee who is a member here lands in their scheduling inbox, as the iTIP message, and in their
// own calendar, as their copy of the event; an answer lands in the organizer's inbox. Inbox and
// copies are written inside the organizer's (or the attendee's) transaction, by the server, with
// no scheduler: delivering is never itself a change to schedule.

// Deliver puts an iTIP message in a person's inbox. The inbox keeps the latest message about each
// thing (key: an event for its attendee, an attendee's answer for the organizer): a newer one
// replaces it, so that a client catching up reads where each meeting stands, not its history.
func Deliver(tx *db.Tx, personID int64, key string, message []byte) error {
	inbox, err := tx.Inbox(personID)
	if err != nil {
		return err
	}
	cal, _, err := decode(message)
	if err != nil {
		return err
	}
	o := db.Object{CollectionID: inbox.ID, Name: hashedName(key), UID: key, Component: ical.CompEvent, Data: message, Window: db.Everywhere}
	for _, c := range cal.Children {
		if c.Name != ical.CompTimezone {
			o.Component = c.Name
			break
		}
	}
	_, err = tx.PutObject(&o)
	return err
}

// hashedName is an object name made of a key that may hold any character: a UID, an address.
func hashedName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:12]) + ".ics"
}

// PutCopy writes the event data as a person's copy of it: over the copy they have, wherever they
// filed it, or else in their own agenda (the schedule-default-calendar-URL); nowhere when they
// keep no calendar of events.
func PutCopy(tx *db.Tx, personID int64, uid string, data []byte) error {
	copies, err := tx.R().PersonalCopies(personID, uid)
	if err != nil {
		return err
	}
	if len(copies) > 0 {
		for _, c := range copies {
			if _, err := PutIn(tx, c.Collection, c.Object.Name, data, Edit{}); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := tx.EnsurePersonalCollections(personID); err != nil {
		return err
	}
	coll, err := DefaultCalendar(tx.R(), personID)
	if errors.Is(err, db.ErrNotFound) {
		return nil // no calendar holds events: the inbox and the home page tell them
	} else if err != nil {
		return err
	}
	_, err = PutIn(tx, coll, copyName(uid), data, Edit{})
	return err
}

// copyName is the name of a delivered copy: the UID, as clients name the objects they create
// (one that accepts by writing "<UID>.ics" into the agenda finds the copy there), unless it holds
// characters a name should not.
func copyName(uid string) string {
	if uid == "" || len(uid) > 200 || strings.IndexFunc(uid, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@._-", r))
	}) >= 0 {
		return hashedName(uid)
	}
	return uid + ".ics"
}

// DeleteCopies removes a person's copies of an event: it was cancelled, or they were taken off it.
func DeleteCopies(tx *db.Tx, personID int64, uid string) error {
	copies, err := tx.R().PersonalCopies(personID, uid)
	if err != nil {
		return err
	}
	for _, c := range copies {
		if err := tx.DeleteObject(c.Collection.ID, c.Object.Name); err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
	}
	return nil
}

// DefaultCalendar is where invitations a person receives are filed: their own agenda, or the
// first of their calendars that holds events if they removed it.
func DefaultCalendar(r db.Read, personID int64) (db.Collection, error) {
	c, err := r.Collection(0, personID, db.KindCalendar, "agenda")
	if err == nil && slices.Contains(c.Components, ical.CompEvent) {
		return c, nil
	} else if err != nil && !errors.Is(err, db.ErrNotFound) {
		return c, err
	}
	cs, err := r.CollectionsOf(db.KindCalendar, nil, personID)
	if err != nil {
		return db.Collection{}, err
	}
	for _, c := range cs {
		if slices.Contains(c.Components, ical.CompEvent) {
			return c, nil
		}
	}
	return db.Collection{}, db.ErrNotFound
}

// Inbox returns a person's scheduling inbox, made the first time it is asked for.
func Inbox(ctx context.Context, d *db.DB, personID int64) (db.Collection, error) {
	c, err := d.R(ctx).Collection(0, personID, db.KindInbox, db.InboxName)
	if !errors.Is(err, db.ErrNotFound) {
		return c, err
	}
	err = d.Write(ctx, func(tx *db.Tx) (err error) { c, err = tx.Inbox(personID); return err })
	return c, err
}

// PersonDefaultCalendar is DefaultCalendar read outside a transaction (the inbox's properties).
func PersonDefaultCalendar(ctx context.Context, d *db.DB, personID int64) (db.Collection, error) {
	return DefaultCalendar(d.R(ctx), personID)
}
