package calendar

import (
	"context"
	"time"

	"parvis/storage/db"
)

// Reading collections and objects, for the pages and the public feed: what a lookup means (a UID,
// a link's token) is said here once, and the HTTP packages run no query themselves.

// Collection returns the collection of this kind and name of a group (groupID) or a person
// (personID, groupID 0).
func Collection(ctx context.Context, d *db.DB, groupID, personID int64, kind, name string) (db.Collection, error) {
	return d.R(ctx).Collection(groupID, personID, kind, name)
}

// CollectionByID returns a collection as stored now (its revision included).
func CollectionByID(ctx context.Context, d *db.DB, id int64) (db.Collection, error) {
	return d.R(ctx).CollectionByID(id)
}

// CollectionsOf lists the collections of this kind of the groups groupIDs, or of person personID
// (groupIDs nil; -1 for none).
func CollectionsOf(ctx context.Context, d *db.DB, kind string, groupIDs []int64, personID int64) ([]db.Collection, error) {
	return d.R(ctx).CollectionsOf(kind, groupIDs, personID)
}

// StoredObject returns the object name of collection collID, with its data.
func StoredObject(ctx context.Context, d *db.DB, collID int64, name string) (db.Object, error) {
	return d.R(ctx).Object(collID, name)
}

// EachChangedObject calls fn with every change of collection collID after revision since up to
// until, with the object as it is now (nil when deleted): the matter of sync-collection.
func EachChangedObject(ctx context.Context, d *db.DB, collID, since, until int64, withData bool, fn func(db.Change, *db.Object) error) error {
	return d.R(ctx).EachChangedObject(collID, since, until, withData, fn)
}

// ObjectByUID returns the object of collection collID holding uid, with its data.
func ObjectByUID(ctx context.Context, d *db.DB, collID int64, uid string) (db.Object, error) {
	rd := d.R(ctx)
	meta, err := rd.ObjectByUID(collID, uid)
	if err != nil {
		return meta, err
	}
	return rd.Object(collID, meta.Name)
}

// EachObject calls fn with every object of collection collID (with its data when withData).
func EachObject(ctx context.Context, d *db.DB, collID int64, withData bool, fn func(db.Object) error) error {
	return d.R(ctx).EachObject(collID, withData, fn)
}

// EachObjectIn calls fn with the objects of collection collID whose time-range index meets
// [from, to) (a zero bound: unbounded): candidates, whose instances the caller computes.
func EachObjectIn(ctx context.Context, d *db.DB, collID int64, from, to time.Time, fn func(db.Object) error) error {
	start, end := int64(-1<<62), int64(1<<62)
	if !from.IsZero() {
		start = from.Unix()
	}
	if !to.IsZero() {
		end = to.Unix()
	}
	return d.R(ctx).EachObjectIn(collID, start, end, fn)
}

// LinkedCalendar returns the calendar whose public link in force has this token; db.ErrNotFound
// for an unknown or revoked token, or one that is not a calendar's.
func LinkedCalendar(ctx context.Context, d *db.DB, token string) (db.Collection, error) {
	rd := d.R(ctx)
	l, err := rd.ICSLinkByToken(token)
	if err != nil {
		return db.Collection{}, err
	}
	c, err := rd.CollectionByID(l.CollectionID)
	if err == nil && c.Kind != db.KindCalendar {
		err = db.ErrNotFound
	}
	return c, err
}
