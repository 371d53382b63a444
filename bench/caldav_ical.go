package main

import (
	"fmt"
	"strings"
	"time"
)

// The CalDAV workload's events: N meetings spread over the year calYear,
// in a pseudo-random order of dates so that creation order is not date
// order. One in ten is a weekly series (26 weeks) with DTSTART in
// Europe/Paris and the VTIMEZONE a client sends with it; the others are
// one-hour meetings in UTC. Every event starts between 08:00 and 18:45
// (local or UTC), so an instance never crosses a UTC midnight and the
// month query's expected result can be computed from dates alone.
const (
	calYear      = 2026
	recurEvery   = 10 // event i is a weekly series when i%recurEvery == 0
	recurWeeks   = 26 // COUNT of the weekly series
	calQueryFrom = "20260601T000000Z"
	calQueryTo   = "20260701T000000Z"
)

// queryMonth is the [from, to) range of the month query, as days of calYear
// counted from 0 (June 1st 2026 is day 151).
var queryMonth = [2]int{dayOfYear(time.June, 1), dayOfYear(time.July, 1)}

func dayOfYear(m time.Month, d int) int {
	return time.Date(calYear, m, d, 0, 0, 0, 0, time.UTC).YearDay() - 1
}

// eventDay returns the day of calYear (from 0) on which event i (of n)
// starts; 7919 is prime, so consecutive events land on scattered days.
func eventDay(i int) int { return (i * 7919) % 365 }

// eventName is the resource name of event i, below the calendar's URL: its
// UID and ".ics", as Apple Calendar and DAVx⁵ name them (and as Radicale
// names the objects of a whole calendar PUT at once).
func eventName(run string, i int) string { return eventUID(run, i) + ".ics" }

// eventUID is the UID of event i: unique per run and per event.
func eventUID(run string, i int) string { return fmt.Sprintf("bench-%s-%05d", run, i) }

// parisTZ is the VTIMEZONE sent with Europe/Paris times, as Thunderbird and
// Apple Calendar send it.
const parisTZ = "BEGIN:VTIMEZONE\r\n" +
	"TZID:Europe/Paris\r\n" +
	"BEGIN:DAYLIGHT\r\n" +
	"TZOFFSETFROM:+0100\r\n" +
	"TZOFFSETTO:+0200\r\n" +
	"TZNAME:CEST\r\n" +
	"DTSTART:19700329T020000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n" +
	"END:DAYLIGHT\r\n" +
	"BEGIN:STANDARD\r\n" +
	"TZOFFSETFROM:+0200\r\n" +
	"TZOFFSETTO:+0100\r\n" +
	"TZNAME:CET\r\n" +
	"DTSTART:19701025T030000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n" +
	"END:STANDARD\r\n" +
	"END:VTIMEZONE\r\n"

var eventKinds = []string{"COLLECTIF", "AG", "AUTRE"}

// eventICS returns event i's iCalendar object, with CRLF line endings and
// no line longer than 75 octets. seq > 0 gives the edited version the
// incremental-sync rows PUT (new SEQUENCE and SUMMARY).
func eventICS(run string, i, seq int) []byte {
	day := time.Date(calYear, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, eventDay(i))
	start := day.Add(time.Duration(8+i%10)*time.Hour + time.Duration(i%4*15)*time.Minute)
	end := start.Add(time.Hour)
	var b strings.Builder
	line := func(format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		if len(s) > 75 {
			panic("bench: iCalendar line too long: " + s)
		}
		b.WriteString(s + "\r\n")
	}
	recurring := i%recurEvery == 0
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Parvis//bench 1.0//FR")
	line("CALSCALE:GREGORIAN")
	if recurring {
		b.WriteString(parisTZ)
	}
	line("BEGIN:VEVENT")
	line("UID:%s", eventUID(run, i))
	line("DTSTAMP:%04d0101T000000Z", calYear)
	line("CREATED:%04d0101T000000Z", calYear)
	if seq > 0 {
		line("LAST-MODIFIED:%04d0102T%02d%02d%02dZ", calYear, seq/3600%24, seq/60%60, seq%60)
	}
	line("SEQUENCE:%d", seq)
	if recurring {
		const local = "20060102T150405"
		line("DTSTART;TZID=Europe/Paris:%s", start.Format(local))
		line("DTEND;TZID=Europe/Paris:%s", end.Format(local))
		line("RRULE:FREQ=WEEKLY;COUNT=%d", recurWeeks)
	} else {
		const utc = "20060102T150405Z"
		line("DTSTART:%s", start.Format(utc))
		line("DTEND:%s", end.Format(utc))
	}
	kind := eventKinds[i%len(eventKinds)]
	if seq > 0 {
		line("SUMMARY:Réunion %d (%s), modifiée %d", i, strings.ToLower(kind), seq)
	} else {
		line("SUMMARY:Réunion %d (%s)", i, strings.ToLower(kind))
	}
	line("CATEGORIES:%s", kind)
	line("LOCATION:Salle des fêtes\\, 12 rue de la Mairie")
	line("URL:https://visio.example.org/reunion-%d", i)
	line("DESCRIPTION:Ordre du jour : point financier\\, adhésions\\, calendrier")
	line("  des prochaines actions\\, questions diverses.") // folded: one space is dropped
	line("STATUS:CONFIRMED")
	line("TRANSP:OPAQUE")
	line("END:VEVENT")
	line("END:VCALENDAR")
	return []byte(b.String())
}

// monthMatches counts the events among the first n that have an instance
// in the query month.
func monthMatches(n int) int {
	count := 0
	for i := range n {
		d, weeks := eventDay(i), 1
		if i%recurEvery == 0 {
			weeks = recurWeeks
		}
		for k := range weeks {
			if dd := d + 7*k; dd >= queryMonth[0] && dd < queryMonth[1] {
				count++
				break
			}
		}
	}
	return count
}

// bulkICS returns events [0, n) as one iCalendar stream (one VCALENDAR, the
// VTIMEZONE once), as a whole calendar is uploaded or exported.
func bulkICS(run string, n int) []byte {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parvis//bench 1.0//FR\r\nCALSCALE:GREGORIAN\r\n")
	b.WriteString(parisTZ)
	for i := range n {
		s := string(eventICS(run, i, 0))
		s = s[strings.Index(s, "BEGIN:VEVENT\r\n"):strings.Index(s, "END:VCALENDAR\r\n")]
		b.WriteString(s)
	}
	b.WriteString("END:VCALENDAR\r\n")
	return []byte(b.String())
}
