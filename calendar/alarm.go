package calendar

import (
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// Alarm time ranges (RFC 4791 §9.9): a time-range inside a VALARM comp-filter is about when the
// alarm triggers, not when its event takes place. A relative TRIGGER counts from the start (or,
// with RELATED=END, the end) of each instance of the component it sits in; an absolute one is a
// date-time; REPEAT and DURATION add triggers after the first. An alarm overlaps the range when
// one of its triggers lies in [start, end).

// alarmRanged tells whether one of f's nested comp-filters has a time-range: the component then
// matches instance by instance, since the alarms' triggers follow its instances.
func alarmRanged(f CompFilter) bool {
	for _, s := range f.Comps {
		if s.TimeRange != nil && !s.IsNotDefined {
			return true
		}
	}
	return false
}

// alarmMatches evaluates f on each instance of the object's components of its kind, over the
// range of its alarm filters widened by how far the alarms reach from their instances.
func (o Object) alarmMatches(f CompFilter, z zones) (bool, error) {
	spanOf := eventSpan
	if f.Name == ical.CompToDo {
		spanOf = todoSpan
	}
	e, err := expand(o, f.Name, z, spanOf)
	if err != nil {
		return false, err
	}
	reach := alarmReach(o, f.Name)
	from, to := maxTime, minTime
	for _, s := range f.Comps {
		if s.TimeRange != nil {
			lo, hi := s.TimeRange.bounds()
			from, to = earlierOf(from, lo.Add(-reach)), laterOf(to, hi.Add(reach))
		}
	}
	found := false
	err = e.each(z, from, to, spanOf, func(in Instance) bool {
		found = componentMatchesAt(in.Comp, f, z, &in)
		return !found
	})
	if err == errTooMany {
		err = nil
	}
	return found, err
}

// alarmReach is how far from its instance an alarm of the object's components may trigger: the
// largest relative TRIGGER with its repetitions, plus the instance's length for RELATED=END.
func alarmReach(o Object, kind string) time.Duration {
	var reach time.Duration
	for _, c := range o.Calendar.Children {
		if c.Name != kind {
			continue
		}
		length := time.Duration(0)
		if d, ok, _ := propDuration(c); ok {
			length = d
		} else if s, ok, _ := propWhen(c, ical.PropDateTimeStart, o.zones(time.UTC)); ok {
			if e, ok, _ := propWhen(c, ical.PropDateTimeEnd, o.zones(time.UTC)); ok {
				length = e.t.Sub(s.t)
			}
		}
		for _, a := range c.Children {
			if a.Name != ical.CompAlarm {
				continue
			}
			t := a.Props.Get(ical.PropTrigger)
			if t == nil {
				continue
			}
			d, err := t.Duration()
			if err != nil {
				continue // an absolute trigger: it does not follow the instances
			}
			reach = max(reach, abs(d)+repeatSpan(a)+length)
		}
	}
	return reach + time.Hour // a DST change between an instance and its alarm
}

// repeatSpan is how long after its first trigger an alarm's repetitions go on.
func repeatSpan(a *ical.Component) time.Duration {
	n := repeats(a)
	if n == 0 {
		return 0
	}
	d, ok, _ := propDuration(a)
	if !ok || d <= 0 {
		return 0
	}
	return time.Duration(n) * d
}

// triggers are the times an alarm goes off for an instance (nil for one that cannot be read).
func triggers(a *ical.Component, in *Instance, z zones) []time.Time {
	p := a.Props.Get(ical.PropTrigger)
	if p == nil {
		return nil
	}
	var first time.Time
	if d, err := p.Duration(); err == nil {
		base := in.Start
		if strings.EqualFold(p.Params.Get(ical.ParamRelated), "END") {
			base = in.End
		}
		if base.IsZero() {
			return nil
		}
		first = base.Add(d)
	} else {
		ws, err := propWhens(p, z)
		if err != nil || len(ws) == 0 {
			return nil
		}
		first = ws[0].t
	}
	out := []time.Time{first}
	if n := repeats(a); n > 0 {
		if d, ok, _ := propDuration(a); ok && d > 0 {
			for i := 1; i <= n; i++ {
				out = append(out, first.Add(time.Duration(i)*d))
			}
		}
	}
	return out
}

// maxRepeat caps an alarm's REPEAT: a client's typo must not make a query count a million triggers.
const maxRepeat = 1000

// repeats is the alarm's REPEAT count, 0 when absent or unreadable.
func repeats(a *ical.Component) int {
	p := a.Props.Get(ical.PropRepeat)
	if p == nil {
		return 0
	}
	n, err := p.Int()
	if err != nil || n < 0 {
		return 0
	}
	return min(n, maxRepeat)
}

// alarmInRange tells whether one of the alarm's triggers for the instance lies in the range.
func alarmInRange(a *ical.Component, r TimeRange, in *Instance, z zones) bool {
	s, e := r.bounds()
	for _, t := range triggers(a, in, z) {
		if !t.Before(s) && t.Before(e) {
			return true
		}
	}
	return false
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
