// Package calendar will hold the groups' agendas and task lists (CalDAV) and address books
// (CardDAV). For now it checks calendar objects the way RFC 4791 asks a server to before storing
// them, on top of go-ical, which parses but does not validate.
package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-ical"
)

// MaxObjectSize caps one calendar object resource: an event with its exceptions fits in a few KiB;
// the cap keeps a client from storing anything else in an agenda.
const MaxObjectSize = 1 << 20

// Object is a validated calendar object resource: one kind of component, sharing one UID (a
// recurring event and its overridden instances), with any time zones it uses.
type Object struct {
	Kind     string // VEVENT, VTODO or VJOURNAL
	UID      string
	Calendar *ical.Calendar
	tzs      map[string]*time.Location // TZIDs only the object's own VTIMEZONEs define
}

// PreconditionError is a refusal with the CalDAV precondition a client is told (RFC 4791 §5.3.2):
// nothing is stored.
type PreconditionError struct {
	Condition string // element name in the CalDAV namespace, e.g. "valid-calendar-data"
	Reason    string
}

func (e *PreconditionError) Error() string { return "calendar: " + e.Condition + ": " + e.Reason }

func refuse(cond, format string, args ...any) error {
	return &PreconditionError{Condition: cond, Reason: fmt.Sprintf(format, args...)}
}

// Parse decodes and validates one calendar object resource.
func Parse(data []byte) (Object, error) {
	if len(data) > MaxObjectSize {
		return Object{}, refuse("max-resource-size", "%d bytes, at most %d", len(data), MaxObjectSize)
	}
	cal, more, err := decode(data)
	if err != nil {
		return Object{}, refuse("valid-calendar-data", "%v", err)
	}
	if more {
		return Object{}, refuse("valid-calendar-object-resource", "more than one VCALENDAR")
	}
	if cal.Props.Get(ical.PropMethod) != nil {
		return Object{}, refuse("valid-calendar-object-resource", "METHOD is for scheduling messages, not stored objects")
	}
	o, err := object(cal)
	o.tzs = definedZones(cal)
	return o, err
}

// object checks the components of a decoded calendar.
func object(cal *ical.Calendar) (Object, error) {
	o := Object{Calendar: cal}
	masters := 0
	for _, c := range cal.Children {
		switch c.Name {
		case ical.CompTimezone:
			continue
		case ical.CompEvent, ical.CompToDo, ical.CompJournal:
		default:
			return o, refuse("supported-calendar-component", "%s is not stored in an agenda or a task list", c.Name)
		}
		if o.Kind != "" && c.Name != o.Kind {
			return o, refuse("valid-calendar-object-resource", "mixes %s and %s", o.Kind, c.Name)
		}
		o.Kind = c.Name
		uid, err := c.Props.Text(ical.PropUID)
		if err != nil || uid == "" {
			return o, refuse("valid-calendar-object-resource", "%s without UID", c.Name)
		}
		if o.UID != "" && uid != o.UID {
			return o, refuse("valid-calendar-object-resource", "several UIDs in one object")
		}
		o.UID = uid
		if c.Props.Get(ical.PropRecurrenceID) == nil {
			masters++
		}
		if c.Name == ical.CompEvent && c.Props.Get(ical.PropDateTimeStart) == nil {
			return o, refuse("valid-calendar-data", "VEVENT without DTSTART")
		}
	}
	switch {
	case o.Kind == "":
		return o, refuse("valid-calendar-object-resource", "no event, task or journal entry")
	case masters > 1:
		return o, refuse("valid-calendar-object-resource", "several components without RECURRENCE-ID")
	}
	return o, nil
}

// decode reads the first VCALENDAR of data and tells whether another follows. go-ical's decoder
// panics on some malformed lines (a parameter without value at the end of a line, found by
// FuzzParse): a panic is a refusal like any other parse error.
func decode(data []byte) (cal *ical.Calendar, more bool, err error) {
	defer func() {
		if recover() != nil {
			cal, more, err = nil, false, errors.New("malformed content line")
		}
	}()
	dec := ical.NewDecoder(bytes.NewReader(data))
	if cal, err = dec.Decode(); err != nil {
		return nil, false, err
	}
	_, err = dec.Decode()
	return cal, err == nil, nil
}
