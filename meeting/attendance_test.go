package meeting

import (
	"context"
	"errors"
	"strings"
	"testing"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// TestAttendance: the attendance of an AG lists its attendees and the people invited through the
// group, each once; a member records who came in person, by visio, excused, without mailing
// anyone; the record is on the event, audited, and the minutes start from it; guests only read
// it; a mode or a person the meeting does not know is refused and nothing changes.
func TestAttendance(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	coll := w.agenda(t)
	members := access.Audience{Group: "collectif", Least: db.RoleMember}.Address()
	ics := strings.Replace(string(groupICS("ag", w.anim.Email, members)), "BEGIN:VALARM", "ATTENDEE;CN=Partenaire;PARTSTAT=ACCEPTED:mailto:ext@partenaire.example\r\nBEGIN:VALARM", 1)
	if err := w.putter(coll)(w.anim, "ag.ics", []byte(ics)); err != nil {
		t.Fatal(err)
	}
	a, err := w.s.MeetingAttendance(ctx, w.gGuest, "ag")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range a.People {
		names = append(names, displayName(p))
	}
	if got := strings.Join(names, ","); got != "ana,bob,Partenaire" {
		t.Fatalf("attendance lists %q, want ana,bob,Partenaire (the members through the group, the partner)", got)
	}

	mark := w.sent.mark()
	marks := map[string]string{"mailto:" + w.bob.Email: calendar.AttendedInPerson, "mailto:" + w.ana.Email: calendar.AttendedRemote,
		"mailto:ext@partenaire.example": calendar.AttendedExcused}
	if err := w.s.RecordAttendance(ctx, w.guest, w.gGuest, "ag", marks); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a guest recorded the attendance: %v", err)
	}
	for _, bad := range []map[string]string{{"mailto:" + w.bob.Email: "PRESENT"}, {"mailto:inconnu@example.org": calendar.AttendedInPerson}} {
		if err := w.s.RecordAttendance(ctx, w.ana, w.gAna, "ag", bad); !errors.Is(err, access.ErrInvalid) {
			t.Fatalf("%v recorded: %v", bad, err)
		}
	}
	if err := w.s.RecordAttendance(ctx, w.ana, w.gAna, "ag", marks); err != nil {
		t.Fatal(err)
	}
	if n := w.sent.mark() - mark; n != 0 {
		t.Fatalf("recording the attendance mailed %d people", n)
	}
	o, _ := w.d.R(ctx).Object(coll.ID, "ag.ics")
	ev, _ := calendar.ReadScheduled(o.Data)
	got := map[string]string{}
	for _, p := range ev.Listed {
		got[p.Address] = p.Attended
	}
	for addr, mode := range marks {
		if got[addr] != mode {
			t.Fatalf("%s recorded as %q, want %q:\n%s", addr, got[addr], mode, o.Data)
		}
	}
	log, _ := w.d.R(ctx).AuditLog(5)
	if len(log) == 0 || log[0].Action != "meeting.attendance" || !strings.Contains(log[0].Detail, "1 in person, 1 by visio, 1 excused") {
		t.Fatalf("the attendance is not audited: %+v", log)
	}
	d, err := w.s.Template(ctx, w.gAna, Of{Event: "ag"}, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Body, "bob, ana (en visio)") || !strings.Contains(d.Body, "Partenaire") || d.Title != "Collectif" {
		t.Fatalf("minutes do not start from the attendance: %q\n%s", d.Title, d.Body)
	}
	m, err := w.s.StartMinutes(ctx, w.ana, w.gAna, Of{Event: "ag"}, d)
	if err != nil || m.EventUID != "ag" {
		t.Fatalf("minutes of the event: %+v %v", m, err)
	}
	if _, err := w.s.StartMinutes(ctx, w.ana, w.gAna, Of{Event: "ailleurs"}, d); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("minutes of an event the agenda lacks: %v", err)
	}
}
