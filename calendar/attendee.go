package calendar

import (
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// attendees reads the ATTENDEE properties with a mailto: address.
func attendees(c *ical.Component) []Attendee {
	var out []Attendee
	for _, p := range c.Props.Values(ical.PropAttendee) {
		if email, ok := mailto(p.Value); ok {
			out = append(out, Attendee{Email: email, Name: p.Params.Get(ical.ParamCommonName)})
		}
	}
	return out
}

// groupAttendees reads the ATTENDEEs standing for several people without a mailbox of their own.
func groupAttendees(c *ical.Component) []GroupAttendee {
	var out []GroupAttendee
	for _, p := range c.Props.Values(ical.PropAttendee) {
		if isGroupLine(p) {
			out = append(out, GroupAttendee{Address: p.Value, Name: p.Params.Get(ical.ParamCommonName)})
		}
	}
	return out
}

func isGroupLine(p ical.Prop) bool {
	_, mail := mailto(p.Value)
	return !mail && strings.EqualFold(p.Params.Get(ical.ParamCalendarUserType), "GROUP")
}

// setGroupAttendees makes the group ATTENDEEs those of want, keeping a line already there as it is.
func setGroupAttendees(c *ical.Component, want []GroupAttendee) {
	keep := map[string]ical.Prop{}
	var rest []ical.Prop
	for _, p := range c.Props.Values(ical.PropAttendee) {
		if isGroupLine(p) {
			keep[strings.ToLower(p.Value)] = p
		} else {
			rest = append(rest, p)
		}
	}
	for _, g := range want {
		p, ok := keep[strings.ToLower(g.Address)]
		if !ok {
			p = *ical.NewProp(ical.PropAttendee)
			p.Value = g.Address
			p.Params.Set(ical.ParamCalendarUserType, "GROUP")
			if g.Name != "" {
				p.Params.Set(ical.ParamCommonName, g.Name)
			}
		}
		rest = append(rest, p)
	}
	c.Props.Del(ical.PropAttendee)
	for _, p := range rest {
		c.Props.Add(&p)
	}
}

func mailto(v string) (string, bool) {
	if len(v) > 7 && strings.EqualFold(v[:7], "mailto:") {
		return v[7:], true
	}
	return "", false
}

// setAttendees makes the ATTENDEEs those of want: one already there keeps its line as it is (its
// PARTSTAT, ROLE, RSVP: what people answered), a new one is asked to answer, a missing one goes.
func setAttendees(c *ical.Component, want []Attendee) {
	keep := map[string]ical.Prop{}
	var others []ical.Prop // attendees without a mailto: address (a URN, a phone): not the form's to remove
	for _, p := range c.Props.Values(ical.PropAttendee) {
		if email, ok := mailto(p.Value); ok {
			keep[strings.ToLower(email)] = p
		} else {
			others = append(others, p)
		}
	}
	c.Props.Del(ical.PropAttendee)
	for _, p := range others {
		c.Props.Add(&p)
	}
	for _, a := range want {
		if p, ok := keep[strings.ToLower(a.Email)]; ok {
			c.Props.Add(&p)
			continue
		}
		p := ical.NewProp(ical.PropAttendee)
		p.Value = "mailto:" + a.Email
		if a.Name != "" {
			p.Params.Set(ical.ParamCommonName, a.Name)
		}
		partstat := "NEEDS-ACTION"
		if a.PartStat != "" {
			partstat = a.PartStat
		}
		p.Params.Set(ical.ParamParticipationStatus, partstat)
		p.Params.Set(ical.ParamRole, "REQ-PARTICIPANT")
		c.Props.Add(p)
	}
}

// repeatOf reads the master's RRULE as the form shows it: a frequency and an end day, or
// RepeatCustom for any rule with more than that.
func repeatOf(c *ical.Component, z Zone) (string, time.Time) {
	p := c.Props.Get(ical.PropRecurrenceRule)
	if p == nil {
		return RepeatNone, time.Time{}
	}
	freq, until := "", ""
	for _, part := range strings.Split(p.Value, ";") {
		k, v, _ := strings.Cut(part, "=")
		switch strings.ToUpper(k) {
		case "FREQ":
			freq = strings.ToUpper(v)
		case "UNTIL":
			until = v
		case "WKST":
		default:
			return RepeatCustom, time.Time{}
		}
	}
	if freq != RepeatWeekly && freq != RepeatMonth && freq != RepeatYearly {
		return RepeatCustom, time.Time{}
	}
	if until == "" {
		return freq, time.Time{}
	}
	w, err := parseWhen(until, "", "", zones{float: z.Loc})
	if err != nil {
		return RepeatCustom, time.Time{}
	}
	t := w.t.In(z.Loc)
	return freq, time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, z.Loc)
}

// setRepeat writes the RRULE of a frequency, up to the end of the day until when given. UNTIL is a
// date for all-day events and a UTC time otherwise, as RFC 5545 §3.3.10 requires with a TZID start.
func setRepeat(c *ical.Component, freq string, until time.Time, allDay bool, z Zone) {
	c.Props.Del(ical.PropRecurrenceRule)
	if freq == RepeatNone {
		return
	}
	v := "FREQ=" + freq
	if !until.IsZero() {
		if allDay {
			v += ";UNTIL=" + until.Format("20060102")
		} else {
			last := time.Date(until.Year(), until.Month(), until.Day(), 23, 59, 59, 0, z.Loc)
			v += ";UNTIL=" + last.UTC().Format("20060102T150405Z")
		}
	}
	p := ical.NewProp(ical.PropRecurrenceRule)
	p.SetValueType(ical.ValueRecurrence)
	p.Value = v
	c.Props.Set(p)
}
