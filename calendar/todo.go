package calendar

import (
	"time"

	"github.com/emersion/go-ical"
)

// Tasks have their own time-range rules (RFC 4791 §9.9): they may have a start, a due date, a
// duration, a completion and a creation time, in any combination, and each combination decides
// differently whether a task belongs to a range.

// todoSpan is the span of a task for its recurrence: DTSTART, with the length to DUE or DURATION.
func todoSpan(c *ical.Component, z zones) (span, bool, error) {
	start, ok, err := propWhen(c, ical.PropDateTimeStart, z)
	if err != nil || !ok {
		return span{}, ok, err
	}
	s := span{start: start}
	if due, ok, err := propWhen(c, ical.PropDue, z); err != nil {
		return s, true, err
	} else if ok {
		s.dur = due.t.Sub(start.t)
	} else if d, ok, err := propDuration(c); err != nil {
		return s, true, err
	} else if ok {
		s.dur = d
	}
	return s, true, nil
}

// todoTimes are the dates of one task instance that §9.9 looks at; nil when absent.
type todoTimes struct {
	start, due, completed, created *time.Time
	dur                            *time.Duration
}

// timesOf reads a task instance: for a recurring task the instance's start shifts DUE with it.
func timesOf(in Instance, z zones) (todoTimes, error) {
	var t todoTimes
	c := in.Comp
	get := func(name string) (*time.Time, error) {
		w, ok, err := propWhen(c, name, z)
		if err != nil || !ok {
			return nil, err
		}
		return &w.t, nil
	}
	var err error
	if t.start, err = get(ical.PropDateTimeStart); err != nil {
		return t, err
	}
	if t.due, err = get(ical.PropDue); err != nil {
		return t, err
	}
	if t.completed, err = get(ical.PropCompleted); err != nil {
		return t, err
	}
	if t.created, err = get(ical.PropCreated); err != nil {
		return t, err
	}
	if d, ok, err := propDuration(c); err != nil {
		return t, err
	} else if ok {
		t.dur = &d
	}
	if t.start != nil && !in.Start.IsZero() && !in.Start.Equal(*t.start) {
		shift := in.Start.Sub(*t.start)
		s := in.Start
		t.start = &s
		if t.due != nil {
			d := t.due.Add(shift)
			t.due = &d
		}
	}
	return t, nil
}

// todoMatches is the §9.9 table for VTODO, with s and e the range's bounds (open bounds made far).
func todoMatches(t todoTimes, s, e time.Time) bool {
	le := func(a, b time.Time) bool { return !a.After(b) }
	switch {
	case t.start != nil && t.dur != nil:
		end := t.start.Add(*t.dur)
		return le(s, end) && (e.After(*t.start) || le(end, e))
	case t.start != nil && t.due != nil:
		return (s.Before(*t.due) || le(s, *t.start)) && (e.After(*t.start) || le(*t.due, e))
	case t.start != nil:
		return le(s, *t.start) && e.After(*t.start)
	case t.due != nil:
		return s.Before(*t.due) && le(*t.due, e)
	case t.completed != nil && t.created != nil:
		return (le(s, *t.created) || le(s, *t.completed)) && (le(*t.created, e) || le(*t.completed, e))
	case t.completed != nil:
		return le(s, *t.completed) && le(*t.completed, e)
	case t.created != nil:
		return e.After(*t.created)
	}
	return true
}

func (o Object) todoInRange(r TimeRange, z zones) (bool, error) {
	e, err := expand(o, ical.CompToDo, z, todoSpan)
	if err != nil {
		return false, err
	}
	s, end := r.bounds()
	found := false
	var ferr error
	err = e.each(z, time.Time{}, end, todoSpan, func(in Instance) bool {
		t, err := timesOf(in, z)
		if err != nil {
			ferr = err
			return false
		}
		found = todoMatches(t, s, end)
		return !found
	})
	if err == errTooMany {
		err = nil
	}
	if err == nil {
		err = ferr
	}
	return found, err
}

// todoWindow bounds the ranges a task instance can match: from its earliest date to its latest, or
// endless for a task with only a creation date, which §9.9 matches with every later range.
func todoWindow(in Instance, sp span, z zones) (lo, hi time.Time, unbounded bool) {
	t, err := timesOf(in, z)
	if err != nil {
		return minTime, maxTime, true
	}
	var all []time.Time
	for _, p := range []*time.Time{t.start, t.due, t.completed, t.created} {
		if p != nil {
			all = append(all, *p)
		}
	}
	if t.start != nil && t.dur != nil {
		all = append(all, t.start.Add(*t.dur))
	}
	if len(all) == 0 {
		return minTime, maxTime, true
	}
	lo, hi = all[0], all[0]
	for _, x := range all[1:] {
		if x.Before(lo) {
			lo = x
		}
		if x.After(hi) {
			hi = x
		}
	}
	onlyCreated := t.created != nil && t.start == nil && t.due == nil && t.completed == nil
	return lo, hi, onlyCreated
}
