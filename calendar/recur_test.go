package calendar

import (
	"math"
	"testing"
	"time"
)

// The expectations below are computed by hand. Europe/Paris changes to summer time on Sunday
// 28 March 2027: a Monday 18:00 meeting is at 17:00Z before that day and at 16:00Z after it.

const tzParis = "BEGIN:VTIMEZONE\nTZID:Europe/Paris\nBEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19700329T020000\nTZOFFSETFROM:+0100\n" +
	"TZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\nEND:VTIMEZONE\n"

// collectif: every Monday 18:00–20:00 Paris time from 22 March 2027, except 29 March and 5 April,
// with the 12 April meeting moved to Tuesday 13 April 09:00–10:00, and an extra one on Thursday
// 15 April 2027.
const collectif = tzParis + "BEGIN:VEVENT\nUID:collectif\nDTSTAMP:20261121T100000Z\n" +
	"DTSTART;TZID=Europe/Paris:20270322T180000\nDTEND;TZID=Europe/Paris:20270322T200000\n" +
	"RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20270531T220000Z\n" +
	"EXDATE;TZID=Europe/Paris:20270329T180000,20270405T180000\nRDATE;TZID=Europe/Paris:20270415T180000\nEND:VEVENT\n" +
	"BEGIN:VEVENT\nUID:collectif\nDTSTAMP:20261121T100000Z\nRECURRENCE-ID;TZID=Europe/Paris:20270412T180000\n" +
	"DTSTART;TZID=Europe/Paris:20270413T090000\nDTEND;TZID=Europe/Paris:20270413T100000\nSUMMARY:moved\nEND:VEVENT\n"

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04Z", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEventTimeRange(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	cases := []struct {
		name, body string
		from, to   string
		float      *time.Location
		want       bool
	}{
		{"first instance, CET", collectif, "2027-03-22T18:30Z", "2027-03-22T19:00Z", time.UTC, true},
		{"after the first instance ends (19:00Z)", collectif, "2027-03-22T19:00Z", "2027-03-22T20:00Z", time.UTC, false},
		{"excluded 29 March", collectif, "2027-03-29T00:00Z", "2027-03-30T00:00Z", time.UTC, false},
		{"excluded 5 April (second EXDATE value)", collectif, "2027-04-05T00:00Z", "2027-04-06T00:00Z", time.UTC, false},
		{"CEST instance ends at 18:00Z: range starting 17:30Z", collectif, "2027-04-19T17:30Z", "2027-04-19T17:45Z", time.UTC, true},
		{"CEST instance starts 16:00Z: range ending 16:00Z", collectif, "2027-04-19T15:00Z", "2027-04-19T16:00Z", time.UTC, false},
		{"overridden 12 April is gone", collectif, "2027-04-12T16:00Z", "2027-04-12T18:00Z", time.UTC, false},
		{"override on 13 April 07:00Z", collectif, "2027-04-13T07:30Z", "2027-04-13T07:45Z", time.UTC, true},
		{"RDATE 15 April", collectif, "2027-04-15T16:30Z", "2027-04-15T16:31Z", time.UTC, true},
		{"after UNTIL", collectif, "2027-06-07T00:00Z", "2027-06-08T00:00Z", time.UTC, false},
		{"last instance 31 May", collectif, "2027-05-31T16:00Z", "2027-05-31T17:00Z", time.UTC, true},
		{"all-day, UTC reader, last hour", allDay, "2027-03-14T23:00Z", "2027-03-15T00:00Z", time.UTC, true},
		{"all-day, UTC reader, next day", allDay, "2027-03-15T00:00Z", "2027-03-15T01:00Z", time.UTC, false},
		{"all-day, Paris reader, ends 23:00Z", allDay, "2027-03-14T23:00Z", "2027-03-15T00:00Z", paris, false},
		{"all-day, Paris reader, starts 13 March 23:00Z", allDay, "2027-03-13T23:00Z", "2027-03-13T23:30Z", paris, true},
		{"floating, UTC reader", floating, "2027-06-01T10:30Z", "2027-06-01T11:00Z", time.UTC, true},
		{"floating, Paris reader (08:00Z)", floating, "2027-06-01T10:30Z", "2027-06-01T11:00Z", paris, false},
		{"instant at the range start", instant, "2027-06-01T10:00Z", "2027-06-01T10:01Z", time.UTC, true},
		{"instant at the range end", instant, "2027-06-01T09:00Z", "2027-06-01T10:00Z", time.UTC, false},
		{"endless daily, years later", endless, "2031-01-01T07:30Z", "2031-01-01T07:31Z", time.UTC, true},
		{"endless daily, before DTSTART", endless, "2026-01-01T00:00Z", "2026-12-31T00:00Z", time.UTC, false},
	}
	for _, c := range cases {
		o, err := Parse(ics(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := o.InRange(o.Kind, TimeRange{utc(c.from), utc(c.to)}, c.float)
		if err != nil || got != c.want {
			t.Errorf("%s: got %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

const (
	allDay   = "BEGIN:VEVENT\nUID:ad\nDTSTAMP:20261121T100000Z\nDTSTART;VALUE=DATE:20270314\nDTEND;VALUE=DATE:20270315\nEND:VEVENT\n"
	floating = "BEGIN:VEVENT\nUID:fl\nDTSTAMP:20261121T100000Z\nDTSTART:20270601T100000\nDURATION:PT1H\nEND:VEVENT\n"
	instant  = "BEGIN:VEVENT\nUID:in\nDTSTAMP:20261121T100000Z\nDTSTART:20270601T100000Z\nEND:VEVENT\n"
	endless  = "BEGIN:VEVENT\nUID:en\nDTSTAMP:20261121T100000Z\nDTSTART;TZID=Europe/Paris:20270101T083000\nDURATION:PT15M\nRRULE:FREQ=DAILY\nEND:VEVENT\n"
)

func todo(props string) string {
	return "BEGIN:VTODO\nUID:t\nDTSTAMP:20261121T100000Z\n" + props + "END:VTODO\n"
}

func TestTodoTimeRange(t *testing.T) {
	cases := []struct {
		name, body, from, to string
		want                 bool
	}{
		{"due only, range ending at DUE", todo("DUE:20270501T120000Z\n"), "2027-05-01T11:00Z", "2027-05-01T12:00Z", true},
		{"due only, range starting at DUE", todo("DUE:20270501T120000Z\n"), "2027-05-01T12:00Z", "2027-05-01T13:00Z", false},
		{"start and due, range inside", todo("DTSTART:20270501T080000Z\nDUE:20270503T080000Z\n"), "2027-05-02T00:00Z", "2027-05-02T01:00Z", true},
		{"start and due, range after", todo("DTSTART:20270501T080000Z\nDUE:20270503T080000Z\n"), "2027-05-03T09:00Z", "2027-05-04T00:00Z", false},
		{"start and duration", todo("DTSTART:20270501T080000Z\nDURATION:PT2H\n"), "2027-05-01T10:00Z", "2027-05-01T11:00Z", true},
		{"start only, before it", todo("DTSTART:20270501T080000Z\n"), "2027-05-01T07:00Z", "2027-05-01T08:00Z", false},
		{"start only, at it", todo("DTSTART:20270501T080000Z\n"), "2027-05-01T08:00Z", "2027-05-01T09:00Z", true},
		{"completed only", todo("COMPLETED:20270502T100000Z\n"), "2027-05-02T00:00Z", "2027-05-03T00:00Z", true},
		{"completed and created, range between", todo("CREATED:20270101T000000Z\nCOMPLETED:20270601T000000Z\n"), "2027-03-01T00:00Z", "2027-03-02T00:00Z", true},
		{"completed and created, range after", todo("CREATED:20270101T000000Z\nCOMPLETED:20270601T000000Z\n"), "2027-07-01T00:00Z", "2027-07-02T00:00Z", false},
		{"created only, later range", todo("CREATED:20270101T000000Z\n"), "2030-01-01T00:00Z", "2030-01-02T00:00Z", true},
		{"created only, earlier range", todo("CREATED:20270101T000000Z\n"), "2026-01-01T00:00Z", "2026-01-02T00:00Z", false},
		{"no dates at all", todo(""), "2026-01-01T00:00Z", "2026-01-02T00:00Z", true},
		{"monthly task, third instance", todo("DTSTART:20270105T090000Z\nDUE:20270105T170000Z\nRRULE:FREQ=MONTHLY;COUNT=3\n"), "2027-03-05T12:00Z", "2027-03-05T13:00Z", true},
		{"monthly task, after COUNT", todo("DTSTART:20270105T090000Z\nDUE:20270105T170000Z\nRRULE:FREQ=MONTHLY;COUNT=3\n"), "2027-04-05T12:00Z", "2027-04-05T13:00Z", false},
	}
	for _, c := range cases {
		o, err := Parse(ics(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := o.InRange(o.Kind, TimeRange{utc(c.from), utc(c.to)}, time.UTC)
		if err != nil || got != c.want {
			t.Errorf("%s: got %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

func TestWindow(t *testing.T) {
	slack := int64(floatingSlack / time.Second)
	cases := []struct {
		name       string
		body       string
		start, end int64
		unbounded  bool
	}{
		{"bounded weekly: 22 March 17:00Z to 31 May 18:00Z", collectif, utc("2027-03-22T17:00Z").Unix(), utc("2027-05-31T18:00Z").Unix(), false},
		{"endless daily", endless, utc("2027-01-01T07:30Z").Unix(), math.MaxInt64, true},
		{"all-day, widened", allDay, utc("2027-03-14T00:00Z").Unix() - slack, utc("2027-03-15T00:00Z").Unix() + slack, false},
		{"task due only", todo("DUE:20270501T120000Z\n"), utc("2027-05-01T12:00Z").Unix(), utc("2027-05-01T12:00Z").Unix(), false},
	}
	for _, c := range cases {
		o, err := Parse(ics(c.body))
		if err != nil {
			t.Fatal(err)
		}
		w := o.Window()
		if w.Start != c.start || w.End != c.end || w.Unbounded != c.unbounded {
			t.Errorf("%s: window %+v, want {%d %d %v}", c.name, w, c.start, c.end, c.unbounded)
		}
	}
}
