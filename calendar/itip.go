package calendar

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"parvis/storage/db"
)

// Scheduling of events (iTIP, RFC 5546): what an organizer's event asks of its attendees, and the
// messages that tell them. An event is a scheduling object when it has an ORGANIZER (RFC 6638
// §3.1); its attendees are told when they are added, when what they agreed to changes, and when it
// is cancelled. The organizer's copy stays the one truth: an answer is written into it.

// iTIP methods this server sends.
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
	MethodReply   = "REPLY"
)

// Answers an attendee gives (PARTSTAT of RFC 5545 §3.2.12) and the one they start with.
const (
	PartAccepted  = "ACCEPTED"
	PartTentative = "TENTATIVE"
	PartDeclined  = "DECLINED"
	PartNeeds     = "NEEDS-ACTION"
)

// Party is an ORGANIZER or an ATTENDEE: its calendar address as written, the e-mail of a mailto:
// address (lower case), its name and, for an attendee, its answer.
type Party struct {
	Address, Email, Name, PartStat string
	// Group is an attendee that stands for several people (CUTYPE=GROUP): a group, a role, the
	// association. The event keeps its one line; its people are invited one by one.
	Group bool
	// Member is the group address through which this person is invited (MEMBER, RFC 5545
	// §3.2.11), for one invited as part of a group.
	Member string
	// Attended is their attendance as recorded after the meeting (ParamAttendance), "" if not.
	Attended string
}

// Scheduled is what scheduling reads of an event.
type Scheduled struct {
	UID, Summary, Location, URL string
	Agenda                      Document // the meeting's agenda document, if it carries one
	Organizer                   Party
	// Attendees are those the server tells: not the organizer, not one whose SCHEDULE-AGENT says
	// that their client or nobody tells them (RFC 6638 §7.1).
	Attendees []Party
	// Listed is every ATTENDEE, once, the organizer's own line included: who comes, for the minutes.
	Listed    []Party
	Sequence  int
	Cancelled bool
	Start     time.Time // the master's DTSTART, UTC (floating and dates as if UTC)
	AllDay    bool
	Window    db.Window // when its instances lie, for how long an invitation stands
	sum       string    // a digest of what attendees agree to: times, recurrence, place, status, text
}

// ReadScheduled reads the scheduling side of an event; false when data is not a scheduling object
// (not an event, no ORGANIZER, not parseable).
func ReadScheduled(data []byte) (Scheduled, bool) {
	o, err := Parse(data)
	if err != nil || o.Kind != ical.CompEvent {
		return Scheduled{}, false
	}
	m := master(o, ical.CompEvent)
	if m == nil {
		return Scheduled{}, false
	}
	org := m.Props.Get(ical.PropOrganizer)
	if org == nil {
		return Scheduled{}, false
	}
	s := Scheduled{UID: o.UID, Summary: text(m, ical.PropSummary), Location: text(m, ical.PropLocation), Organizer: party(org),
		Window: o.Window()}
	if p := m.Props.Get(ical.PropURL); p != nil {
		s.URL = p.Value
	}
	s.Agenda = agendaOf(m)
	if p := m.Props.Get(ical.PropSequence); p != nil {
		s.Sequence, _ = p.Int()
	}
	s.Cancelled = strings.EqualFold(text(m, ical.PropStatus), "CANCELLED")
	s.Start, s.AllDay, _ = Zone{Loc: time.UTC}.when(o, m, ical.PropDateTimeStart)
	seen := map[string]bool{strings.ToLower(s.Organizer.Address): true}
	listed := map[string]bool{}
	h := sha256.New()
	for _, c := range o.Calendar.Children {
		if c.Name != ical.CompEvent {
			continue
		}
		for _, name := range significant {
			for _, p := range c.Props.Values(name) {
				h.Write([]byte(name + ":" + p.Value + "\n"))
			}
		}
		for _, p := range c.Props.Values(ical.PropAttendee) {
			a := party(&p)
			key := strings.ToLower(a.Address)
			if !listed[key] {
				listed[key] = true
				s.Listed = append(s.Listed, a)
			}
			if seen[key] || !serverSchedules(&p) {
				continue
			}
			seen[key] = true
			s.Attendees = append(s.Attendees, a)
		}
	}
	s.sum = hex.EncodeToString(h.Sum(nil))
	return s, true
}

// significant are the properties whose change asks attendees again (RFC 5546 §2.1.4 names the
// times, recurrence and status; the place, the visio, the words and the agenda matter as much to people).
var significant = []string{ical.PropRecurrenceID, ical.PropDateTimeStart, ical.PropDateTimeEnd, ical.PropDuration,
	ical.PropRecurrenceRule, ical.PropRecurrenceDates, ical.PropExceptionDates, ical.PropStatus,
	ical.PropSummary, ical.PropLocation, ical.PropURL, ical.PropDescription, ical.PropAttach}

// Changed tells whether what attendees agreed to differs between two versions of an event.
func (s Scheduled) Changed(before Scheduled) bool { return s.sum != before.sum }

// Attendee returns the attendee of that address.
func (s Scheduled) Attendee(address string) (Party, bool) {
	i := slices.IndexFunc(s.Attendees, func(a Party) bool { return strings.EqualFold(a.Address, address) })
	if i < 0 {
		return Party{}, false
	}
	return s.Attendees[i], true
}

func party(p *ical.Prop) Party {
	out := Party{Address: p.Value, Name: p.Params.Get(ical.ParamCommonName), PartStat: strings.ToUpper(p.Params.Get(ical.ParamParticipationStatus))}
	if email, ok := mailto(p.Value); ok {
		out.Email = strings.ToLower(email)
	}
	if out.PartStat == "" {
		out.PartStat = PartNeeds
	}
	out.Group = strings.EqualFold(p.Params.Get(ical.ParamCalendarUserType), "GROUP")
	out.Member = strings.Trim(p.Params.Get(ical.ParamMember), `"`)
	out.Attended = strings.ToUpper(p.Params.Get(ParamAttendance))
	return out
}

// serverSchedules tells whether the server tells this attendee: SCHEDULE-AGENT absent or SERVER.
func serverSchedules(p *ical.Prop) bool {
	a := strings.ToUpper(p.Params.Get("SCHEDULE-AGENT"))
	return a == "" || a == "SERVER"
}

// Message is the iTIP message of method about the event data for the attendees to (RFC 5546 §3.2):
// a REQUEST carries the whole event, its overridden instances and time zones, without the
// organizer's alarms; a CANCEL the master only, STATUS:CANCELLED, with the attendees it is for and
// a SEQUENCE above the last request's
// (the attendees it is for need not be in data: one taken off the event is not). A visio address given as URL is written where every client
// shows it too: CONFERENCE (RFC 7986), and LOCATION when the event has no place.
func Message(data []byte, method string, to []Party, now time.Time) ([]byte, error) {
	return itipMessage(data, method, func(c *ical.Component) *ical.Component {
		if method == MethodCancel && c.Props.Get(ical.PropRecurrenceID) != nil {
			return nil
		}
		return messageEvent(c, method, to, now)
	})
}

// itipMessage is the iTIP message of method made of the event data: its time zones, and what
// each makes of each of its VEVENTs (nil: left out).
func itipMessage(data []byte, method string, each func(*ical.Component) *ical.Component) ([]byte, error) {
	o, err := Parse(data)
	if err != nil {
		return nil, err
	}
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Parvis//Agenda//FR")
	cal.Props.SetText(ical.PropMethod, method)
	for _, c := range o.Calendar.Children {
		switch c.Name {
		case ical.CompTimezone:
			cal.Children = append(cal.Children, c)
		case ical.CompEvent:
			if e := each(c); e != nil {
				cal.Children = append(cal.Children, e)
			}
		}
	}
	return Encode(cal)
}

func messageEvent(c *ical.Component, method string, to []Party, now time.Time) *ical.Component {
	e := ical.NewComponent(ical.CompEvent)
	for name, ps := range c.Props {
		e.Props[name] = slices.Clone(ps)
	}
	for _, child := range c.Children {
		if child.Name != ical.CompAlarm {
			e.Children = append(e.Children, child)
		}
	}
	e.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
	if u := e.Props.Get(ical.PropURL); u != nil && u.Value != "" {
		if e.Props.Get("CONFERENCE") == nil {
			p := ical.NewProp("CONFERENCE")
			p.SetValueType(ical.ValueURI)
			p.Params.Set("FEATURE", "VIDEO")
			p.Value = u.Value
			e.Props.Add(p)
		}
		if text(e, ical.PropLocation) == "" {
			e.Props.SetText(ical.PropLocation, u.Value)
		}
	}
	if method != MethodCancel {
		return e
	}
	seq := 0
	if p := e.Props.Get(ical.PropSequence); p != nil {
		seq, _ = p.Int()
	}
	sp := ical.NewProp(ical.PropSequence)
	sp.Value = strconv.Itoa(seq + 1)
	e.Props.Set(sp)
	e.Props.SetText(ical.PropStatus, "CANCELLED")
	e.Props.Del(ical.PropAttendee)
	for _, a := range to {
		p := ical.NewProp(ical.PropAttendee)
		p.Value = a.Address
		if a.Name != "" {
			p.Params.Set(ical.ParamCommonName, a.Name)
		}
		e.Props.Add(p)
	}
	return e
}

// SetPartStat writes an attendee's answer into every instance of the event that lists them, and
// tells whether anything changed; the organizer's copy keeps its SEQUENCE, as a reply is no change
// of the event (RFC 5546 §2.1.5). Someone invited as part of a group (who.Member) and not listed
// yet gets a line of their own, MEMBER of that group, as a server expanding a group writes it.
func SetPartStat(data []byte, who Party, partstat string) ([]byte, bool, error) {
	return setAttendeeParam(data, who, ical.ParamParticipationStatus, partstat)
}

// Attendance of an attendee at the meeting, as the minutes record it: the parameter
// X-PARVIS-ATTENDANCE of their ATTENDEE line (RFC 5545 §3.2 lets X- parameters travel with a
// property; clients keep what they do not know). PARTSTAT says who meant to come; this, who came.
const (
	ParamAttendance  = "X-PARVIS-ATTENDANCE"
	AttendedInPerson = "IN-PERSON"
	AttendedRemote   = "REMOTE"
	AttendedExcused  = "EXCUSED"
	AttendedAbsent   = "ABSENT"
)

// AttendanceModes are the attendances recorded, in the order the page offers them.
var AttendanceModes = []string{AttendedInPerson, AttendedRemote, AttendedExcused, AttendedAbsent}

// SetAttendance records whether an attendee came (in person, by visio), was excused or absent;
// "" takes the record off. Like an answer, it is no change of the event: nobody is told.
func SetAttendance(data []byte, who Party, mode string) ([]byte, bool, error) {
	return setAttendeeParam(data, who, ParamAttendance, mode)
}

// setAttendeeParam sets (or, with "", removes) a parameter of an attendee's ATTENDEE lines in
// every instance, adding a line for one invited through a group, and tells whether anything changed.
func setAttendeeParam(data []byte, who Party, param, value string) ([]byte, bool, error) {
	o, err := Parse(data)
	if err != nil {
		return nil, false, err
	}
	changed, found := false, false
	for _, c := range o.Calendar.Children {
		if c.Name != ical.CompEvent {
			continue
		}
		ps := c.Props.Values(ical.PropAttendee)
		for i := range ps {
			if !strings.EqualFold(ps[i].Value, who.Address) {
				continue
			}
			found = true
			if strings.EqualFold(ps[i].Params.Get(param), value) {
				continue
			}
			if value == "" {
				ps[i].Params.Del(param)
			} else {
				ps[i].Params.Set(param, value)
			}
			if param == ical.ParamParticipationStatus {
				ps[i].Params.Del("RSVP")
			}
			changed = true
		}
	}
	if m := masterOf(o.Calendar, ical.CompEvent); !found && who.Member != "" && value != "" && m != nil {
		p := ical.NewProp(ical.PropAttendee)
		p.Value = who.Address
		if who.Name != "" {
			p.Params.Set(ical.ParamCommonName, who.Name)
		}
		p.Params.Set(ical.ParamMember, who.Member)
		p.Params.Set(param, value)
		m.Props.Add(p)
		changed = true
	}
	if !changed {
		return data, false, nil
	}
	out, err := Encode(o.Calendar)
	return out, true, err
}

// replyProps are what a REPLY repeats of the event (RFC 5546 §3.2.3): enough for the organizer's
// client to find the event and the instance answered.
var replyProps = []string{ical.PropUID, ical.PropSequence, ical.PropDateTimeStart, ical.PropDateTimeEnd, ical.PropDuration,
	ical.PropSummary, ical.PropOrganizer, ical.PropRecurrenceID}

// Reply is the iTIP REPLY of an attendee to the event data: their answer to every instance, as
// their one ATTENDEE line, with the time zones the times need.
func Reply(data []byte, who Party, partstat string, now time.Time) ([]byte, error) {
	return itipMessage(data, MethodReply, func(c *ical.Component) *ical.Component {
		if c.Props.Get(ical.PropRecurrenceID) != nil {
			return nil
		}
		e := ical.NewComponent(ical.CompEvent)
		for _, name := range replyProps {
			if ps := c.Props.Values(name); len(ps) > 0 {
				e.Props[name] = slices.Clone(ps)
			}
		}
		e.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
		p := ical.NewProp(ical.PropAttendee)
		p.Value = who.Address
		if who.Name != "" {
			p.Params.Set(ical.ParamCommonName, who.Name)
		}
		p.Params.Set(ical.ParamParticipationStatus, partstat)
		e.Props.Set(p)
		return e
	})
}
