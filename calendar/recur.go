package calendar

import (
	"errors"
	"time"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// This file expands the instances of a calendar object resource: the master component's RRULE, RDATE
// and EXDATE lists (multi-valued or not), with the instances that RECURRENCE-ID components override
// replaced by those components. go-ical's RecurrenceSet is not used: it fails on multi-valued EXDATE,
// ignores overrides and gives instant starts only, where RFC 4791 §9.9 needs starts and ends.

// Instance is one occurrence of a component: [Start, End), End == Start for an instant.
type Instance struct {
	Start, End time.Time
	Comp       *ical.Component // the master, or the override that replaces this occurrence
	Floating   bool            // read in the query's time zone
}

// maxInstances caps the expansion of one object: a bounded rule with more instances is indexed as
// unbounded, and a query stops looking at its instances past this many in its range. The count
// starts at the range, not at the first occurrence: a frequent event that began long ago still
// shows this week.
const maxInstances = 100_000

// maxSkipped caps the occurrences before a range that a query steps over to reach it, for the
// rules skipTo cannot start near the range (BY parts, periods that do not divide an hour): past
// this many it stops (errTooMany).
const maxSkipped = 20 * maxInstances

var (
	errTooMany       = errors.New("calendar: too many instances")
	errBadRecurrence = errors.New("calendar: recurrence rule cannot be expanded")
)

// component span: a component's start and the length of its occurrences.
type span struct {
	start when
	dur   time.Duration
	days  int // for all-day components, the length in days (DST-proof)
}

func (s span) endOf(start time.Time) time.Time {
	if s.start.date && s.days > 0 {
		return start.AddDate(0, 0, s.days)
	}
	return start.Add(s.dur)
}

// eventSpan reads DTSTART and DTEND/DURATION of a VEVENT: without either, a date lasts one day and a
// date-time is an instant (RFC 5545 §3.6.1).
func eventSpan(c *ical.Component, z zones) (span, bool, error) {
	start, ok, err := propWhen(c, ical.PropDateTimeStart, z)
	if err != nil || !ok {
		return span{}, ok, err
	}
	s := span{start: start}
	if end, ok, err := propWhen(c, ical.PropDateTimeEnd, z); err != nil {
		return s, true, err
	} else if ok {
		s.dur = end.t.Sub(start.t)
		if start.date {
			s.days = int(s.dur.Round(time.Hour) / (24 * time.Hour))
		}
	} else if d, ok, err := propDuration(c); err != nil {
		return s, true, err
	} else if ok {
		s.dur = d
		if start.date && d%(24*time.Hour) == 0 {
			s.days = int(d / (24 * time.Hour))
		}
	} else if start.date {
		s.dur, s.days = 24*time.Hour, 1
	}
	if s.dur < 0 {
		s.dur, s.days = 0, 0
	}
	return s, true, nil
}

// expansion is the recurrence structure of one object.
type expansion struct {
	master    *ical.Component
	span      span
	set       *rrule.Set     // nil: the master occurs once
	endless   bool           // an RRULE with neither COUNT nor UNTIL
	rule      *rrule.ROption // the RRULE as read, for starting it near a range (skipTo)
	rdates    []time.Time    // the set's dates: DTSTART and the RDATEs
	exdates   map[int64]bool
	overrides []*ical.Component
	replaced  map[int64]bool // RECURRENCE-IDs of the overrides, Unix seconds
}

// spanOf reads the span of a component of any kind: events as above; for tasks, DTSTART and DUE or
// DURATION when present.
type spanFunc func(*ical.Component, zones) (span, bool, error)

func expand(o Object, kind string, z zones, spanOf spanFunc) (*expansion, error) {
	e := &expansion{exdates: map[int64]bool{}, replaced: map[int64]bool{}}
	for _, c := range o.Calendar.Children {
		if c.Name != kind {
			continue
		}
		if c.Props.Get(ical.PropRecurrenceID) != nil {
			rid, _, err := propWhen(c, ical.PropRecurrenceID, z)
			if err != nil {
				return nil, err
			}
			e.overrides = append(e.overrides, c)
			e.replaced[rid.t.Unix()] = true
			continue
		}
		e.master = c
	}
	if e.master == nil {
		return e, nil
	}
	s, ok, err := spanOf(e.master, z)
	if err != nil {
		return nil, err
	}
	e.span = s
	if !ok {
		return e, nil // no start: no recurrence either
	}
	return e, e.recurrence(z)
}

// recurrence builds the master's recurrence set, if it has one.
func (e *expansion) recurrence(z zones) error {
	rr := e.master.Props.Get(ical.PropRecurrenceRule)
	rdates := e.master.Props.Values(ical.PropRecurrenceDates)
	if rr == nil && len(rdates) == 0 {
		return nil
	}
	e.set = &rrule.Set{}
	start := e.span.start.t
	e.rdates = append(e.rdates, start)
	if rr != nil {
		opt, err := rrule.StrToROptionInLocation(rr.Value, start.Location())
		if err != nil {
			return err
		}
		opt.Dtstart = start
		e.endless = opt.Count == 0 && opt.Until.IsZero()
		r, err := rrule.NewRRule(*opt)
		if err != nil {
			return err
		}
		e.set.RRule(r)
		e.rule = opt
	}
	for i := range rdates {
		ws, err := propWhens(&rdates[i], z)
		if err != nil {
			return err
		}
		for _, w := range ws {
			e.rdates = append(e.rdates, w.t)
		}
	}
	for _, t := range e.rdates {
		e.set.RDate(t)
	}
	for _, p := range e.master.Props.Values(ical.PropExceptionDates) {
		ws, err := propWhens(&p, z)
		if err != nil {
			return err
		}
		for _, w := range ws {
			e.exdates[w.t.Unix()] = true
		}
	}
	return nil
}

// each calls fn for every instance whose start is before to and whose end is at or after from,
// in no particular order, until fn returns false. The zero from means "from the first".
func (e *expansion) each(z zones, from, to time.Time, spanOf spanFunc, fn func(Instance) bool) (err error) {
	// rrule-go panics on some rules it accepted (an out-of-range BYDAY ordinal such as 20SA in a
	// yearly rule, found by FuzzParse): such a rule is an error like one it refuses.
	defer func() {
		if recover() != nil {
			err = errBadRecurrence
		}
	}()
	for _, c := range e.overrides {
		s, ok, err := spanOf(c, z)
		if err != nil {
			return err
		}
		if ok && !fn(Instance{Start: s.start.t, End: s.endOf(s.start.t), Comp: c, Floating: s.start.floating}) {
			return nil
		}
		if !ok && !fn(Instance{Comp: c}) {
			return nil
		}
	}
	if e.master == nil {
		return nil
	}
	if e.set == nil {
		st := e.span.start
		fn(Instance{Start: st.t, End: e.span.endOf(st.t), Comp: e.master, Floating: st.floating})
		return nil
	}
	next, err := e.skipTo(from)
	if err != nil {
		return err
	}
	for n, skipped := 0, 0; ; {
		t, ok := next()
		if !ok || !to.IsZero() && !t.Before(to) {
			return nil
		}
		end := e.span.endOf(t)
		if !from.IsZero() && end.Before(from) {
			if skipped++; skipped > maxSkipped {
				return errTooMany
			}
			continue
		}
		if n++; n > maxInstances {
			return errTooMany
		}
		u := t.Unix()
		if e.exdates[u] || e.replaced[u] {
			continue
		}
		if !fn(Instance{Start: t, End: end, Comp: e.master, Floating: e.span.start.floating}) {
			return nil
		}
	}
}

// skipTo returns the iterator of the recurrence set, started shortly before from when the rule
// allows computing where it is then: a rule of a fixed period (seconds, minutes, hours, with no
// BY parts) is restarted at its last occurrence two hours or more before from, its COUNT reduced
// by the occurrences passed, so that a per-second event begun months ago costs a query of this
// week no more than one begun today (stepping over them one by one stopped at maxSkipped, and the
// event vanished). Only periods that divide an hour qualify: a change of UTC offset (an hour)
// then leaves the restarted rule on the same beat, whether the zone's clocks move or not.
func (e *expansion) skipTo(from time.Time) (func() (time.Time, bool), error) {
	opt := e.rule
	if from.IsZero() || opt == nil || !fixedPeriod(opt) {
		return e.set.Iterator(), nil
	}
	interval := max(opt.Interval, 1)
	unit := map[rrule.Frequency]time.Duration{rrule.SECONDLY: time.Second, rrule.MINUTELY: time.Minute, rrule.HOURLY: time.Hour}[opt.Freq]
	period := time.Duration(interval) * unit
	if time.Hour%period != 0 {
		return e.set.Iterator(), nil
	}
	start := e.span.start.t
	k := int64((from.Sub(start) - e.span.dur - 2*time.Hour) / period)
	if k <= 0 {
		return e.set.Iterator(), nil
	}
	moved := *opt
	moved.Dtstart = start.Add(time.Duration(k) * period)
	set := &rrule.Set{}
	for _, t := range e.rdates {
		set.RDate(t)
	}
	if opt.Count > 0 {
		moved.Count = opt.Count - int(k)
	}
	if opt.Count == 0 || moved.Count > 0 {
		r, err := rrule.NewRRule(moved)
		if err != nil {
			return nil, err
		}
		set.RRule(r)
	}
	return set.Iterator(), nil
}

// fixedPeriod tells whether a rule's occurrences are its start plus multiples of one duration.
func fixedPeriod(o *rrule.ROption) bool {
	switch o.Freq {
	case rrule.SECONDLY, rrule.MINUTELY, rrule.HOURLY:
	default:
		return false
	}
	return len(o.Bysetpos)+len(o.Bymonth)+len(o.Bymonthday)+len(o.Byyearday)+len(o.Byweekno)+len(o.Byweekday)+
		len(o.Byhour)+len(o.Byminute)+len(o.Bysecond)+len(o.Byeaster) == 0
}
