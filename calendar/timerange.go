package calendar

import (
	"math"
	"time"

	"github.com/emersion/go-ical"

	"parvis/storage/db"
)

// TimeRange is a CalDAV time-range (RFC 4791 §9.9): from Start (inclusive) to End (exclusive); a zero
// bound is open.
type TimeRange struct{ Start, End time.Time }

var (
	minTime = time.Unix(-1<<40, 0)
	maxTime = time.Unix(1<<40, 0)
)

func (r TimeRange) bounds() (time.Time, time.Time) {
	s, e := r.Start, r.End
	if s.IsZero() {
		s = minTime
	}
	if e.IsZero() {
		e = maxTime
	}
	return s, e
}

// eventOverlaps is §9.9's rule for VEVENT (and VJOURNAL) instances: a span overlaps when it starts
// before the end and ends after the start; an instant when it lies in [start, end).
func (r TimeRange) eventOverlaps(in Instance) bool {
	s, e := r.bounds()
	if in.End.After(in.Start) {
		return s.Before(in.End) && e.After(in.Start)
	}
	return !in.Start.Before(s) && e.After(in.Start)
}

// floatingSlack is how far a floating time may lie from the same wall clock in UTC: time zones run
// from UTC−12 to UTC+14. The index widens floating windows by it; the matcher reads them in the
// query's zone or the collection's calendar-timezone. The window keeps the slack even when the
// collection has a zone: a query's CALDAV:timezone overrides it (RFC 4791 §7.3), and a PROPPATCH may
// change it without the objects being indexed again.
const floatingSlack = 14 * time.Hour

// InRange tells whether any instance of the object's components of this kind meets the range, by the
// rules of RFC 4791 §9.9. Floating times and dates are read in float.
func (o Object) InRange(kind string, r TimeRange, float *time.Location) (bool, error) {
	return o.inRange(kind, r, o.zones(float))
}

func (o Object) inRange(kind string, r TimeRange, z zones) (bool, error) {
	if kind == ical.CompToDo {
		return o.todoInRange(r, z)
	}
	e, err := expand(o, kind, z, eventSpan)
	if err != nil {
		return false, err
	}
	found := false
	s, end := r.bounds()
	err = e.each(z, s, end, eventSpan, func(in Instance) bool {
		found = !in.Start.IsZero() && r.eventOverlaps(in)
		return !found
	})
	if err == errTooMany {
		err = nil
	}
	return found, err
}

// Window computes the index window of the object: it holds every instance, so that a query can skip
// every object whose window misses its range.
func (o Object) Window() db.Window {
	kind := o.Kind
	utc := o.zones(time.UTC)
	spanOf := eventSpan
	if kind == ical.CompToDo {
		spanOf = todoSpan
	}
	e, err := expand(o, kind, utc, spanOf)
	if err != nil {
		return db.Everywhere
	}
	w := db.Window{Start: math.MaxInt64, End: math.MinInt64}
	floating := false
	add := func(lo, hi time.Time) {
		w.Start, w.End = min(w.Start, lo.Unix()), max(w.End, hi.Unix())
	}
	err = e.each(utc, time.Time{}, time.Time{}, spanOf, func(in Instance) bool {
		floating = floating || in.Floating
		if kind == ical.CompToDo {
			lo, hi, unbounded := todoWindow(in, e.span, utc)
			if unbounded {
				w.Unbounded = true
			}
			add(lo, hi)
		} else if !in.Start.IsZero() {
			add(in.Start, in.End)
		}
		return !e.endless || in.Comp != e.master // an endless master: its first instance gives the start
	})
	if err != nil && err != errTooMany {
		return db.Everywhere // an instance could not be read: let every query's matcher decide
	}
	if err != nil || e.endless {
		w.Unbounded = true
	}
	if w.Start > w.End && !w.Unbounded {
		return db.Everywhere
	}
	if floating {
		slack := int64(floatingSlack / time.Second)
		w.Start -= slack
		if !w.Unbounded {
			w.End += slack
		}
	}
	if w.Unbounded {
		w.End = math.MaxInt64
	}
	return w
}
