package calhttp

import (
	"net/http"
	"testing"
)

// FuzzReport sends arbitrary REPORT bodies through the whole handler: no panic, and nothing but a
// multistatus or a client error comes back.
func FuzzReport(f *testing.F) {
	f.Add(syncBody(""))
	f.Add(queryBody("VEVENT", "20270101T000000Z", "20270201T000000Z"))
	f.Add(`<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><D:href>/dav/calendars/1/agenda/x.ics</D:href></C:calendar-multiget>`)
	f.Add(`<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="SUMMARY"><C:text-match collation="i;octet" negate-condition="yes">x</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`)
	// go-ical panicked on this line inside a query's time zone; it must come back as a refusal.
	f.Add(`<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:filter><C:comp-filter name="VCALENDAR"/></C:filter><C:timezone>0;0=</C:timezone></C:calendar-query>`)
	f.Add(`<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20270101T000000Z" end="20270201T000000Z"/></C:free-busy-query>`)
	f.Add(`<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data><C:expand start="20270101T000000Z" end="20270201T000000Z"/></C:calendar-data></D:prop><D:href>/dav/calendars/1/agenda/e.ics</D:href></C:calendar-multiget>`)
	fx := newFixture(f)
	agenda := fx.home("alice", "calendars") + "agenda/"
	fx.do("alice", "PUT", agenda+"e.ics", event("e", "20270110T100000Z", "20270110T110000Z", "RRULE:FREQ=DAILY;COUNT=40\n"))
	f.Fuzz(func(t *testing.T, body string) {
		fx.t = t
		w := fx.do("alice", "REPORT", agenda, body)
		// 200 is the free-busy answer, a text/calendar document.
		if w.Code != http.StatusMultiStatus && w.Code != http.StatusOK && (w.Code < 400 || w.Code >= 500) {
			t.Fatalf("status %d for %q", w.Code, body)
		}
	})
}

// FuzzPut sends arbitrary bodies as calendar objects: whatever is refused leaves nothing stored.
func FuzzPut(f *testing.F) {
	f.Add(event("a", "20270101T100000Z", "20270101T110000Z", ""))
	f.Add("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	fx := newFixture(f)
	agenda := fx.home("alice", "calendars") + "agenda/"
	f.Fuzz(func(t *testing.T, body string) {
		fx.t = t
		w := fx.do("alice", "PUT", agenda+"f.ics", body)
		switch {
		case w.Code == http.StatusCreated || w.Code == http.StatusNoContent:
			if got := fx.do("alice", "GET", agenda+"f.ics", ""); got.Body.String() != body {
				t.Fatalf("stored bytes differ")
			}
			fx.do("alice", "DELETE", agenda+"f.ics", "")
		case w.Code == http.StatusForbidden || w.Code == http.StatusBadRequest:
			if got := fx.do("alice", "GET", agenda+"f.ics", ""); got.Code != http.StatusNotFound {
				t.Fatalf("refused body was stored: %d", got.Code)
			}
		default:
			t.Fatalf("status %d", w.Code)
		}
	})
}

// FuzzAddressbookReport does the same on an address book: addressbook-query and multiget.
func FuzzAddressbookReport(f *testing.F) {
	f.Add(`<A:addressbook-query xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav"><D:prop><A:address-data/></D:prop><A:filter test="allof"><A:prop-filter name="EMAIL" test="anyof"><A:text-match match-type="ends-with">.org</A:text-match><A:param-filter name="TYPE"><A:is-not-defined/></A:param-filter></A:prop-filter></A:filter><A:limit><A:nresults>1</A:nresults></A:limit></A:addressbook-query>`)
	fx := newFixture(f)
	book := fx.home("alice", "addressbooks") + "contacts/"
	fx.do("alice", "PUT", book+"c.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c\r\nFN:Anne\r\nEMAIL;TYPE=work:anne@example.org\r\nEND:VCARD\r\n")
	f.Fuzz(func(t *testing.T, body string) {
		fx.t = t
		w := fx.do("alice", "REPORT", book, body)
		if w.Code != http.StatusMultiStatus && (w.Code < 400 || w.Code >= 500) {
			t.Fatalf("status %d for %q", w.Code, body)
		}
	})
}
