package meeting

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// Attendance: after a meeting (an AG above all, where who came decides the quorum), the secretary
// records who came in person, who by visio, who was excused and who was absent. The record is
// written on the event itself, beside each attendee's answer (calendar.SetAttendance), so that it
// travels with the meeting and its minutes start from it; nobody is mailed for it.

// errAttendance refuses a mark that is not an attendance, or for someone the meeting did not invite.
var errAttendance = fmt.Errorf("%w: attendance is in person, by visio, excused or absent, for someone invited", access.ErrInvalid)

// Attendance is a meeting's attendance as its page shows it.
type Attendance struct {
	Event  calendar.Scheduled
	At     time.Time // the start, in the agenda's zone
	People []calendar.Party
}

// Count is how many were recorded with mode.
func (a Attendance) Count(mode string) int {
	n := 0
	for _, p := range a.People {
		if p.Attended == mode {
			n++
		}
	}
	return n
}

// MeetingAttendance lists the people a meeting of g's agenda invited — its attendees and those
// invited through a group, each once, by name — with their answer and attendance. Whoever reads
// the agenda reads it.
func (s *Service) MeetingAttendance(ctx context.Context, g access.Grant, uid string) (Attendance, error) {
	if err := g.Allow(access.CalendarRead, ""); err != nil {
		return Attendance{}, err
	}
	r := s.db.R(ctx)
	coll, o, err := agendaEvent(r, g.Group, uid)
	if err != nil {
		return Attendance{}, err
	}
	ev, ok := calendar.ReadScheduled(o.Data)
	if !ok {
		return Attendance{}, access.ErrNoAccess // no ORGANIZER, nobody invited: no attendance to take
	}
	a := Attendance{Event: ev, At: s.startIn(coll, ev)}
	seen := map[string]bool{}
	for _, p := range ev.Listed {
		if !p.Group && !seen[strings.ToLower(p.Address)] {
			seen[strings.ToLower(p.Address)] = true
			a.People = append(a.People, p)
		}
	}
	invs, err := r.Invitations(coll.ID, uid)
	if err != nil {
		return a, err
	}
	for _, inv := range invs {
		if !seen[strings.ToLower(inv.Address)] && inv.CancelledAt.IsZero() {
			seen[strings.ToLower(inv.Address)] = true
			a.People = append(a.People, calendar.Party{Address: inv.Address, Email: inv.Email, Name: inv.Name, PartStat: inv.PartStat, Member: inv.Via})
		}
	}
	col := collate.New(language.French, collate.IgnoreCase)
	slices.SortStableFunc(a.People, func(x, y calendar.Party) int { return col.CompareString(displayName(x), displayName(y)) })
	return a, nil
}

func displayName(p calendar.Party) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}

// RecordAttendance writes the attendance of a meeting, by calendar address (a mode of
// calendar.AttendanceModes, or "" to take a record off), as one change of its event, audited:
// an AG's quorum is read from it. Members record it, as they write the minutes.
func (s *Service) RecordAttendance(ctx context.Context, by db.Person, g access.Grant, uid string, marks map[string]string) error {
	if err := g.Allow(access.MinutesWrite, ""); err != nil {
		return err
	}
	for _, m := range marks {
		if m != "" && !slices.Contains(calendar.AttendanceModes, m) {
			return errAttendance
		}
	}
	current, err := s.MeetingAttendance(ctx, g, uid)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		coll, o, err := agendaEvent(tx.R(), g.Group, uid)
		if err != nil {
			return err
		}
		data, changed := o.Data, 0
		for addr, mode := range marks {
			i := slices.IndexFunc(current.People, func(p calendar.Party) bool { return strings.EqualFold(p.Address, addr) })
			if i < 0 {
				return errAttendance
			}
			var edited bool
			if data, edited, err = calendar.SetAttendance(data, current.People[i], mode); err != nil {
				return err
			}
			if edited {
				changed++
			}
			current.People[i].Attended = mode
		}
		if changed == 0 {
			return nil
		}
		if _, err := calendar.PutIn(tx, coll, o.Name, data, calendar.Edit{}); err != nil {
			return err
		}
		detail := fmt.Sprintf("%q: %d in person, %d by visio, %d excused, %d absent", current.Event.Summary,
			current.Count(calendar.AttendedInPerson), current.Count(calendar.AttendedRemote),
			current.Count(calendar.AttendedExcused), current.Count(calendar.AttendedAbsent))
		return tx.Audit(audit(by, "meeting.attendance", g.Group.Slug+" "+uid, detail))
	})
}

// agendaEvent reads an event of the group's agenda by UID, with its content; access.ErrNoAccess
// when there is none.
func agendaEvent(r db.Read, g db.Group, uid string) (db.Collection, db.Object, error) {
	coll, err := r.Collection(g.ID, 0, db.KindCalendar, "agenda")
	if err != nil {
		return coll, db.Object{}, err
	}
	o, err := r.ObjectByUID(coll.ID, uid)
	if errors.Is(err, db.ErrNotFound) {
		return coll, o, access.ErrNoAccess
	} else if err != nil {
		return coll, o, err
	}
	o, err = r.Object(coll.ID, o.Name)
	return coll, o, err
}
