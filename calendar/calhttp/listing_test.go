package calhttp

import (
	"net/http"
	"strings"
	"testing"
)

// TestListingQuery: the clients' listing query (a comp-filter on the kind only) is answered from the
// stored component; the other filters still go through the matcher. The calendar holds an event with
// a VTIMEZONE, an event without, and a task.
func TestListingQuery(t *testing.T) {
	f := newFixture(t)
	cal := f.home("alice", "calendars") + "mixte/"
	mk := `<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:supported-calendar-component-set>` +
		`<C:comp name="VEVENT"/><C:comp name="VTODO"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`
	f.expect(f.do("alice", "MKCALENDAR", cal, mk), http.StatusCreated)
	f.expect(f.do("alice", "PUT", cal+"custom.ics", vcal(parisCustomTZ+"BEGIN:VEVENT\nUID:cu\nDTSTAMP:20261121T100000Z\n"+
		"DTSTART;TZID=Paris custom:20270601T140000\nEND:VEVENT\n")), http.StatusCreated)
	f.expect(f.do("alice", "PUT", cal+"plain.ics", event("pl", "20270601T100000Z", "20270601T110000Z", "")), http.StatusCreated)
	f.expect(f.do("alice", "PUT", cal+"task.ics", vcal("BEGIN:VTODO\nUID:t\nDTSTAMP:20261121T100000Z\nSUMMARY:Tâche\nEND:VTODO\n")), http.StatusCreated)
	query := func(filter string) string {
		return `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
			`<C:filter><C:comp-filter name="VCALENDAR">` + filter + `</C:comp-filter></C:filter></C:calendar-query>`
	}
	cases := []struct {
		name, filter string
		want         []string
	}{
		{"events", `<C:comp-filter name="VEVENT"/>`, []string{"custom.ics", "plain.ics"}},
		{"tasks", `<C:comp-filter name="VTODO"/>`, []string{"task.ics"}},
		{"journal entries", `<C:comp-filter name="VJOURNAL"/>`, nil},
		{"everything", ``, []string{"custom.ics", "plain.ics", "task.ics"}},
		{"objects with a VTIMEZONE (matcher)", `<C:comp-filter name="VTIMEZONE"/>`, []string{"custom.ics"}},
		{"objects without events (matcher)", `<C:comp-filter name="VEVENT"><C:is-not-defined/></C:comp-filter>`, []string{"task.ics"}},
	}
	for _, c := range cases {
		out := f.expect(f.do("alice", "REPORT", cal, query(c.filter), "Depth", "1"), http.StatusMultiStatus)
		got := strings.Count(out, "<D:response>")
		for _, w := range c.want {
			if !strings.Contains(out, w+"</D:href>") {
				got = -1
			}
		}
		if got != len(c.want) || len(c.want) > 0 && !strings.Contains(out, "BEGIN:VCALENDAR") {
			t.Errorf("%s: want %v:\n%s", c.name, c.want, out)
		}
	}
}
