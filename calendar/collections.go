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

// CreateCollection creates c (its ID is set); a group's new collection is in the audit log.
func CreateCollection(ctx context.Context, d *db.DB, c *db.Collection, by db.Person) error {
	return d.Write(ctx, func(tx *db.Tx) error {
		if err := tx.CreateCollection(c); err != nil {
			return err
		}
		return auditGroup(tx, *c, by, "collection.create", c.Kind)
	})
}

// UpdateCollection stores c's properties (name, colour, description, order, time zone).
func UpdateCollection(ctx context.Context, d *db.DB, c db.Collection) error {
	return d.Write(ctx, func(tx *db.Tx) error { return tx.UpdateCollectionProps(c) })
}

// DeleteCollection removes c and everything in it, unless it is one of its group's own; a group's
// collection deleted is in the audit log.
func DeleteCollection(ctx context.Context, d *db.DB, c db.Collection, by db.Person) error {
	if c.GroupID != 0 {
		for _, own := range db.DefaultGroupCollections("") {
			if own.Name == c.Name && own.Kind == c.Kind {
				return ErrOwnCollection
			}
		}
	}
	return d.Write(ctx, func(tx *db.Tx) error {
		if err := tx.DeleteCollection(c.ID); err != nil {
			return err
		}
		return auditGroup(tx, c, by, "collection.delete", c.Kind)
	})
}

// auditGroup records an action on a group's collection; a person's own collections are their
// business and stay out of the association's log.
func auditGroup(tx *db.Tx, c db.Collection, by db.Person, action, detail string) error {
	if c.GroupID == 0 {
		return nil
	}
	return audit(tx, c, by, action, detail)
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
