package calendar

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// alarmEvent is an event of 10:00–11:00 UTC on 2016-06-01 whose alarm lines are given.
func alarmEvent(t *testing.T, rrule string, alarm ...string) Object {
	t.Helper()
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VEVENT", "UID:a@x", "DTSTAMP:20160101T000000Z",
		"DTSTART:20160601T100000Z", "DTEND:20160601T110000Z", "SUMMARY:Collectif"}
	if rrule != "" {
		lines = append(lines, rrule)
	}
	lines = append(lines, "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:rappel")
	lines = append(lines, alarm...)
	lines = append(lines, "END:VALARM", "END:VEVENT", "END:VCALENDAR", "")
	o, err := Parse([]byte(strings.Join(lines, "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// basicUTC reads an iCalendar UTC date-time, as a time-range attribute writes it.
func basicUTC(s string) time.Time {
	v, err := time.Parse("20060102T150405Z", s)
	if err != nil {
		panic(err)
	}
	return v
}

// alarmQuery is comp-filter VCALENDAR > VEVENT > VALARM with a time-range.
func alarmQuery(start, end string) CompFilter {
	r := &TimeRange{Start: basicUTC(start), End: basicUTC(end)}
	return CompFilter{Name: "VCALENDAR", Comps: []CompFilter{{Name: "VEVENT", Comps: []CompFilter{{Name: "VALARM", TimeRange: r}}}}}
}

// TestAlarmTimeRange: a time-range in a VALARM comp-filter is about when the alarm triggers (RFC
// 4791 §9.9): relative to each instance's start or end, absolute, with its repetitions.
func TestAlarmTimeRange(t *testing.T) {
	cases := []struct {
		name, rrule string
		alarm       []string
		start, end  string
		want        bool
	}{
		{"15 minutes before, range holding the trigger", "", []string{"TRIGGER:-PT15M"}, "20160601T094000Z", "20160601T095000Z", true},
		{"15 minutes before, range holding the event only", "", []string{"TRIGGER:-PT15M"}, "20160601T100000Z", "20160601T103000Z", false},
		{"a range years before", "", []string{"TRIGGER:-PT15M"}, "20150101T000000Z", "20150102T000000Z", false},
		{"the trigger is the range's end (exclusive)", "", []string{"TRIGGER:-PT15M"}, "20160601T090000Z", "20160601T094500Z", false},
		{"the trigger is the range's start (inclusive)", "", []string{"TRIGGER:-PT15M"}, "20160601T094500Z", "20160601T095000Z", true},
		{"related to the end", "", []string{"TRIGGER;RELATED=END:PT5M"}, "20160601T110000Z", "20160601T111000Z", true},
		{"absolute", "", []string{"TRIGGER;VALUE=DATE-TIME:20160530T080000Z"}, "20160530T000000Z", "20160531T000000Z", true},
		{"absolute, range on the event's day", "", []string{"TRIGGER;VALUE=DATE-TIME:20160530T080000Z"}, "20160601T000000Z", "20160602T000000Z", false},
		{"repeated, third trigger", "", []string{"TRIGGER:-PT30M", "REPEAT:2", "DURATION:PT10M"}, "20160601T095000Z", "20160601T095500Z", true},
		{"weekly, a later instance's alarm", "RRULE:FREQ=WEEKLY;COUNT=10", []string{"TRIGGER:-PT15M"}, "20160706T094000Z", "20160706T095000Z", true},
		{"weekly, between two alarms", "RRULE:FREQ=WEEKLY;COUNT=10", []string{"TRIGGER:-PT15M"}, "20160702T000000Z", "20160706T094000Z", false},
		{"a day before, for an instance next day", "RRULE:FREQ=DAILY;COUNT=3", []string{"TRIGGER:-P1D"}, "20160602T095000Z", "20160602T100100Z", true},
	}
	for _, c := range cases {
		o := alarmEvent(t, c.rrule, c.alarm...)
		got, err := o.Matches(alarmQuery(c.start, c.end), time.UTC)
		if err != nil || got != c.want {
			t.Errorf("%s: %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	noAlarm, _ := Parse([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:b@x\r\nDTSTAMP:20160101T000000Z\r\n" +
		"DTSTART:20160601T100000Z\r\nDTEND:20160601T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	if got, _ := noAlarm.Matches(alarmQuery("20160101T000000Z", "20170101T000000Z"), time.UTC); got {
		t.Error("an event without an alarm matches an alarm time-range")
	}
}

// TestFrequentOldEventStillShows: the cap on instances counts from the queried range, so an event
// every minute since 2020 still shows in a week of 2027 (it used to vanish once its first 100,000
// occurrences were behind), and expanding a day of a per-second event is refused rather than
// built in memory.
func TestFrequentOldEventStillShows(t *testing.T) {
	o, err := Parse([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:m@x\r\nDTSTAMP:20200101T000000Z\r\n" +
		"DTSTART:20200101T000000Z\r\nDURATION:PT30S\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	day := TimeRange{Start: basicUTC("20210601T000000Z"), End: basicUTC("20210601T010000Z")}
	ins, err := o.Instances(day, time.UTC)
	if err != nil || len(ins) != 60 {
		t.Fatalf("an hour of 2021: %d instances, %v; want 60", len(ins), err)
	}
	if ok, err := o.InRange("VEVENT", day, time.UTC); err != nil || !ok {
		t.Fatalf("the event is not in that hour: %v %v", ok, err)
	}
	sec, _ := Parse([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:s@x\r\nDTSTAMP:20270101T000000Z\r\n" +
		"DTSTART:20270101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	if _, err := sec.Expand(TimeRange{Start: basicUTC("20270101T000000Z"), End: basicUTC("20270102T000000Z")}, time.UTC); !errors.Is(err, ErrTooManyInstances) {
		t.Fatalf("expanding a day of a per-second event: %v, want ErrTooManyInstances", err)
	}
}

// TestFrequentEventsNeverVanish: a rule of a fixed period is started near the queried range, so
// a per-second event begun two months before still has its 60 instances in a minute (stepping
// over 5 million occurrences used to stop and drop it); a COUNT is spent by the occurrences
// passed; and a quarter-hourly meeting in Paris time keeps its beat across the changes of summer
// time, instance for instance as the rule read from its start gives them.
func TestFrequentEventsNeverVanish(t *testing.T) {
	event := func(body string) Object {
		o, err := Parse([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + strings.ReplaceAll(tzParis, "\n", "\r\n") +
			"BEGIN:VEVENT\r\nUID:f@x\r\nDTSTAMP:20270101T000000Z\r\n" + body + "END:VEVENT\r\nEND:VCALENDAR\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	minute := TimeRange{Start: basicUTC("20270301T120000Z"), End: basicUTC("20270301T120100Z")}
	sec := event("DTSTART:20270101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY\r\n")
	ins, err := sec.Instances(minute, time.UTC)
	if err != nil || len(ins) != 60 || !ins[0].Start.Equal(minute.Start) {
		t.Fatalf("a minute of a per-second event begun two months before: %d instances, %v", len(ins), err)
	}
	if ok, err := sec.InRange("VEVENT", minute, time.UTC); err != nil || !ok {
		t.Fatalf("the per-second event is not in that minute: %v %v", ok, err)
	}

	counted := event("DTSTART:20270101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY;COUNT=3000000\r\n") // ends 4 February, 17:20
	if ins, err := counted.Instances(minute, time.UTC); err != nil || len(ins) != 0 {
		t.Fatalf("after its COUNT ran out: %d instances, %v", len(ins), err)
	}
	last := TimeRange{Start: basicUTC("20270204T171958Z"), End: basicUTC("20270204T172010Z")}
	if ins, err := counted.Instances(last, time.UTC); err != nil || len(ins) != 2 {
		t.Fatalf("the last seconds of its COUNT: %d instances, %v; want 2", len(ins), err)
	}

	quarter := event("DTSTART;TZID=Europe/Paris:20200101T090000\r\nDURATION:PT5M\r\nRRULE:FREQ=MINUTELY;INTERVAL=15\r\n")
	for _, day := range []string{"20270328", "20271031", "20270615"} { // the two changes of 2027, and a summer day
		// (on 28 March the rule, read in wall-clock time, gives 03:00–03:45 twice: as it always did)
		r := TimeRange{Start: basicUTC(day + "T000000Z"), End: basicUTC(day + "T060000Z")}
		got, err := quarter.Instances(r, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		e, err := expand(quarter, "VEVENT", zones{}, eventSpan)
		if err != nil {
			t.Fatal(err)
		}
		want := e.set.Between(r.Start.Add(-5*time.Minute), r.End, false)
		slices.SortFunc(got, func(a, b Instance) int { return a.Start.Compare(b.Start) })
		slices.SortFunc(want, time.Time.Compare)
		if len(got) != len(want) {
			t.Fatalf("%s: %d instances, the rule read from its start gives %d: %v", day, len(got), len(want), want)
		}
		for i := range got {
			if !got[i].Start.Equal(want[i]) {
				t.Fatalf("%s: instance %d at %s, the rule read from its start says %s", day, i, got[i].Start, want[i])
			}
		}
	}
}
