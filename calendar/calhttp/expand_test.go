package calhttp

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

const weeklyParis = "BEGIN:VTIMEZONE\nTZID:Europe/Paris\nBEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19700329T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\nEND:VTIMEZONE\n" +
	"BEGIN:VEVENT\nUID:weekly\nDTSTAMP:20260101T000000Z\nDTSTART;TZID=Europe/Paris:20260317T183000\nDTEND;TZID=Europe/Paris:20260317T203000\n" +
	"RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE;TZID=Europe/Paris:20260324T183000\nSUMMARY:Collectif\nEND:VEVENT\n"

var dtstartRE = regexp.MustCompile(`DTSTART:(\d{8}T\d{6}Z)`)

// TestExpandReports asks calendar-query and calendar-multiget for expanded data: the weekly
// meeting's instances in UTC, by hand: 17 March 17:30Z, (24 excluded), 31 March and 7 April 16:30Z
// (summer time from 29 March).
func TestExpandReports(t *testing.T) {
	f := newFixture(t)
	agenda := f.home("alice", "calendars") + "atelier~agenda/"
	f.expect(f.do("alice", "PUT", agenda+"weekly.ics", vcal(weeklyParis)), http.StatusCreated)
	f.expect(f.do("alice", "PUT", agenda+"single.ics", event("single", "20260318T090000Z", "20260318T100000Z", "SUMMARY:Seul\n")), http.StatusCreated)
	data := func(start, end string) string {
		return `<D:prop><C:calendar-data><C:expand start="` + start + `" end="` + end + `"/></C:calendar-data></D:prop>`
	}
	query := `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">` + data("20260325T000000Z", "20260501T000000Z") +
		`<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20260325T000000Z" end="20260501T000000Z"/>` +
		`</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`
	body := f.expect(f.do("alice", "REPORT", agenda, query, "Depth", "1"), http.StatusMultiStatus, "RECURRENCE-ID:20260331T163000Z")
	if got := starts(body); got != "20260331T163000Z 20260407T163000Z" || strings.Contains(body, "RRULE") || strings.Contains(body, "VTIMEZONE") ||
		strings.Contains(body, "single.ics") {
		t.Errorf("calendar-query expanded %q:\n%s", got, body)
	}
	multiget := `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">` + data("20260301T000000Z", "20260320T000000Z") +
		`<D:href>` + agenda + `weekly.ics</D:href><D:href>` + agenda + `single.ics</D:href></C:calendar-multiget>`
	body = f.expect(f.do("alice", "REPORT", agenda, multiget, "Depth", "1"), http.StatusMultiStatus)
	if got := starts(body); got != "20260317T173000Z 20260318T090000Z" {
		t.Errorf("multiget expanded %q:\n%s", got, body)
	}
	bad := strings.Replace(multiget, ` end="20260320T000000Z"`, "", 1)
	f.expect(f.do("alice", "REPORT", agenda, bad, "Depth", "1"), http.StatusBadRequest)
}

func starts(body string) string {
	var out []string
	for _, m := range dtstartRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, " ")
}

// TestFreeBusyQuery asks the free-busy of a week of the agenda; by hand: the weekly meeting on 17
// March 17:30–19:30Z, the tentative event 18 March 09:00–10:00Z, the cancelled and transparent ones
// not at all.
func TestFreeBusyQuery(t *testing.T) {
	f := newFixture(t)
	agenda := f.home("alice", "calendars") + "atelier~agenda/"
	f.expect(f.do("alice", "PUT", agenda+"weekly.ics", vcal(weeklyParis)), http.StatusCreated)
	for uid, extra := range map[string]string{"tentative": "STATUS:TENTATIVE\n", "cancelled": "STATUS:CANCELLED\n", "free": "TRANSP:TRANSPARENT\n"} {
		f.expect(f.do("alice", "PUT", agenda+uid+".ics", event(uid, "20260318T090000Z", "20260318T100000Z", extra)), http.StatusCreated)
	}
	fbq := func(attrs string) string {
		return `<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range ` + attrs + `/></C:free-busy-query>`
	}
	w := f.do("gaston", "REPORT", f.home("gaston", "calendars")+"atelier~agenda/", fbq(`start="20260316T000000Z" end="20260323T000000Z"`), "Depth", "1")
	body := f.expect(w, http.StatusOK)
	lines := []string{"BEGIN:VFREEBUSY\r\n", "DTSTAMP:", "\r\nDTSTART:20260316T000000Z\r\n", "\r\nDTEND:20260323T000000Z\r\n",
		"\r\nFREEBUSY;FBTYPE=BUSY:20260317T173000Z/20260317T193000Z\r\nFREEBUSY;FBTYPE=BUSY-TENTATIVE:20260318T090000Z/20260318T100000Z\r\n"}
	for _, l := range lines {
		if !strings.Contains(body, l) {
			t.Errorf("free-busy lacks %q:\n%s", l, body)
		}
	}
	if strings.Count(body, "FREEBUSY;") != 2 || w.Header().Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Errorf("free-busy:\n%s", body)
	}
	f.expect(f.do("alice", "REPORT", agenda, fbq(`start="20260316T000000Z"`), "Depth", "1"), http.StatusBadRequest)
	f.expect(f.do("bob", "REPORT", agenda, fbq(`start="20260316T000000Z" end="20260323T000000Z"`), "Depth", "1"), http.StatusNotFound)
}
