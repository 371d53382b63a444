package calendar

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"parvis/storage/db"
)

// The one write path of calendar objects and vCards. CalDAV/CardDAV PUT and DELETE and the web pages
// all go through Put and Delete, so that whatever writes an object validates it the same way, indexes
// it with the same window and logs the change that sync tokens, ctags and ETags are made of.

// UIDConflictError refuses an object whose UID another object of the collection already holds
// (RFC 4791 §5.3.2.1 no-uid-conflict): Name is that other object.
type UIDConflictError struct{ Name string }

func (e *UIDConflictError) Error() string { return "calendar: UID held by " + e.Name }

// Prepare validates data as the object name of collection c: iCalendar or vCard per its kind, one of
// its components. The object it returns is ready for Put; nothing is stored when it fails.
func Prepare(c db.Collection, name string, data []byte) (db.Object, error) {
	o := db.Object{CollectionID: c.ID, Name: name, Data: data}
	if c.Kind == db.KindAddressBook {
		card, err := ParseCard(data)
		if err != nil {
			return o, err
		}
		o.UID, o.Component, o.Window = card.UID, "VCARD", db.Everywhere
		return o, nil
	}
	obj, err := Parse(data)
	if err != nil {
		return o, err
	}
	if !slices.Contains(c.Components, obj.Kind) {
		return o, refuse("supported-calendar-component", "%s is not stored here", obj.Kind)
	}
	o.UID, o.Component, o.Window = obj.UID, obj.Kind, obj.Window()
	return o, nil
}

// Edit is how an object is written: by whom, under which preconditions, telling whom.
type Edit struct {
	// By is who writes: an event they organize is theirs to schedule.
	By db.Person
	// Check is the caller's preconditions (If-Match), run first inside the transaction, so that
	// two writers holding the same ETag cannot both win; nil for none.
	Check func(db.Read) error
	// Scheduler tells the attendees of what changed, in the same transaction; nil tells nobody
	// (a contact, a restore).
	Scheduler Scheduler
}

// Change is one write of an object, as the scheduler sees it: Before is nil for a new object,
// After nil for a deleted one.
type Change struct {
	By         db.Person
	Collection db.Collection
	Name       string
	Before     []byte
	After      []byte
}

// Scheduler tells an event's attendees of a change (iTIP): it queues what it owes them inside the
// write's transaction, so that a change is never made without its messages, nor a message sent for
// a change that did not happen. An error refuses the write.
type Scheduler interface {
	Schedule(tx *db.Tx, ch Change) error
	// Committed is called once a write's transaction committed: what it queued may go.
	Committed()
}

// Put validates and stores data as the object name of collection c, in one transaction, after
// e.Check, telling attendees through e.Scheduler. It returns the stored object and whether it was
// created.
func Put(ctx context.Context, d *db.DB, c db.Collection, name string, data []byte, e Edit) (db.Object, bool, error) {
	o, err := Prepare(c, name, data)
	if err != nil {
		return o, false, err
	}
	var created bool
	err = d.Write(ctx, func(tx *db.Tx) error {
		if e.Check != nil {
			if err := e.Check(tx.R()); err != nil {
				return err
			}
		}
		before, err := previous(tx, c.ID, name, e)
		if err != nil {
			return err
		}
		if created, err = store(tx, c, &o); err != nil {
			return err
		}
		return schedule(tx, e, Change{By: e.By, Collection: c, Name: name, Before: before, After: o.Data})
	})
	if err != nil {
		return o, false, fmt.Errorf("calendar: put %s: %w", name, err)
	}
	committed(e)
	return o, created, nil
}

// PutIn is Put inside another domain service's transaction, for an object that service makes
// with its own change (a date poll closed on the event it becomes, an invitation answered); that
// service tells the scheduler once its transaction committed.
func PutIn(tx *db.Tx, c db.Collection, name string, data []byte, e Edit) (db.Object, error) {
	o, err := Prepare(c, name, data)
	if err != nil {
		return o, err
	}
	before, err := previous(tx, c.ID, name, e)
	if err != nil {
		return o, err
	}
	if _, err := store(tx, c, &o); err != nil {
		return o, fmt.Errorf("calendar: put %s: %w", name, err)
	}
	return o, schedule(tx, e, Change{By: e.By, Collection: c, Name: name, Before: before, After: o.Data})
}

// previous is the object's data before a write, when a scheduler needs it.
func previous(tx *db.Tx, collectionID int64, name string, e Edit) ([]byte, error) {
	if e.Scheduler == nil {
		return nil, nil
	}
	o, err := tx.R().Object(collectionID, name)
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	return o.Data, err
}

func schedule(tx *db.Tx, e Edit, ch Change) error {
	if e.Scheduler == nil || ch.Collection.Kind != db.KindCalendar {
		return nil
	}
	return e.Scheduler.Schedule(tx, ch)
}

// store writes a prepared object, refusing a UID another object of the collection holds.
func store(tx *db.Tx, c db.Collection, o *db.Object) (bool, error) {
	if other, err := tx.R().ObjectByUID(c.ID, o.UID); err == nil && other.Name != o.Name {
		return false, &UIDConflictError{Name: other.Name}
	} else if err != nil && !errors.Is(err, db.ErrNotFound) {
		return false, err
	}
	return tx.PutObject(o)
}

// Delete removes the object name of collection c and logs the deletion, after e.Check inside the
// same transaction, telling attendees through e.Scheduler. ErrNotFound (package db) when there is no
// such object.
func Delete(ctx context.Context, d *db.DB, c db.Collection, name string, e Edit) error {
	err := d.Write(ctx, func(tx *db.Tx) error {
		if e.Check != nil {
			if err := e.Check(tx.R()); err != nil {
				return err
			}
		}
		before, err := previous(tx, c.ID, name, e)
		if err != nil {
			return err
		}
		if err := tx.DeleteObject(c.ID, name); err != nil {
			return err
		}
		return schedule(tx, e, Change{By: e.By, Collection: c, Name: name, Before: before})
	})
	if err == nil {
		committed(e)
	}
	return err
}

// committed tells the scheduler that the write it saw committed.
func committed(e Edit) {
	if e.Scheduler != nil {
		e.Scheduler.Committed()
	}
}
