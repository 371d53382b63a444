package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"parvis/calendar"
	"parvis/storage/db"
)

// occurrence is one instance of an event in an agenda's zone, as the pages list it.
type occurrence struct {
	UID, Summary, Kind, Location string
	Start, End                   time.Time // End exclusive; dates at midnight for all-day ones
	AllDay                       bool
	Group                        db.Group // on the home page, where agendas mix
}

// maxOccurrences bounds what one page or one JSON answer lists: a month view of even a busy agenda
// is far below it, and a pathological range cannot make the server expand without end.
const maxOccurrences = 5000

// occurrences lists the instances of the agenda's events that meet [from, to), recurrences expanded,
// by start. Candidates come from the time-range index (db EachObjectIn); only they are parsed.
func occurrences(ctx context.Context, d *db.DB, coll db.Collection, z calendar.Zone, from, to time.Time) ([]occurrence, error) {
	var out []occurrence
	r := calendar.TimeRange{Start: from, End: to}
	err := calendar.EachObjectIn(ctx, d, coll.ID, from, to, func(o db.Object) error {
		obj, err := calendar.Parse(o.Data)
		if err != nil || obj.Kind != ical.CompEvent {
			return nil // stored before a stricter check: skipped, not fatal to the page
		}
		ins, err := obj.Instances(r, z.Loc)
		if err != nil {
			return nil
		}
		for _, in := range ins {
			out = append(out, occurrenceOf(obj.UID, in, z))
		}
		if len(out) > maxOccurrences {
			return errEnough
		}
		return nil
	})
	if err != nil && err != errEnough {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b occurrence) int { return a.Start.Compare(b.Start) })
	return out[:min(len(out), maxOccurrences)], nil
}

// errEnough stops a walk of the index once a page has what it can show.
var errEnough = errors.New("ui: enough occurrences")

func occurrenceOf(uid string, in calendar.Instance, z calendar.Zone) occurrence {
	c := in.Comp
	oc := occurrence{UID: uid, Start: in.Start.In(z.Loc), End: in.End.In(z.Loc), AllDay: in.AllDay()}
	oc.Summary, _ = c.Props.Text(ical.PropSummary)
	oc.Location, _ = c.Props.Text(ical.PropLocation)
	oc.Kind = calendar.KindOf(c)
	if oc.AllDay {
		// dates are read in the zone already: keep the calendar day, at midnight
		oc.Start = time.Date(in.Start.Year(), in.Start.Month(), in.Start.Day(), 0, 0, 0, 0, z.Loc)
		oc.End = time.Date(in.End.Year(), in.End.Month(), in.End.Day(), 0, 0, 0, 0, z.Loc)
	}
	return oc
}

// Path is the occurrence's event as a segment of the agenda's addresses.
func (o occurrence) Path() string { return pathSeg(o.UID) }

// KindClass is the CSS class suffix of the occurrence's kind.
func (o occurrence) KindClass() string { return kindClass(o.Kind) }

// KindLabel is the message key of the occurrence's kind.
func (o occurrence) KindLabel() string { return "event.kind." + strings.ToLower(o.Kind) }
