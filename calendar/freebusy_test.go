package calendar

import (
	"strings"
	"testing"
	"time"
)

// TestBusyPeriods computes the free-busy of a week (1–8 June 2026, UTC) from a few events; every
// expected period was worked out by hand (Paris is UTC+2 in June).
func TestBusyPeriods(t *testing.T) {
	week := utcRange("20260601T000000Z", "20260608T000000Z")
	tests := []struct {
		name, event string
		want        []string
	}{
		{"daily meeting in Paris, 3 instances, one cancelled by EXDATE", "DTSTART;TZID=Europe/Paris:20260602T090000\n" +
			"DTEND;TZID=Europe/Paris:20260602T100000\nRRULE:FREQ=DAILY;COUNT=3\nEXDATE;TZID=Europe/Paris:20260603T090000\n",
			[]string{"BUSY 20260602T070000Z/20260602T080000Z", "BUSY 20260604T070000Z/20260604T080000Z"}},
		{"transparent: free", "DTSTART:20260602T090000Z\nDTEND:20260602T100000Z\nTRANSP:TRANSPARENT\n", nil},
		{"cancelled: free", "DTSTART:20260602T090000Z\nDTEND:20260602T100000Z\nSTATUS:CANCELLED\n", nil},
		{"tentative", "DTSTART:20260602T090000Z\nDTEND:20260602T100000Z\nSTATUS:TENTATIVE\n", []string{"BUSY-TENTATIVE 20260602T090000Z/20260602T100000Z"}},
		{"clipped to the range", "DTSTART:20260531T220000Z\nDTEND:20260601T020000Z\n", []string{"BUSY 20260601T000000Z/20260601T020000Z"}},
		{"instant: free", "DTSTART:20260602T090000Z\n", nil},
		{"all-day, read in UTC", "DTSTART;VALUE=DATE:20260605\n", []string{"BUSY 20260605T000000Z/20260606T000000Z"}},
		{"outside the range", "DTSTART:20260610T090000Z\nDTEND:20260610T100000Z\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Parse([]byte(strings.ReplaceAll("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//y//FR\n"+expandParis+
				"BEGIN:VEVENT\nUID:fb\nDTSTAMP:20260101T000000Z\n"+tt.event+"END:VEVENT\nEND:VCALENDAR\n", "\n", "\r\n")))
			if err != nil {
				t.Fatal(err)
			}
			ps, err := o.BusyPeriods(week, time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			if got := periodStrings(MergePeriods(ps)); got != strings.Join(tt.want, "\n") {
				t.Errorf("busy:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestMergePeriods joins overlapping and touching periods of one type, never of two types.
func TestMergePeriods(t *testing.T) {
	p := func(s, e, typ string) Period {
		r := utcRange(s, e)
		return Period{Start: r.Start, End: r.End, Type: typ}
	}
	got := MergePeriods([]Period{
		p("20260601T100000Z", "20260601T110000Z", Busy),
		p("20260601T090000Z", "20260601T100000Z", Busy), // touches the first
		p("20260601T103000Z", "20260601T120000Z", BusyTentative),
		p("20260601T105000Z", "20260601T113000Z", Busy), // overlaps
		p("20260601T140000Z", "20260601T150000Z", Busy),
	})
	want := "BUSY 20260601T090000Z/20260601T113000Z\nBUSY-TENTATIVE 20260601T103000Z/20260601T120000Z\nBUSY 20260601T140000Z/20260601T150000Z"
	if s := periodStrings(got); s != want {
		t.Errorf("merged:\n%s\nwant:\n%s", s, want)
	}
}

func periodStrings(ps []Period) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Type+" "+p.Start.Format("20060102T150405Z")+"/"+p.End.Format("20060102T150405Z"))
	}
	return strings.Join(out, "\n")
}
