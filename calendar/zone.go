package calendar

import (
	"time"

	"github.com/emersion/go-ical"

	"parvis/storage/db"
)

// Zone is the time zone in which the web pages read and write an agenda's times: its location, and
// the VTIMEZONE that defines its TZID for clients that do not know IANA names.
type Zone struct {
	Loc       *time.Location
	vtimezone *ical.Component
}

// parisVTimezone is Europe/Paris as Thunderbird and Apple Calendar send it: the association's
// default zone when a calendar has none of its own.
const parisVTimezone = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parvis//zone//FR\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n" +
	"BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n" +
	"TZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n" +
	"END:VCALENDAR\r\n"

// CollectionZone is the zone of a calendar: its calendar-timezone when a client set a usable one
// (RFC 4791 §5.2.2), else home, the association's zone (the time_zone setting; nil means Paris).
func CollectionZone(c db.Collection, home *time.Location) Zone {
	if c.Timezone != "" {
		if z, ok := zoneOf(c.Timezone); ok {
			return z
		}
	}
	return HomeZone(home)
}

// HomeZone is the association's zone as agendas write it. Europe/Paris carries the VTIMEZONE that
// Thunderbird and Apple send; another zone is written by its IANA name alone, which RFC 7809 lets a
// server do and which every client Parvis is tested with resolves.
func HomeZone(loc *time.Location) Zone {
	if loc == nil || loc.String() == "Europe/Paris" {
		z, _ := zoneOf(parisVTimezone)
		return z
	}
	return Zone{Loc: loc}
}

// zoneOf reads a VCALENDAR holding one VTIMEZONE.
func zoneOf(vcal string) (Zone, bool) {
	loc, ok := TimezoneLocation(vcal)
	if !ok {
		return Zone{}, false
	}
	cal, _, err := decode([]byte(vcal))
	if err != nil {
		return Zone{}, false
	}
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			return Zone{Loc: loc, vtimezone: c}, true
		}
	}
	return Zone{}, false
}

// tzid is the TZID times are written with.
func (z Zone) tzid() string {
	if z.vtimezone == nil {
		return z.Loc.String()
	}
	if p := z.vtimezone.Props.Get(ical.PropTimezoneID); p != nil {
		return p.Value
	}
	return z.Loc.String()
}

// ensureIn adds the zone's VTIMEZONE to cal unless it defines that TZID already: RFC 5545 §3.6.5
// wants one for every TZID an object uses.
func (z Zone) ensureIn(cal *ical.Calendar) {
	if z.vtimezone == nil {
		return // by reference (RFC 7809)
	}
	id := z.tzid()
	for _, c := range cal.Children {
		if p := c.Props.Get(ical.PropTimezoneID); c.Name == ical.CompTimezone && p != nil && p.Value == id {
			return
		}
	}
	cal.Children = append([]*ical.Component{z.vtimezone}, cal.Children...)
}

// setWhen writes a DATE (all-day) or a DATE-TIME in the zone.
func (z Zone) setWhen(c *ical.Component, name string, t time.Time, allDay bool) {
	p := ical.NewProp(name)
	if allDay {
		p.Params.Set(ical.ParamValue, "DATE")
		p.Value = t.Format("20060102")
	} else {
		p.Params.Set(ical.PropTimezoneID, z.tzid())
		p.Value = t.In(z.Loc).Format("20060102T150405")
	}
	c.Props.Set(p)
}

// when reads a DATE or DATE-TIME property of c in the zone; ok is false when absent or unreadable.
// Times with a TZID the object defines itself are read with that definition.
func (z Zone) when(o Object, c *ical.Component, name string) (t time.Time, allDay, ok bool) {
	w, found, err := propWhen(c, name, o.zones(z.Loc))
	if err != nil || !found {
		return time.Time{}, false, false
	}
	return w.t.In(z.Loc), w.date, true
}
