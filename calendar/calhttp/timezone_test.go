package calhttp

import (
	"net/http"
	"strings"
	"testing"
)

// parisCustomTZ mirrors Europe/Paris under a TZID no database knows: the server must read it from
// the VTIMEZONE itself.
var parisCustomTZ = strings.ReplaceAll(weeklyParis[:strings.Index(weeklyParis, "BEGIN:VEVENT")], "TZID:Europe/Paris", "TZID:Paris custom")

// TestFloatingTimesUseCalendarTimezone: with calendar-timezone "Paris custom" (summer: +02:00), the
// floating event 1 June 2027 10:00–11:00 is 08:00–09:00Z in queries, expand, multiget and free-busy;
// a query's own CALDAV:timezone (UTC here) overrides the collection's (RFC 4791 §7.3). An event in
// "Paris custom" 14:00–15:00 is 12:00–13:00Z whatever the reader's zone. Expectations by hand.
func TestFloatingTimesUseCalendarTimezone(t *testing.T) {
	f := newFixture(t)
	agenda := f.home("alice", "calendars") + "atelier~agenda/"
	patch := `<D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:calendar-timezone>` +
		vcal(parisCustomTZ) + `</C:calendar-timezone></D:prop></D:set></D:propertyupdate>`
	f.expect(f.do("alice", "PROPPATCH", agenda, patch), http.StatusMultiStatus, "HTTP/1.1 200 OK")
	f.expect(f.do("alice", "PUT", agenda+"floating.ics", event("fl", "20270601T100000", "20270601T110000", "")), http.StatusCreated)
	custom := vcal(parisCustomTZ + "BEGIN:VEVENT\nUID:cu\nDTSTAMP:20261121T100000Z\nDTSTART;TZID=Paris custom:20270601T140000\n" +
		"DTEND;TZID=Paris custom:20270601T150000\nEND:VEVENT\n")
	f.expect(f.do("alice", "PUT", agenda+"custom.ics", custom), http.StatusCreated)

	utcTZ := `<C:timezone>` + vcal("BEGIN:VTIMEZONE\nTZID:UTC\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0000\nTZOFFSETTO:+0000\nEND:STANDARD\nEND:VTIMEZONE\n") + `</C:timezone>`
	cases := []struct {
		name, start, end, tz string
		want                 []string
	}{
		{"floating at 08:00Z in the calendar's zone", "20270601T083000Z", "20270601T084000Z", "", []string{"floating.ics"}},
		{"not at 10:00Z", "20270601T103000Z", "20270601T104000Z", "", nil},
		{"the query's zone (UTC) wins", "20270601T103000Z", "20270601T104000Z", utcTZ, []string{"floating.ics"}},
		{"custom TZID at 12:00Z", "20270601T123000Z", "20270601T124000Z", "", []string{"custom.ics"}},
		{"custom TZID at 12:00Z, UTC reader", "20270601T123000Z", "20270601T124000Z", utcTZ, []string{"custom.ics"}},
		{"custom TZID not at 14:00Z", "20270601T140000Z", "20270601T150000Z", "", nil},
	}
	for _, c := range cases {
		q := strings.Replace(queryBody("VEVENT", c.start, c.end), "</C:filter>", "</C:filter>"+c.tz, 1)
		out := f.expect(f.do("alice", "REPORT", agenda, q, "Depth", "1"), http.StatusMultiStatus)
		if n := strings.Count(out, "<D:response>"); n != len(c.want) || len(c.want) == 1 && !strings.Contains(out, c.want[0]) {
			t.Errorf("%s: want %v:\n%s", c.name, c.want, out)
		}
	}

	expand := `<D:prop><C:calendar-data><C:expand start="20270601T000000Z" end="20270602T000000Z"/></C:calendar-data></D:prop>`
	query := `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">` + expand +
		`<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20270601T000000Z" end="20270602T000000Z"/>` +
		`</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`
	body := f.expect(f.do("alice", "REPORT", agenda, query, "Depth", "1"), http.StatusMultiStatus)
	if got := starts(body); got != "20270601T120000Z 20270601T080000Z" {
		t.Errorf("calendar-query expanded %q:\n%s", got, body)
	}
	multiget := `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">` + expand +
		`<D:href>` + agenda + `floating.ics</D:href></C:calendar-multiget>`
	body = f.expect(f.do("alice", "REPORT", agenda, multiget, "Depth", "1"), http.StatusMultiStatus)
	if got := starts(body); got != "20270601T080000Z" {
		t.Errorf("multiget expanded %q:\n%s", got, body)
	}
	fbq := `<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20270601T000000Z" end="20270602T000000Z"/></C:free-busy-query>`
	f.expect(f.do("alice", "REPORT", agenda, fbq, "Depth", "1"), http.StatusOK,
		"FREEBUSY;FBTYPE=BUSY:20270601T080000Z/20270601T090000Z\r\nFREEBUSY;FBTYPE=BUSY:20270601T120000Z/20270601T130000Z\r\n")
}
