package calendar

import (
	"context"
	"errors"
	"time"

	"parvis/storage/db"
)

// PersonBusy is a person's busy time within r, for the free-busy lookups of people who invite them
// (RFC 6638 §5): the events of their own calendars, and the meetings of group agendas they are
// invited to and did not decline (those have no copy in their calendars when they read the agenda).
// Floating times are read in their calendar's zone, home (the association's) when it has none.
func PersonBusy(ctx context.Context, d *db.DB, personID int64, r TimeRange, home *time.Location) ([]Period, error) {
	rd := d.R(ctx)
	start, end := r.bounds()
	var out []Period
	add := func(o db.Object, float *time.Location) {
		obj, err := Parse(o.Data)
		if err != nil {
			return // stored before a stricter check: blocks nothing
		}
		if ps, err := obj.BusyPeriods(r, float); err == nil {
			out = append(out, ps...)
		}
	}
	colls, err := rd.CollectionsOf(db.KindCalendar, nil, personID)
	if err != nil {
		return nil, err
	}
	for _, c := range colls {
		float := CollectionZone(c, home).Loc
		err := EachObjectIn(ctx, d, c.ID, r.Start, r.End, func(o db.Object) error { add(o, float); return nil })
		if err != nil {
			return nil, err
		}
	}
	invs, err := rd.InvitationsOf(personID)
	if err != nil {
		return nil, err
	}
	for _, inv := range invs {
		if inv.PartStat == PartDeclined || !inv.StartsAt.Before(end) || !inv.EndsAt.After(start) {
			continue
		}
		c, err := rd.CollectionByID(inv.CollectionID)
		if err != nil || c.PersonID != 0 {
			continue // a personal agenda's meeting is in the copy counted above
		}
		o, err := rd.ObjectByUID(c.ID, inv.UID)
		if errors.Is(err, db.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if o, err = rd.Object(c.ID, o.Name); err != nil {
			return nil, err
		}
		add(o, CollectionZone(c, home).Loc)
	}
	return MergePeriods(out), nil
}
