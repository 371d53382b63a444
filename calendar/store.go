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

// Put validates and stores data as the object name of collection c, in one transaction: check (the
// caller's preconditions, such as If-Match; nil for none) runs first and sees the object as the
// transaction does, so two writers holding the same ETag cannot both win. It returns the stored
// object and whether it was created.
func Put(ctx context.Context, d *db.DB, c db.Collection, name string, data []byte, check func(db.Read) error) (db.Object, bool, error) {
	o, err := Prepare(c, name, data)
	if err != nil {
		return o, false, err
	}
	var created bool
	err = d.Write(ctx, func(tx *db.Tx) error {
		if check != nil {
			if err := check(tx.R()); err != nil {
				return err
			}
		}
		created, err = store(tx, c, &o)
		return err
	})
	if err != nil {
		return o, false, fmt.Errorf("calendar: put %s: %w", name, err)
	}
	return o, created, nil
}

// PutIn is Put inside another domain service's transaction, for an object that service makes
// with its own change (a date poll closed on the event it becomes).
func PutIn(tx *db.Tx, c db.Collection, name string, data []byte) (db.Object, error) {
	o, err := Prepare(c, name, data)
	if err != nil {
		return o, err
	}
	if _, err := store(tx, c, &o); err != nil {
		return o, fmt.Errorf("calendar: put %s: %w", name, err)
	}
	return o, nil
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

// Delete removes the object name of a collection and logs the deletion, after check (nil for none)
// inside the same transaction. ErrNotFound (package db) when there is no such object.
func Delete(ctx context.Context, d *db.DB, collectionID int64, name string, check func(db.Read) error) error {
	return d.Write(ctx, func(tx *db.Tx) error {
		if check != nil {
			if err := check(tx.R()); err != nil {
				return err
			}
		}
		return tx.DeleteObject(collectionID, name)
	})
}
