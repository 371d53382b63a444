package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestPatternRoundTrip(t *testing.T) {
	p := newPattern([]byte("0123456789"))
	data, err := io.ReadAll(p.reader(25))
	if err != nil || string(data) != "0123456789012345678901234" {
		t.Fatalf("reader = %q, %v", data, err)
	}
	if n, err := p.verify(bytes.NewReader(data)); n != 25 || err != nil {
		t.Fatalf("verify = %d, %v", n, err)
	}
	data[13] = 'x'
	if _, err := p.verify(bytes.NewReader(data)); err == nil {
		t.Fatal("verify accepted corrupted content")
	}
}

func TestCountResponses(t *testing.T) {
	body := `<?xml version="1.0"?><a:multistatus xmlns:a="DAV:"><a:response/><a:response/>` +
		`<x:response xmlns:x="urn:other"/></a:multistatus>`
	if n, err := countResponses([]byte(body)); n != 2 || err != nil {
		t.Fatalf("countResponses = %d, %v", n, err)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	if p := percentile(d, 99); p != 99 {
		t.Errorf("p99 = %d, want 99", p)
	}
	if p := percentile(d, 50); p != 50 {
		t.Errorf("p50 = %d, want 50", p)
	}
}

func TestParallelStopsAtFirstError(t *testing.T) {
	boom := errors.New("boom")
	_, _, err := parallel(context.Background(), 1000, 4, func(ctx context.Context, i int) error {
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}

func TestFormatting(t *testing.T) {
	for _, c := range []struct {
		c    cell
		unit string
		want string
	}{
		{cell{Value: 12700.4}, "ops/s", "12,700"},
		{cell{Value: 86.04}, "ms", "86.0"},
		{cell{Value: 3.456}, "ms", "3.46"},
		{cell{Value: 123.4}, "MiB", "123.4"},
		{cell{Err: "x"}, "ms", "failed: x"},
	} {
		if got := formatCell(c.c, c.unit); got != c.want {
			t.Errorf("formatCell(%v, %s) = %q, want %q", c.c, c.unit, got, c.want)
		}
	}
	if got := mdEscape("a | b\nc", 90); got != "a / b c" {
		t.Errorf("mdEscape = %q", got)
	}
	if got := newConfig(false).rows(); !strings.Contains(got[6].Label, "1 GiB") {
		t.Errorf("big row label = %q", got[6].Label)
	}
}

func TestEventICS(t *testing.T) {
	uids := map[string]bool{}
	for i := range 200 {
		for _, seq := range []int{0, 3} {
			data := string(eventICS("run1", i, seq))
			if strings.Contains(strings.ReplaceAll(data, "\r\n", ""), "\n") || !strings.HasSuffix(data, "END:VCALENDAR\r\n") {
				t.Fatalf("event %d: lines not ended by CRLF:\n%q", i, data)
			}
			for _, l := range strings.Split(strings.TrimSuffix(data, "\r\n"), "\r\n") {
				if len(l) > 75 {
					t.Errorf("event %d: line of %d octets: %q", i, len(l), l)
				}
			}
			if (i%recurEvery == 0) != strings.Contains(data, "RRULE:FREQ=WEEKLY") {
				t.Errorf("event %d: recurrence wrong", i)
			}
			if seq == 0 {
				uids[eventUID("run1", i)] = true
			}
		}
	}
	if len(uids) != 200 {
		t.Errorf("%d distinct UIDs for 200 events", len(uids))
	}
	bulk := string(bulkICS("run1", 20))
	if strings.Count(bulk, "BEGIN:VEVENT") != 20 || strings.Count(bulk, "BEGIN:VTIMEZONE") != 1 ||
		strings.Count(bulk, "BEGIN:VCALENDAR") != 1 {
		t.Errorf("bulkICS: wrong structure")
	}
}

func TestMonthMatches(t *testing.T) {
	// Event 0 is a series from January 1st whose 26th week falls on June 25th.
	if got := monthMatches(1); got != 1 {
		t.Errorf("monthMatches(1) = %d, want 1", got)
	}
	// Independently: walk each event's instances as dates.
	n, want := 5000, 0
	for i := range n {
		start := time.Date(calYear, time.January, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, eventDay(i))
		weeks := 1
		if i%recurEvery == 0 {
			weeks = recurWeeks
		}
		for k := range weeks {
			if d := start.AddDate(0, 0, 7*k); d.Year() == calYear && d.Month() == time.June {
				want++
				break
			}
		}
	}
	if got := monthMatches(n); got != want || want < 400 {
		t.Errorf("monthMatches(%d) = %d, want %d", n, got, want)
	}
}

func TestFormatRatio(t *testing.T) {
	for v, want := range map[float64]string{283.1: "283", 1.234: "1.23", 0.044: "0.044", 0.0021: "0.0021", 0.5: "0.50"} {
		if got := formatRatio(v); got != want {
			t.Errorf("formatRatio(%v) = %q, want %q", v, got, want)
		}
	}
}
