package calendar

import (
	"strings"
	"testing"
	"time"

	"parvis/storage/db"
)

// TestAgendaWithoutZoneTakesTheAssociations: an event written from the pages in an agenda that has
// no calendar-timezone is in the association's zone, by its IANA name when it is not Paris (RFC 7809),
// and reads back at the hour it was written.
func TestAgendaWithoutZoneTakesTheAssociations(t *testing.T) {
	reunion, err := time.LoadLocation("Indian/Reunion")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		home      *time.Location
		tzid      string
		vtimezone bool
	}{{nil, "Europe/Paris", true}, {reunion, "Indian/Reunion", false}} {
		z := CollectionZone(db.Collection{}, c.home)
		start := time.Date(2027, 3, 6, 18, 30, 0, 0, z.Loc)
		cal := NewEventCalendar("ag-2027", time.Now())
		ApplyEvent(cal, Event{UID: "ag-2027", Summary: "AG", Start: start, End: start.Add(2 * time.Hour)}, z, time.Now())
		data, err := Encode(cal)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if !strings.Contains(s, "DTSTART;TZID="+c.tzid+":20270306T183000") || strings.Contains(s, "BEGIN:VTIMEZONE") != c.vtimezone {
			t.Fatalf("home %v: want TZID %s (VTIMEZONE %v):\n%s", c.home, c.tzid, c.vtimezone, s)
		}
		o, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		e, err := ReadEvent(o, HomeZone(time.UTC)) // read elsewhere: the TZID decides, not the reader's zone
		if err != nil || !e.Start.Equal(start) {
			t.Fatalf("home %v: read back %v, want %v (%v)", c.home, e.Start, start, err)
		}
	}
}
