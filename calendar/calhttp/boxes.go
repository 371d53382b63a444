package calhttp

import (
	"context"
	"errors"
	"net/http"

	"parvis/calendar"
	"parvis/storage/db"
)

// Scheduling boxes (RFC 6638 §2): each person has, in their calendar home, an inbox where the
// invitations, updates, cancellations and answers delivered to them wait for their client (it reads
// and deletes them), and an outbox, a collection holding nothing, to which a client POSTs a
// free-busy request (§5.1). Invitations themselves go out when the organizer writes the event
// (implicit scheduling, package meeting): no client POSTs a REQUEST.

// URL segments of the boxes in a person's calendar home, reserved among their collection names.
const (
	inboxSeg  = "inbox"
	outboxSeg = "outbox"
)

// kindOutbox marks the outbox target; the outbox stores nothing and has no row.
const kindOutbox = "schedule-outbox"

// resolveBox resolves the inbox or the outbox of t's person, true when t names one.
func (h *Handler) resolveBox(ctx context.Context, t *target) (bool, error) {
	if t.space != "calendars" || (t.collName != inboxSeg && t.collName != outboxSeg) {
		return false, nil
	}
	t.writable, t.exists = true, true
	if t.collName == outboxSeg {
		if t.kind == resObject {
			return true, errNotFound
		}
		t.coll = db.Collection{PersonID: t.person.ID, Name: outboxSeg, Kind: kindOutbox, DisplayName: "Envois"}
		return true, nil
	}
	c, err := calendar.Inbox(ctx, h.DB, t.person.ID)
	if err != nil {
		return true, err
	}
	t.coll = c
	def, err := calendar.PersonDefaultCalendar(ctx, h.DB, t.person.ID)
	if err == nil {
		t.defaultCalendar = collHref(t.space, t.person, "", def.Name)
	} else if !errors.Is(err, db.ErrNotFound) {
		return true, err
	}
	return true, nil
}

// isBox tells whether t is a scheduling box, or an object in one.
func (t target) isBox() bool { return t.coll.Kind == db.KindInbox || t.coll.Kind == kindOutbox }

// refuseInBox refuses what a box does not take: a PUT (messages are delivered, not written), a
// new collection of its name, its deletion, a change of its properties.
func refuseInBox(t target) error {
	if t.isBox() {
		return precondition(http.StatusForbidden, nsDAV, "need-privileges", "the scheduling inbox and outbox are the server's")
	}
	return nil
}

// boxes are the inbox and outbox targets a calendar home lists.
func (h *Handler) boxes(ctx context.Context, p db.Person) ([]target, error) {
	var out []target
	for _, seg := range []string{inboxSeg, outboxSeg} {
		t := target{kind: resCollection, person: p, space: "calendars", collName: seg}
		if _, err := h.resolveBox(ctx, &t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
