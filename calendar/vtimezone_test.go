package calendar

import (
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"parvis/storage/db"
)

// parisCustom is Europe/Paris's VTIMEZONE under a TZID no database knows.
var parisCustom = strings.ReplaceAll(tzParis, "TZID:Europe/Paris", "TZID:Paris custom")

const (
	// fixedIndia is a single observance at +05:30.
	fixedIndia = "BEGIN:VTIMEZONE\nTZID:Bureau Pune\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0530\n" +
		"TZOFFSETTO:+0530\nTZNAME:IST\nEND:STANDARD\nEND:VTIMEZONE\n"
	// summerUntil2027 keeps summer time in 2026 and 2027 only: its DAYLIGHT rule's UNTIL is exactly
	// the 2027 onset (28 March 02:00 at +0100 = 01:00Z), which must still count.
	summerUntil2027 = "BEGIN:VTIMEZONE\nTZID:Deux étés\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\n" +
		"TZOFFSETTO:+0100\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:20260329T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n" +
		"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;UNTIL=20270328T010000Z\nEND:DAYLIGHT\nBEGIN:STANDARD\nDTSTART:20261025T030000\n" +
		"TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nEND:VTIMEZONE\n"
	garbageOffset = "BEGIN:VTIMEZONE\nTZID:Garbage\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\n" +
		"TZOFFSETTO:soon\nEND:STANDARD\nEND:VTIMEZONE\n"
	garbageSecondly = "BEGIN:VTIMEZONE\nTZID:Garbage\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\n" +
		"TZOFFSETTO:+0200\nRRULE:FREQ=SECONDLY\nEND:STANDARD\nEND:VTIMEZONE\n"
	garbageEmpty = "BEGIN:VTIMEZONE\nTZID:Garbage\nEND:VTIMEZONE\n"
	// garbagePanic has a rule rrule-go accepts and then panics on (found by FuzzParse).
	garbagePanic = "BEGIN:VTIMEZONE\nTZID:Garbage\nBEGIN:STANDARD\nDTSTART:20261025T030000\nTZOFFSETFROM:+0200\n" +
		"TZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=20SA\nEND:STANDARD\nEND:VTIMEZONE\n"
)

// vtz decodes the first VTIMEZONE of a calendar made of body.
func vtz(t *testing.T, body string) *ical.Component {
	t.Helper()
	cal, _, err := decode(ics(body + "BEGIN:VEVENT\nUID:x\nDTSTAMP:20261121T100000Z\nDTSTART:20270101T000000Z\nEND:VEVENT\n"))
	if err != nil {
		t.Fatal(err)
	}
	return cal.Children[0]
}

// TestVTimezoneMirrorsParis compares the zone "Paris custom" defines with the IANA Europe/Paris at
// every hour of 2026–2028 (six DST changes).
func TestVTimezoneMirrorsParis(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	loc, err := vtimezoneLocation(vtz(t, parisCustom))
	if err != nil {
		t.Fatal(err)
	}
	for at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 2029; at = at.Add(time.Hour) {
		_, want := at.In(paris).Zone()
		if _, got := at.In(loc).Zone(); got != want {
			t.Fatalf("%v: offset %d, Europe/Paris %d", at, got, want)
		}
	}
}

// TestVTimezoneWallClocks reads local times in VTIMEZONE-defined zones; expectations by hand.
func TestVTimezoneWallClocks(t *testing.T) {
	cases := []struct {
		name, vtz, local, want string
	}{
		{"Paris custom, winter (+1)", parisCustom, "20270115T120000", "2027-01-15T11:00Z"},
		{"Paris custom, last minute of winter", parisCustom, "20270328T015900", "2027-03-28T00:59Z"},
		{"Paris custom, first hour of summer", parisCustom, "20270328T030000", "2027-03-28T01:00Z"},
		{"Paris custom, summer (+2)", parisCustom, "20270701T120000", "2027-07-01T10:00Z"},
		{"Paris custom, 31 Oct 01:30 still summer", parisCustom, "20271031T013000", "2027-10-30T23:30Z"},
		{"Paris custom, 31 Oct 03:30 winter again", parisCustom, "20271031T033000", "2027-10-31T02:30Z"},
		{"fixed +05:30", fixedIndia, "20270601T100000", "2027-06-01T04:30Z"},
		{"UNTIL: summer 2026", summerUntil2027, "20260701T120000", "2026-07-01T10:00Z"},
		{"UNTIL: summer 2027, onset at UNTIL counts", summerUntil2027, "20270701T120000", "2027-07-01T10:00Z"},
		{"UNTIL: no summer 2028", summerUntil2027, "20280701T120000", "2028-07-01T11:00Z"},
	}
	for _, c := range cases {
		loc, err := vtimezoneLocation(vtz(t, c.vtz))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := time.ParseInLocation("20060102T150405", c.local, loc)
		if err != nil || !got.Equal(utc(c.want)) {
			t.Errorf("%s: %v (%v), want %s", c.name, got.UTC(), err, c.want)
		}
	}
}

func TestVTimezoneGarbage(t *testing.T) {
	for _, body := range []string{garbageOffset, garbageSecondly, garbageEmpty, garbagePanic} {
		if loc, err := vtimezoneLocation(vtz(t, body)); err == nil {
			t.Errorf("%q: built %v", body, loc)
		}
	}
}

// customCollectif is the collectif series of recur_test.go in "Paris custom": every result must be the
// one computed for Europe/Paris.
var customCollectif = strings.ReplaceAll(collectif, "Europe/Paris", "Paris custom")

func garbageEvent(vtz string) string {
	return vtz + "BEGIN:VEVENT\nUID:g\nDTSTAMP:20261121T100000Z\nDTSTART;TZID=Garbage:20270601T100000\nDURATION:PT1H\nEND:VEVENT\n"
}

func TestVTimezoneEvents(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	cases := []struct {
		name, body string
		from, to   string
		float      *time.Location
		want       bool
	}{
		{"first instance, CET (17:00–19:00Z)", customCollectif, "2027-03-22T18:30Z", "2027-03-22T19:00Z", time.UTC, true},
		{"after the first instance ends", customCollectif, "2027-03-22T19:00Z", "2027-03-22T20:00Z", time.UTC, false},
		{"CEST instance ends at 18:00Z", customCollectif, "2027-04-19T17:30Z", "2027-04-19T17:45Z", time.UTC, true},
		{"CEST instance starts at 16:00Z", customCollectif, "2027-04-19T15:00Z", "2027-04-19T16:00Z", time.UTC, false},
		{"override on 13 April 07:00Z", customCollectif, "2027-04-13T07:30Z", "2027-04-13T07:45Z", time.UTC, true},
		{"overridden 12 April is gone", customCollectif, "2027-04-12T16:00Z", "2027-04-12T18:00Z", time.UTC, false},
		{"EXDATE 5 April", customCollectif, "2027-04-05T00:00Z", "2027-04-06T00:00Z", time.UTC, false},
		{"not floating: a Paris reader sees the same", customCollectif, "2027-03-22T18:30Z", "2027-03-22T19:00Z", paris, true},
		{"fixed +05:30: 10:00 is 04:30Z", fixedIndia + "BEGIN:VEVENT\nUID:p\nDTSTAMP:20261121T100000Z\nDTSTART;TZID=Bureau Pune:20270601T100000\nDURATION:PT1H\nEND:VEVENT\n", "2027-06-01T04:30Z", "2027-06-01T04:31Z", time.UTC, true},
		{"garbage TZID reads floating, UTC reader", garbageEvent(garbageOffset), "2027-06-01T10:30Z", "2027-06-01T10:31Z", time.UTC, true},
		{"garbage TZID reads floating, Paris reader (08:00Z)", garbageEvent(garbageSecondly), "2027-06-01T10:30Z", "2027-06-01T10:31Z", paris, false},
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

// TestVTimezoneWindow: a VTIMEZONE-defined zone gives the exact window Europe/Paris gives, not the
// widened floating one; a garbage one the widened floating window.
func TestVTimezoneWindow(t *testing.T) {
	slack := int64(floatingSlack / time.Second)
	cases := []struct {
		name       string
		body       string
		start, end int64
	}{
		{"Paris custom: 22 March 17:00Z to 31 May 18:00Z", customCollectif, utc("2027-03-22T17:00Z").Unix(), utc("2027-05-31T18:00Z").Unix()},
		{"garbage: 10:00–11:00 floating, widened", garbageEvent(garbageEmpty), utc("2027-06-01T10:00Z").Unix() - slack, utc("2027-06-01T11:00Z").Unix() + slack},
		{"rule that panics rrule-go: floating, widened", garbageEvent(garbagePanic), utc("2027-06-01T10:00Z").Unix() - slack, utc("2027-06-01T11:00Z").Unix() + slack},
	}
	for _, c := range cases {
		o, err := Parse(ics(c.body))
		if err != nil {
			t.Fatal(err)
		}
		if w := o.Window(); w.Start != c.start || w.End != c.end || w.Unbounded {
			t.Errorf("%s: window %+v, want {%d %d false}", c.name, w, c.start, c.end)
		}
	}
}

// TestVTimezoneExpandAndBusy: expand writes the instances in UTC, free-busy blocks them, both read
// through the object's own VTIMEZONE.
func TestVTimezoneExpandAndBusy(t *testing.T) {
	o, err := Parse(ics(customCollectif))
	if err != nil {
		t.Fatal(err)
	}
	week := TimeRange{utc("2027-04-19T00:00Z"), utc("2027-04-26T00:00Z")}
	out, err := o.Expand(week, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(out); !strings.Contains(s, "DTSTART:20270419T160000Z") || !strings.Contains(s, "DTEND:20270419T180000Z") ||
		strings.Count(s, "BEGIN:VEVENT") != 1 {
		t.Errorf("expand of 19–26 April:\n%s", s)
	}
	ps, err := o.BusyPeriods(week, time.UTC)
	want := Period{Start: utc("2027-04-19T16:00Z"), End: utc("2027-04-19T18:00Z"), Type: Busy}
	if err != nil || len(ps) != 1 || ps[0] != want {
		t.Errorf("busy: %v, %v; want [%v]", ps, err, want)
	}
}

func TestTimezoneLocation(t *testing.T) {
	wrap := func(v string) string { return string(ics(v)) }
	cases := []struct {
		name, vcal string
		local      string
		want       string // "" when the zone is not usable
	}{
		{"IANA name", wrap(tzParis), "20270701T120000", "2027-07-01T10:00Z"},
		{"defined by its VTIMEZONE", wrap(parisCustom), "20270701T120000", "2027-07-01T10:00Z"},
		{"garbage", wrap(garbageEmpty), "", ""},
		{"not iCalendar", "hello", "", ""},
	}
	for _, c := range cases {
		loc, ok := TimezoneLocation(c.vcal)
		if ok != (c.want != "") {
			t.Errorf("%s: ok %v", c.name, ok)
			continue
		}
		if !ok {
			continue
		}
		if got, _ := time.ParseInLocation("20060102T150405", c.local, loc); !got.Equal(utc(c.want)) {
			t.Errorf("%s: %v, want %s", c.name, got.UTC(), c.want)
		}
	}
}

// TestRecurrencePanicIsAnError: an event whose RRULE makes rrule-go panic (BYDAY=20SA in a yearly
// rule) is indexed everywhere and matches nothing, without panicking.
func TestRecurrencePanicIsAnError(t *testing.T) {
	o, err := Parse(ics("BEGIN:VEVENT\nUID:x\nDTSTAMP:20261121T100000Z\nDTSTART:20261025T030000Z\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=20SA\nEND:VEVENT\n"))
	if err != nil {
		t.Fatal(err)
	}
	if w := o.Window(); w != db.Everywhere {
		t.Errorf("window %+v, want Everywhere", w)
	}
	if ok, err := o.InRange(o.Kind, TimeRange{Start: utc("2026-10-25T00:00Z")}, time.UTC); ok || err == nil {
		t.Errorf("InRange: %v, %v; want false and an error", ok, err)
	}
	if _, err := o.BusyPeriods(TimeRange{utc("2026-10-25T00:00Z"), utc("2026-10-26T00:00Z")}, time.UTC); err == nil {
		t.Error("BusyPeriods: no error")
	}
}
