package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
)

const expandParis = "BEGIN:VTIMEZONE\nTZID:Europe/Paris\nBEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19700329T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\nEND:VTIMEZONE\n"

// A weekly meeting in Paris across the change to summer time (29 March 2026): 17 March, 24 March
// cancelled, 31 March, 7 April moved to 19:00.
const expandWeekly = expandParis + "BEGIN:VEVENT\nUID:w\nDTSTAMP:20260101T000000Z\nDTSTART;TZID=Europe/Paris:20260317T183000\n" +
	"DTEND;TZID=Europe/Paris:20260317T203000\nRRULE:FREQ=WEEKLY;COUNT=4\nEXDATE;TZID=Europe/Paris:20260324T183000\nSUMMARY:Collectif\nEND:VEVENT\n" +
	"BEGIN:VEVENT\nUID:w\nDTSTAMP:20260101T000000Z\nRECURRENCE-ID;TZID=Europe/Paris:20260407T183000\nDTSTART;TZID=Europe/Paris:20260407T190000\n" +
	"DTEND;TZID=Europe/Paris:20260407T210000\nSUMMARY:Collectif déplacé\nEND:VEVENT\n"

func utcRange(s, e string) TimeRange {
	st, _ := time.Parse("20060102T150405Z", s)
	en, _ := time.Parse("20060102T150405Z", e)
	return TimeRange{Start: st, End: en}
}

// TestExpand expands objects over ranges; every expected instance was computed by hand (Paris is
// UTC+1 until 29 March 2026, UTC+2 after).
func TestExpand(t *testing.T) {
	tests := []struct {
		name, object string
		r            TimeRange
		float        *time.Location
		want         []string // per component: DTSTART DTEND RECURRENCE-ID SUMMARY, "-" when absent
	}{
		{"weekly across DST with EXDATE and an override", expandWeekly, utcRange("20260301T000000Z", "20260501T000000Z"), time.UTC, []string{
			"20260317T173000Z 20260317T193000Z 20260317T173000Z Collectif",
			"20260331T163000Z 20260331T183000Z 20260331T163000Z Collectif",
			"20260407T170000Z 20260407T190000Z 20260407T163000Z Collectif déplacé",
		}},
		{"only the instances that meet the range", expandWeekly, utcRange("20260331T180000Z", "20260407T170000Z"), time.UTC, []string{
			"20260331T163000Z 20260331T183000Z 20260331T163000Z Collectif",
		}},
		{"an instance ending at the range's start does not meet it", expandWeekly, utcRange("20260331T183000Z", "20260401T000000Z"), time.UTC, nil},
		{"yearly all-day event stays a date", "BEGIN:VEVENT\nUID:ag\nDTSTAMP:20260101T000000Z\nDTSTART;VALUE=DATE:20260620\n" +
			"DTEND;VALUE=DATE:20260621\nRRULE:FREQ=YEARLY\nSUMMARY:AG\nEND:VEVENT\n", utcRange("20270101T000000Z", "20280101T000000Z"), time.UTC,
			[]string{"20270620 20270621 20270620 AG"}},
		{"single event in UTC, no RECURRENCE-ID", expandParis + "BEGIN:VEVENT\nUID:s\nDTSTAMP:20260101T000000Z\n" +
			"DTSTART;TZID=Europe/Paris:20260710T100000\nDURATION:PT90M\nSUMMARY:Partenaires\nEND:VEVENT\n",
			utcRange("20260701T000000Z", "20260801T000000Z"), time.UTC, []string{"20260710T080000Z - - Partenaires"}},
		{"floating time read in the query's zone", "BEGIN:VEVENT\nUID:f\nDTSTAMP:20260101T000000Z\nDTSTART:20260710T100000\n" +
			"DTEND:20260710T110000\nRRULE:FREQ=DAILY;COUNT=2\nSUMMARY:Flottant\nEND:VEVENT\n", utcRange("20260711T000000Z", "20260712T000000Z"),
			mustZone("America/New_York"), []string{"20260711T140000Z 20260711T150000Z 20260711T140000Z Flottant"}},
		{"daily task: DUE moves with each instance", "BEGIN:VTODO\nUID:t\nDTSTAMP:20260101T000000Z\nDTSTART:20260601T080000Z\n" +
			"DUE:20260601T170000Z\nRRULE:FREQ=DAILY;COUNT=3\nSUMMARY:Tâche\nEND:VTODO\n", utcRange("20260602T000000Z", "20260603T000000Z"), time.UTC,
			[]string{"20260602T080000Z - 20260602T080000Z Tâche due 20260602T170000Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Parse([]byte(strings.ReplaceAll("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//y//FR\n"+tt.object+"END:VCALENDAR\n", "\n", "\r\n")))
			if err != nil {
				t.Fatal(err)
			}
			out, err := o.Expand(tt.r, tt.float)
			if err != nil {
				t.Fatal(err)
			}
			cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
			if err != nil {
				t.Fatalf("expanded data does not decode: %v\n%s", err, out)
			}
			var got []string
			for _, c := range cal.Children {
				if c.Name == ical.CompTimezone || c.Props.Get(ical.PropRecurrenceRule) != nil || c.Props.Get(ical.PropExceptionDates) != nil {
					t.Errorf("left in the expansion: %s / RRULE / EXDATE\n%s", c.Name, out)
				}
				line := val(c, ical.PropDateTimeStart) + " " + val(c, ical.PropDateTimeEnd) + " " + val(c, ical.PropRecurrenceID) + " " + val(c, ical.PropSummary)
				if due := c.Props.Get(ical.PropDue); due != nil {
					line += " due " + due.Value
				}
				got = append(got, line)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("instances:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func val(c *ical.Component, name string) string {
	if p := c.Props.Get(name); p != nil {
		return p.Value
	}
	return "-"
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
