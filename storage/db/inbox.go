package db

import (
	"errors"
	"fmt"
)

// KindInbox is a person's scheduling inbox (RFC 6638 §2.2): the invitations, updates,
// cancellations and answers delivered to them, as iTIP messages their calendar client reads and
// deletes once it has dealt with them. It is one collection per person, named InboxName.
const (
	KindInbox = "schedule-inbox"
	InboxName = "inbox"
)

// Inbox returns a person's scheduling inbox, creating it the first time something is delivered to
// them or their client looks for it.
func (tx *Tx) Inbox(personID int64) (Collection, error) {
	c, err := tx.R().Collection(0, personID, KindInbox, InboxName)
	if !errors.Is(err, ErrNotFound) {
		return c, err
	}
	c = Collection{PersonID: personID, Name: InboxName, Kind: KindInbox, Components: []string{"VEVENT", "VTODO"}, DisplayName: "Invitations"}
	return c, tx.CreateCollection(&c)
}

// Copy is the object holding a UID in one of a person's own calendars.
type Copy struct {
	Collection Collection
	Object     Object // with its content
}

// PersonalCopies lists the objects holding uid in the person's own calendars: the copy of a
// meeting they are invited to, wherever they filed it.
func (r Read) PersonalCopies(personID int64, uid string) ([]Copy, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT o.collection_id, o.name FROM cal_object o JOIN collection c ON c.id = o.collection_id
		WHERE c.person_id = ? AND c.kind = ? AND o.uid = ? ORDER BY c.id`, personID, KindCalendar, uid)
	if err != nil {
		return nil, fmt.Errorf("db: personal copies: %w", err)
	}
	type key struct {
		coll int64
		name string
	}
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.coll, &k.name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("db: personal copies: %w", err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Copy, 0, len(keys))
	for _, k := range keys {
		c, err := r.CollectionByID(k.coll)
		if err != nil {
			return nil, err
		}
		o, err := r.Object(k.coll, k.name)
		if err != nil {
			return nil, err
		}
		out = append(out, Copy{Collection: c, Object: o})
	}
	return out, nil
}

// InvitationsOfAttendee lists the invitations of a person to the event uid, whichever agenda holds it.
func (r Read) InvitationsOfAttendee(personID int64, uid string) ([]Invitation, error) {
	return r.invitations(`WHERE person_id = ? AND uid = ? ORDER BY id`, personID, uid)
}
