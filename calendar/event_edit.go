package calendar

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// The agenda page edits events through Event: the fields its form knows. Editing applies them to the
// parsed object, so that what a CalDAV client wrote and the form does not show (alarms, X-
// properties, overridden instances, its own parameters) comes back unchanged.

// Meeting kinds, stored as the first value of CATEGORIES: calendar clients show categories, filter
// and colour by them, and a CalDAV search by category finds the meetings of a kind.
const (
	KindCollectif = "collectif"
	KindAG        = "AG"
	KindOther     = "other"
)

// EventKinds are the kinds the agenda offers, in its order.
var EventKinds = []string{KindCollectif, KindAG, KindOther}

// Repetitions the form offers: RRULE frequencies. RepeatCustom is a rule the form cannot show
// (BYDAY lists, intervals, DAILY…): kept as it is unless the person picks another.
const (
	RepeatNone   = ""
	RepeatWeekly = "WEEKLY"
	RepeatMonth  = "MONTHLY"
	RepeatYearly = "YEARLY"
	RepeatCustom = "custom"
)

// Attendee is an ATTENDEE of an event, or the assignee of a task. PartStat is what a new attendee
// answered already (ACCEPTED, TENTATIVE, DECLINED: a date poll's answers); empty, they are asked.
type Attendee struct{ Email, Name, PartStat string }

// GroupAttendee is an ATTENDEE standing for several people, by its calendar address.
type GroupAttendee struct{ Address, Name string }

// Event is what the agenda page shows and edits of a VEVENT. Start and End are in the agenda's zone;
// for an all-day event they are dates and End is the last day, inclusive, as people say it.
type Event struct {
	UID, Summary, Kind, Location, URL, Description string
	Start, End                                     time.Time
	AllDay                                         bool
	Attendees                                      []Attendee
	// Organizer is who sends the invitations: written when the event gains attendees and has no
	// ORGANIZER yet, so that they are told (an event without one is no scheduling object).
	Organizer Attendee
	// Groups are attendees that stand for several people (CUTYPE=GROUP without a mailbox: a group,
	// a role, the association), invited one by one when the invitations go.
	Groups []GroupAttendee
	Repeat string
	Until  time.Time // last day of the repetition; zero: none
	// Notice is the notice period of an AG's convocation, in days, as its statutes set it: the
	// page warns before convening later than that. Zero for none. Kept as X-PARVIS-NOTICE, a
	// DURATION ("P15D").
	Notice int
	// Agenda is the meeting's agenda (ordre du jour): a file of the group's folder, reached by a
	// share link so that everyone invited opens it, members of the group or not.
	Agenda Document
}

// Document is a file of the group's folder an event carries, as an ATTACH (RFC 5545 §3.8.1.1)
// whose address is a share link: calendar clients and mail programs show it as an attachment.
// ParamPath, on that ATTACH, keeps the file's path in the folder, for the agenda page.
type Document struct{ Path, URL string }

// DefaultNotice is the notice period an AG starts with: fifteen days, the most common in the
// statutes of French associations.
const DefaultNotice = 15

// PropNotice holds an AG's notice period.
const PropNotice = "X-PARVIS-NOTICE"

// noticeOf reads the notice period of an event, in days.
func noticeOf(c *ical.Component) int {
	p := c.Props.Get(PropNotice)
	if p == nil {
		return 0
	}
	d, err := p.Duration()
	if err != nil || d <= 0 {
		return 0
	}
	return int(d.Hours() / 24)
}

// setNotice writes the notice period, or removes it.
func setNotice(c *ical.Component, days int) {
	if days <= 0 {
		c.Props.Del(PropNotice)
		return
	}
	p := ical.NewProp(PropNotice)
	p.SetValueType(ical.ValueDuration)
	p.Value = fmt.Sprintf("P%dD", days) // as people count it, where SetDuration writes seconds
	c.Props.Set(p)
}

// ParamPath marks the ATTACH of an event's agenda with the path of its file.
const ParamPath = "X-PARVIS-PATH"

// agendaOf reads the agenda document of an event.
func agendaOf(c *ical.Component) Document {
	for _, p := range c.Props.Values(ical.PropAttach) {
		if path := p.Params.Get(ParamPath); path != "" {
			return Document{Path: path, URL: p.Value}
		}
	}
	return Document{}
}

// setAgenda writes the agenda document, or removes it; other attachments stay.
func setAgenda(c *ical.Component, d Document) {
	ps := c.Props.Values(ical.PropAttach)
	kept := ps[:0]
	for _, p := range ps {
		if p.Params.Get(ParamPath) == "" {
			kept = append(kept, p)
		}
	}
	if d.Path != "" {
		p := ical.NewProp(ical.PropAttach)
		p.SetValueType(ical.ValueURI)
		p.Value = d.URL
		p.Params.Set(ParamPath, d.Path)
		p.Params.Set("FILENAME", path.Base(d.Path))
		kept = append(kept, *p)
	}
	if len(kept) == 0 {
		c.Props.Del(ical.PropAttach)
		return
	}
	c.Props[ical.PropAttach] = kept
}

// visioLine prefixes the visio link the pages add to DESCRIPTION: phone calendars (Android through
// DAVx⁵, iOS) show no URL property, so people on a phone find the link in the description. It is
// taken out again when the page reads the event.
const visioLine = "\n\nVisio : "

// ReadEvent reads the master VEVENT of a parsed object in the zone.
func ReadEvent(o Object, z Zone) (Event, error) {
	c := master(o, ical.CompEvent)
	if c == nil {
		return Event{}, fmt.Errorf("calendar: no event in %s", o.UID)
	}
	e := Event{UID: o.UID, Summary: text(c, ical.PropSummary), Location: text(c, ical.PropLocation)}
	if p := c.Props.Get(ical.PropURL); p != nil {
		e.URL = p.Value // a URI: no TEXT escapes
	}
	e.Description = text(c, ical.PropDescription)
	if e.URL != "" {
		e.Description = strings.TrimSuffix(e.Description, visioLine+e.URL)
	}
	e.Kind = KindOf(c)
	e.Start, e.AllDay, _ = z.when(o, c, ical.PropDateTimeStart)
	if end, _, ok := z.when(o, c, ical.PropDateTimeEnd); ok {
		e.End = end
	} else if d, ok, _ := propDuration(c); ok {
		e.End = e.Start.Add(d)
	} else {
		e.End = e.Start
		if e.AllDay {
			e.End = e.Start.AddDate(0, 0, 1)
		}
	}
	if e.AllDay && e.End.After(e.Start) {
		e.End = e.End.AddDate(0, 0, -1) // DTEND is exclusive; people say the last day
	}
	e.Attendees, e.Groups = attendees(c), groupAttendees(c)
	e.Agenda = agendaOf(c)
	e.Notice = noticeOf(c)
	e.Repeat, e.Until = repeatOf(c, z)
	return e, nil
}

// NewEventCalendar starts the object of a new event with its UID and creation stamps.
func NewEventCalendar(uid string, now time.Time) *ical.Calendar {
	return newCalendar(ical.CompEvent, uid, now)
}

func newCalendar(kind, uid string, now time.Time) *ical.Calendar {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Parvis//Agenda//FR")
	c := ical.NewComponent(kind)
	c.Props.SetText(ical.PropUID, uid)
	c.Props.SetDateTime(ical.PropCreated, now.UTC())
	cal.Children = append(cal.Children, c)
	return cal
}

// ApplyEvent writes e into the master VEVENT of cal, leaving every property it does not know alone,
// and marks the change (SEQUENCE, DTSTAMP, LAST-MODIFIED) so that clients take it.
func ApplyEvent(cal *ical.Calendar, e Event, z Zone, now time.Time) {
	c := masterOf(cal, ical.CompEvent)
	setText(c, ical.PropSummary, e.Summary)
	setText(c, ical.PropLocation, e.Location)
	setURI(c, e.URL)
	desc := e.Description
	if e.URL != "" {
		desc += visioLine + e.URL
	}
	setText(c, ical.PropDescription, strings.TrimPrefix(desc, "\n\n"))
	setKind(c, e.Kind)
	before, _ := ReadEvent(Object{Kind: ical.CompEvent, UID: e.UID, Calendar: cal, tzs: definedZones(cal)}, z)
	z.setWhen(c, ical.PropDateTimeStart, e.Start, e.AllDay)
	end := e.End
	if e.AllDay {
		end = end.AddDate(0, 0, 1)
	}
	c.Props.Del(ical.PropDuration)
	z.setWhen(c, ical.PropDateTimeEnd, end, e.AllDay)
	if !e.AllDay {
		z.ensureIn(cal)
	}
	setAttendees(c, e.Attendees)
	setGroupAttendees(c, e.Groups)
	setAgenda(c, e.Agenda)
	setNotice(c, e.Notice)
	if len(e.Attendees)+len(e.Groups) > 0 && e.Organizer.Email != "" && c.Props.Get(ical.PropOrganizer) == nil {
		p := ical.NewProp(ical.PropOrganizer)
		p.Value = "mailto:" + e.Organizer.Email
		if e.Organizer.Name != "" {
			p.Params.Set(ical.ParamCommonName, e.Organizer.Name)
		}
		c.Props.Set(p)
	}
	if e.Repeat != RepeatCustom && (e.Repeat != before.Repeat || !e.Until.Equal(before.Until) || e.AllDay != before.AllDay) {
		setRepeat(c, e.Repeat, e.Until, e.AllDay, z)
	}
	touch(c, now)
}

// master is the component of this kind without RECURRENCE-ID.
func master(o Object, kind string) *ical.Component { return masterOf(o.Calendar, kind) }

func masterOf(cal *ical.Calendar, kind string) *ical.Component {
	for _, c := range cal.Children {
		if c.Name == kind && c.Props.Get(ical.PropRecurrenceID) == nil {
			return c
		}
	}
	return nil
}

func text(c *ical.Component, name string) string {
	s, _ := c.Props.Text(name)
	return s
}

// setText sets a TEXT property, or removes it when empty; an unchanged value keeps its parameters
// (LANGUAGE, ALTREP…).
func setText(c *ical.Component, name, v string) {
	if v == "" {
		c.Props.Del(name)
		return
	}
	if text(c, name) == v {
		return
	}
	c.Props.SetText(name, v)
}

func setURI(c *ical.Component, v string) {
	if v == "" {
		c.Props.Del(ical.PropURL)
		return
	}
	p := ical.NewProp(ical.PropURL)
	p.SetValueType(ical.ValueURI)
	p.Value = v
	c.Props.Set(p)
}

// kindOf is the meeting kind among the categories, "" when none is one.
func KindOf(c *ical.Component) string {
	for _, v := range categories(c) {
		for _, k := range EventKinds {
			if strings.EqualFold(v, k) || k == KindOther && strings.EqualFold(v, "autre") {
				return k
			}
		}
	}
	return ""
}

func categories(c *ical.Component) []string {
	var out []string
	for _, p := range c.Props.Values(ical.PropCategories) {
		l, _ := p.TextList()
		out = append(out, l...)
	}
	return out
}

// setKind puts the kind first in CATEGORIES, keeping the other categories people gave.
func setKind(c *ical.Component, kind string) {
	if kind == KindOf(c) {
		return
	}
	list := []string{}
	if kind != "" {
		list = append(list, kind)
	}
	for _, v := range categories(c) {
		if !slices.ContainsFunc(EventKinds, func(k string) bool { return strings.EqualFold(v, k) }) && !strings.EqualFold(v, "autre") {
			list = append(list, v)
		}
	}
	c.Props.Del(ical.PropCategories)
	if len(list) > 0 {
		p := ical.NewProp(ical.PropCategories)
		p.SetTextList(list)
		c.Props.Set(p)
	}
}

// touch marks a change: RFC 5545 asks for a new SEQUENCE when times or recurrence change, and
// clients compare it to decide which copy is newer; DTSTAMP and LAST-MODIFIED say when.
func touch(c *ical.Component, now time.Time) {
	seq := 0
	if p := c.Props.Get(ical.PropSequence); p != nil {
		seq, _ = p.Int()
		seq++
	}
	p := ical.NewProp(ical.PropSequence)
	p.Value = fmt.Sprint(seq)
	c.Props.Set(p)
	c.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
	c.Props.SetDateTime(ical.PropLastModified, now.UTC())
}

// Encode writes a calendar as iCalendar text.
func Encode(cal *ical.Calendar) ([]byte, error) {
	var b bytes.Buffer
	err := ical.NewEncoder(&b).Encode(cal)
	return b.Bytes(), err
}
