package calendar

import (
	"context"
	"errors"

	"parvis/storage/db"
)

// Writing collections themselves (agendas, task lists, address books), for CalDAV's MKCALENDAR,
// extended MKCOL, PROPPATCH and DELETE: the rules about which may go are kept here.

// ErrOwnCollection refuses to delete one of a group's own collections (its agenda, task list or
// address book): the group would lose it for everyone.
var ErrOwnCollection = errors.New("calendar: a group's own collections stay")

// CreateCollection creates c (its ID is set).
func CreateCollection(ctx context.Context, d *db.DB, c *db.Collection) error {
	return d.Write(ctx, func(tx *db.Tx) error { return tx.CreateCollection(c) })
}

// UpdateCollection stores c's properties (name, colour, description, order, time zone).
func UpdateCollection(ctx context.Context, d *db.DB, c db.Collection) error {
	return d.Write(ctx, func(tx *db.Tx) error { return tx.UpdateCollectionProps(c) })
}

// DeleteCollection removes c and everything in it, unless it is one of its group's own.
func DeleteCollection(ctx context.Context, d *db.DB, c db.Collection) error {
	if c.GroupID != 0 {
		for _, own := range db.DefaultGroupCollections("") {
			if own.Name == c.Name && own.Kind == c.Kind {
				return ErrOwnCollection
			}
		}
	}
	return d.Write(ctx, func(tx *db.Tx) error { return tx.DeleteCollection(c.ID) })
}

// EnsureHome creates a person's personal collections if they have none yet.
func EnsureHome(ctx context.Context, d *db.DB, personID int64) error {
	has, err := d.R(ctx).HasCalendarHome(personID)
	if err != nil || has {
		return err
	}
	return d.Write(ctx, func(tx *db.Tx) error {
		_, err := tx.EnsurePersonalCollections(personID)
		return err
	})
}
