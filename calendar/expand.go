package calendar

import (
	"bytes"
	"errors"
	"slices"
	"time"

	"github.com/emersion/go-ical"
)

// MaxExpanded is the most instances one object may expand into for a client (RFC 4791 §9.6.5): an
// expanded answer holds a copy of the component per instance, and a per-second event expanded
// over a day would be 86,400 of them. A daily meeting over five years is under it. Past it, Expand
// answers ErrTooManyInstances.
const MaxExpanded = 2_000

// ErrTooManyInstances refuses to expand an object into more than MaxExpanded instances.
var ErrTooManyInstances = errors.New("calendar: too many instances to expand")

// Expand returns the object as calendar-data with expand asks (RFC 4791 §9.6.5): every instance that
// meets the range, recurring or not, as its own component without RRULE, RDATE or EXDATE, with
// DTSTART, DTEND, DUE and RECURRENCE-ID (recurring components only) in UTC, and without VTIMEZONE,
// which nothing refers to any more. All-day values stay dates. Floating times are read in float.
// Instances come in order of start; more than MaxExpanded is ErrTooManyInstances.
func (o Object) Expand(r TimeRange, float *time.Location) ([]byte, error) {
	ins, recurring, err := o.instancesUpTo(r, o.zones(float), MaxExpanded)
	if err != nil {
		return nil, err
	}
	return encodeInstances(o, ins, recurring, o.zones(float))
}

// Instances returns the instances of the object that meet the range (RFC 4791 §9.9), in order of
// start, recurrences expanded and overridden instances replaced: what an agenda page shows. Floating
// times and dates are read in float. Past maxInstances the expansion stops.
func (o Object) Instances(r TimeRange, float *time.Location) ([]Instance, error) {
	ins, _, err := o.instances(r, o.zones(float))
	return ins, err
}

func (o Object) instances(r TimeRange, z zones) (ins []Instance, recurring bool, err error) {
	return o.instancesUpTo(r, z, 0)
}

// instancesUpTo is instances, refused with ErrTooManyInstances past limit (0: maxInstances, after
// which the expansion stops).
func (o Object) instancesUpTo(r TimeRange, z zones, limit int) (ins []Instance, recurring bool, err error) {
	spanOf := eventSpan
	if o.Kind == ical.CompToDo {
		spanOf = todoSpan
	}
	e, err := expand(o, o.Kind, z, spanOf)
	if err != nil {
		return nil, false, err
	}
	recurring = e.set != nil || len(e.overrides) > 0
	s, end := r.bounds()
	from := s
	if o.Kind == ical.CompToDo {
		from = time.Time{} // a task may meet a range after its span ends (COMPLETED, CREATED)
	}
	var ferr error
	err = e.each(z, from, end, spanOf, func(in Instance) bool {
		ok, err := instanceMeets(o.Kind, in, s, end, z)
		if err != nil {
			ferr = err
			return false
		}
		if ok {
			if limit > 0 && len(ins) == limit {
				ferr = ErrTooManyInstances
				return false
			}
			ins = append(ins, in)
		}
		return true
	})
	if err != nil && err != errTooMany {
		return nil, false, err
	}
	if ferr != nil {
		return nil, false, ferr
	}
	slices.SortStableFunc(ins, func(a, b Instance) int { return a.Start.Compare(b.Start) })
	return ins, recurring, nil
}

// AllDay tells whether the instance is a whole-day one: its component starts on a DATE.
func (in Instance) AllDay() bool {
	return in.Comp != nil && isDate(in.Comp.Props.Get(ical.PropDateTimeStart))
}

// instanceMeets applies §9.9 to one instance: the event rule, or the task table.
func instanceMeets(kind string, in Instance, s, e time.Time, z zones) (bool, error) {
	if kind != ical.CompToDo {
		return !in.Start.IsZero() && TimeRange{Start: s, End: e}.eventOverlaps(in), nil
	}
	t, err := timesOf(in, z)
	return err == nil && todoMatches(t, s, e), err
}

func encodeInstances(o Object, ins []Instance, recurring bool, z zones) ([]byte, error) {
	if len(ins) == 0 {
		// go-ical refuses to encode a calendar without components; a multiget may still ask for
		// an object none of whose instances meets the range.
		return []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parvis//CalDAV expand//FR\r\nEND:VCALENDAR\r\n"), nil
	}
	cal := ical.NewCalendar()
	for name, ps := range o.Calendar.Props {
		cal.Props[name] = slices.Clone(ps)
	}
	for _, in := range ins {
		c, err := instanceComponent(in, recurring, z)
		if err != nil {
			return nil, err
		}
		cal.Children = append(cal.Children, c)
	}
	var buf bytes.Buffer
	err := ical.NewEncoder(&buf).Encode(cal)
	return buf.Bytes(), err
}

// instanceComponent is a copy of the instance's component (the master, or its override) with the
// instance's own times.
func instanceComponent(in Instance, recurring bool, z zones) (*ical.Component, error) {
	src := in.Comp
	c := &ical.Component{Name: src.Name, Props: ical.Props{}, Children: src.Children}
	for name, ps := range src.Props {
		c.Props[name] = slices.Clone(ps)
	}
	for _, name := range []string{ical.PropRecurrenceRule, ical.PropRecurrenceDates, ical.PropExceptionDates, "EXRULE"} {
		c.Props.Del(name)
	}
	date := isDate(src.Props.Get(ical.PropDateTimeStart))
	if !in.Start.IsZero() {
		setTime(c, ical.PropDateTimeStart, in.Start, date)
	}
	if c.Props.Get(ical.PropDateTimeEnd) != nil {
		setTime(c, ical.PropDateTimeEnd, in.End, date)
	}
	if src.Name == ical.CompToDo {
		t, err := timesOf(in, z)
		if err != nil {
			return nil, err
		}
		if t.due != nil {
			setTime(c, ical.PropDue, *t.due, isDate(src.Props.Get(ical.PropDue)))
		}
	}
	if !recurring {
		return c, nil
	}
	rid := in.Start
	if p := src.Props.Get(ical.PropRecurrenceID); p != nil {
		w, _, err := propWhen(src, ical.PropRecurrenceID, z)
		if err != nil {
			return nil, err
		}
		rid, date = w.t, w.date
	}
	setTime(c, ical.PropRecurrenceID, rid, date)
	return c, nil
}

func isDate(p *ical.Prop) bool {
	return p != nil && (p.Params.Get(ical.ParamValue) == "DATE" || len(p.Value) == 8)
}

// setTime replaces a property by a UTC date-time, or by a date for all-day values.
func setTime(c *ical.Component, name string, t time.Time, date bool) {
	p := ical.NewProp(name)
	if date {
		p.Params.Set(ical.ParamValue, "DATE")
		p.Value = t.Format("20060102")
	} else {
		p.Value = t.UTC().Format("20060102T150405Z")
	}
	c.Props.Set(p)
}
