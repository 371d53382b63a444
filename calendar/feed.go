package calendar

import (
	"bufio"
	"bytes"
	"strings"
	"unicode/utf8"
)

// A public subscription feed ("all the known dates" for people outside a group) is one iCalendar
// document made of a calendar's stored objects. It is written line by line from the bytes the
// clients stored, not re-encoded by go-ical: what subscribers get is what members wrote, and a
// component go-ical would fail to encode cannot cut the stream short. The objects were validated when
// stored, so their lines are well formed; a feed only needs to know where components begin and end.
//
// What members share with each other is not all meant for the public: objects marked CLASS:PRIVATE
// or CONFIDENTIAL are left out, and so are attendees and the organizer (members' e-mail addresses)
// and alarms (someone's reminders).

// Feed writes one iCalendar document from objects given one at a time. VTIMEZONEs are written once
// per TZID, where first met: RFC 5545 does not order a calendar's components.
type Feed struct {
	w    *bufio.Writer
	seen map[string]bool // TZIDs written
}

// NewFeed starts a document named name (the calendar's display name) on w; refresh is how often
// subscribers should poll, as an iCalendar duration (e.g. "PT1H").
func NewFeed(w *bufio.Writer, name, refresh string) *Feed {
	f := &Feed{w: w, seen: map[string]bool{}}
	for _, l := range []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Parvis//Public calendar//FR", "CALSCALE:GREGORIAN",
		"METHOD:PUBLISH", "NAME:" + escapeText(name), "X-WR-CALNAME:" + escapeText(name),
		"REFRESH-INTERVAL;VALUE=DURATION:" + refresh, "X-PUBLISHED-TTL:" + refresh} {
		f.line(l)
	}
	return f
}

// Add writes the public part of one stored object.
func (f *Feed) Add(data []byte) {
	comps := components(data)
	for _, c := range comps {
		if c.class == "PRIVATE" || c.class == "CONFIDENTIAL" {
			return
		}
	}
	for _, c := range comps {
		if c.name == "VTIMEZONE" {
			if c.tzid == "" || f.seen[c.tzid] {
				continue
			}
			f.seen[c.tzid] = true
		}
		for _, l := range c.lines {
			f.w.WriteString(l)
			f.w.WriteString("\r\n")
		}
	}
}

// Close ends the document and flushes it.
func (f *Feed) Close() error {
	f.w.WriteString("END:VCALENDAR\r\n")
	return f.w.Flush()
}

// line writes a content line, folded at 75 octets without splitting a character (RFC 5545 §3.1).
func (f *Feed) line(l string) {
	limit := 75
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		f.w.WriteString(l[:cut] + "\r\n ")
		l, limit = l[cut:], 74 // a continuation starts with the space
	}
	f.w.WriteString(l + "\r\n")
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11).
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}

// component is one child of a VCALENDAR as the physical lines that hold it, line ends removed,
// with what the public must not see already dropped.
type component struct {
	name  string // VEVENT, VTODO, VTIMEZONE…
	tzid  string // of a VTIMEZONE
	class string // CLASS, upper case
	lines []string
}

// hiddenProps are the properties of an event or a task a public feed drops: it promises the dates,
// titles and places of the meetings, not who comes, nor what is said of them inside the group (the
// description, an agenda's notes, attachments), nor the visio link that would let anyone in.
var hiddenProps = map[string]bool{"ATTENDEE": true, "ORGANIZER": true, "DESCRIPTION": true, "X-ALT-DESC": true, "URL": true,
	"CONFERENCE": true, "ATTACH": true, "COMMENT": true, "CONTACT": true}

// components splits a stored object into the components of its VCALENDAR. A folded line (one that
// starts with a space or a tab) goes with the line it continues.
func components(data []byte) []component {
	var out []component
	var cur *component
	depth, skipFrom := 0, 0 // skipFrom: depth of the VALARM being dropped, 0 if none
	dropping := false       // the current logical line is dropped, and so are its continuations
	for _, raw := range bytes.Split(data, []byte("\n")) {
		l := string(bytes.TrimSuffix(raw, []byte("\r")))
		if l == "" {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			if cur != nil && !dropping && skipFrom == 0 {
				cur.lines = append(cur.lines, l)
			}
			continue
		}
		name, value := nameValue(l)
		dropping = false
		switch {
		case name == "BEGIN":
			depth++
			if depth == 2 {
				cur = &component{name: strings.ToUpper(value)}
			} else if depth > 2 && skipFrom == 0 && strings.EqualFold(value, "VALARM") {
				skipFrom = depth
			}
		case name == "END" && depth == skipFrom:
			skipFrom, depth, dropping = 0, depth-1, true
			continue
		case depth == 2 && hiddenProps[name]:
			dropping = true
		case depth == 2 && name == "TZID":
			cur.tzid = value
		case depth == 2 && name == "CLASS":
			cur.class = strings.ToUpper(value)
		}
		if cur != nil && !dropping && skipFrom == 0 {
			cur.lines = append(cur.lines, l)
		}
		if name == "END" {
			if depth == 2 && cur != nil {
				out = append(out, *cur)
				cur = nil
			}
			depth--
		}
	}
	return out
}

// nameValue splits a content line into its upper-cased name and its value (after the first colon
// outside a quoted parameter value).
func nameValue(l string) (string, string) {
	end := strings.IndexAny(l, ";:")
	if end < 0 {
		return strings.ToUpper(l), ""
	}
	quoted := false
	for i := end; i < len(l); i++ {
		switch l[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return strings.ToUpper(l[:end]), l[i+1:]
			}
		}
	}
	return strings.ToUpper(l[:end]), ""
}
