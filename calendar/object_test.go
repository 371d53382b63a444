package calendar

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func ics(body string) []byte {
	return []byte(strings.ReplaceAll("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Parvis//test//FR\n"+body+"END:VCALENDAR\n", "\n", "\r\n"))
}

const ag = "BEGIN:VEVENT\nUID:ag-2027@example.org\nDTSTAMP:20261121T100000Z\nDTSTART;TZID=Europe/Paris:20270313T140000\n" +
	"DTEND;TZID=Europe/Paris:20270313T180000\nSUMMARY:Assemblée générale\nCATEGORIES:AG\nEND:VEVENT\n"

func TestParseRefusals(t *testing.T) {
	cases := []struct {
		name, body, cond string
	}{
		{"garbage", "BEGIN:VEVENT\nthis is not ical\n", "valid-calendar-data"},
		{"method", "METHOD:REQUEST\n" + ag, "valid-calendar-object-resource"},
		{"no component", "", "valid-calendar-object-resource"},
		{"mixed kinds", ag + "BEGIN:VTODO\nUID:ag-2027@example.org\nDTSTAMP:20261121T100000Z\nEND:VTODO\n", "valid-calendar-object-resource"},
		{"two UIDs", ag + strings.Replace(strings.Replace(ag, "ag-2027", "autre", 1), "DTSTART", "RECURRENCE-ID:20270313T140000Z\nDTSTART", 1), "valid-calendar-object-resource"},
		{"no UID", "BEGIN:VTODO\nDTSTAMP:20261121T100000Z\nEND:VTODO\n", "valid-calendar-object-resource"},
		{"no DTSTART", "BEGIN:VEVENT\nUID:x\nDTSTAMP:20261121T100000Z\nEND:VEVENT\n", "valid-calendar-data"},
		{"free-busy", "BEGIN:VFREEBUSY\nUID:x\nDTSTAMP:20261121T100000Z\nEND:VFREEBUSY\n", "supported-calendar-component"},
		{"two masters", ag + ag, "valid-calendar-object-resource"},
		{"too large", ag + "X-JUNK:" + strings.Repeat("x", MaxObjectSize) + "\n", "max-resource-size"},
	}
	for _, c := range cases {
		_, err := Parse(ics(c.body))
		var pe *PreconditionError
		if !errors.As(err, &pe) || pe.Condition != c.cond {
			t.Errorf("%s: got %v, want %s", c.name, err, c.cond)
		}
	}
}

// TestRecurrenceWithRDATE checks the pinned go-ical: the version "go get …@latest" gives ignores
// RDATE, and an extra meeting date added to a recurring "collectif" would never be found.
func TestRecurrenceWithRDATE(t *testing.T) {
	o, err := Parse(ics("BEGIN:VEVENT\nUID:collectif@example.org\nDTSTAMP:20261121T100000Z\n" +
		"DTSTART:20270104T180000Z\nDURATION:PT2H\nRRULE:FREQ=MONTHLY;COUNT=3;BYDAY=1MO\nRDATE:20270120T180000Z\nEND:VEVENT\n"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Kind != "VEVENT" || o.UID != "collectif@example.org" {
		t.Fatalf("%+v", o)
	}
	set, err := o.Calendar.Children[0].RecurrenceSet(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	got := set.Between(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), true)
	var dates []string
	for _, d := range got {
		dates = append(dates, d.Format("2006-01-02"))
	}
	if strings.Join(dates, " ") != "2027-01-04 2027-01-20 2027-02-01 2027-03-01" {
		t.Fatalf("instances %v: the RDATE must be one of them", dates)
	}
}
