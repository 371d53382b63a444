package caldav

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// The items the sync tests create: small, valid, with CRLF line ends as RFC 5545 and 6350 ask, and
// one UID each, so that both sides can be compared UID by UID.

const parisTZ = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n" +
	"TZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n" +
	"BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"

// vcalendar wraps components (CRLF-terminated lines, "\n" accepted and converted).
func vcalendar(body string) string {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parvis//tests vdirsyncer//FR\r\n" + body + "END:VCALENDAR\r\n"
}

// plainEvent is a one-hour UTC event on day i of 2025, far from the range khal lists.
func plainEvent(uid, summary string, i int) string {
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i%365)
	return vcalendar(fmt.Sprintf("BEGIN:VEVENT\nUID:%s\nDTSTAMP:20260101T000000Z\nDTSTART:%s\nDTEND:%s\nSUMMARY:%s\nEND:VEVENT\n",
		uid, start.Format("20060102T150405Z"), start.Add(time.Hour).Format("20060102T150405Z"), summary))
}

// task is a VTODO due on day i of 2025.
func task(uid, summary string, i int) string {
	due := time.Date(2025, 1, 1, 17, 0, 0, 0, time.UTC).AddDate(0, 0, i%365)
	return vcalendar(fmt.Sprintf("BEGIN:VTODO\nUID:%s\nDTSTAMP:20260101T000000Z\nDUE:%s\nSUMMARY:%s\nSTATUS:NEEDS-ACTION\nEND:VTODO\n",
		uid, due.Format("20060102T150405Z"), summary))
}

// card is a vCard 3.0 contact.
func card(uid, name string, i int) string {
	return strings.ReplaceAll(fmt.Sprintf("BEGIN:VCARD\nVERSION:3.0\nUID:%s\nFN:%s\nN:%s;;;;\nEMAIL;TYPE=INTERNET:contact%d@example.org\nEND:VCARD\n",
		uid, name, name, i), "\n", "\r\n")
}

// withSummary replaces the SUMMARY (or FN) line of an item: an edit.
func withSummary(item, summary string) string {
	if strings.Contains(item, "BEGIN:VCARD") {
		return fnLine.ReplaceAllString(item, "FN:"+summary+"\r\n")
	}
	return summaryLine.ReplaceAllString(item, "SUMMARY:"+summary+"\r\n")
}

var (
	uidLine     = regexp.MustCompile(`(?m)^UID:(.*?)\r?$`)
	summaryLine = regexp.MustCompile(`(?m)^SUMMARY:.*\r\n`)
	fnLine      = regexp.MustCompile(`(?m)^FN:.*\r\n`)
)

// uidOf reads the UID of an item; "" if it has none.
func uidOf(item string) string {
	m := uidLine.FindStringSubmatch(item)
	if m == nil {
		return ""
	}
	return m[1]
}
