package calendar

import (
	"testing"
	"time"
)

// FuzzParse feeds arbitrary bytes to the iCalendar input path: validation, the index window and the
// time-range matcher must never panic, and whatever Parse accepts has a kind and a UID.
func FuzzParse(f *testing.F) {
	f.Add(ics(collectif))
	f.Add(ics(allDay))
	f.Add(ics(todo("DTSTART:20270501T080000Z\nDUE:20270503T080000Z\nRRULE:FREQ=DAILY;COUNT=3\n")))
	f.Add(ics("BEGIN:VEVENT\nUID:x\nDTSTART;TZID=Romance Standard Time:20270101T100000\nEXDATE:20270101T100000,bad\nEND:VEVENT\n"))
	f.Add([]byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
	f.Add(ics(customCollectif))
	f.Add(ics(summerUntil2027 + garbageEvent(garbageSecondly)))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := Parse(data)
		if err != nil {
			return
		}
		if o.Kind == "" || o.UID == "" {
			t.Fatalf("accepted an object without kind or UID: %+v", o)
		}
		o.Window()
		o.InRange(o.Kind, TimeRange{Start: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}, time.UTC)
	})
}

// FuzzParseCard does the same for vCards.
func FuzzParseCard(f *testing.F) {
	f.Add([]byte("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c1\r\nFN:Anne\r\nEND:VCARD\r\n"))
	f.Add([]byte("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Sans UID\r\nEND:VCARD\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCard(data)
		if err == nil && c.UID == "" {
			t.Fatal("accepted a vCard without UID")
		}
	})
}
