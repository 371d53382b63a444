package calhttp

import (
	"net/http"
	"strings"
	"testing"
)

func TestPutGetConditionsAndRefusals(t *testing.T) {
	f := newFixture(t)
	agenda := f.home("alice", "calendars") + "atelier~agenda/"
	ev := event("ag@example.org", "20270313T130000Z", "20270313T170000Z", "SUMMARY:AG\n")
	w := f.do("alice", "PUT", agenda+"ag.ics", ev, "Content-Type", "text/calendar", "If-None-Match", "*")
	f.expect(w, http.StatusCreated)
	etag := w.Header().Get("ETag")
	got := f.do("alice", "GET", agenda+"ag.ics", "")
	if f.expect(got, http.StatusOK) != ev || got.Header().Get("ETag") != etag {
		t.Fatalf("GET is not byte-identical or has another ETag: %q %q", got.Header().Get("ETag"), etag)
	}
	// If-None-Match: * on an existing object, and a stale If-Match, are refused.
	f.expect(f.do("alice", "PUT", agenda+"ag.ics", ev, "If-None-Match", "*"), http.StatusPreconditionFailed)
	ev2 := strings.Replace(ev, "SUMMARY:AG", "SUMMARY:AG 2027", 1)
	w = f.do("alice", "PUT", agenda+"ag.ics", ev2, "If-Match", etag)
	f.expect(w, http.StatusNoContent)
	f.expect(f.do("alice", "PUT", agenda+"ag.ics", ev, "If-Match", etag), http.StatusPreconditionFailed)
	f.expect(f.do("alice", "DELETE", agenda+"ag.ics", "", "If-Match", etag), http.StatusPreconditionFailed)
	// Refusals store nothing.
	f.expect(f.do("alice", "PUT", agenda+"bad.ics", "BEGIN:VCALENDAR\r\ngarbage\r\n"), http.StatusForbidden, "valid-calendar-data", nsCalDAV)
	f.expect(f.do("alice", "PUT", agenda+"task.ics", vcal("BEGIN:VTODO\nUID:t1\nDTSTAMP:20261121T100000Z\nEND:VTODO\n")),
		http.StatusForbidden, "supported-calendar-component")
	f.expect(f.do("alice", "PUT", agenda+"other.ics", ev), http.StatusForbidden, "no-uid-conflict", agenda+"ag.ics")
	for _, name := range []string{"bad.ics", "task.ics", "other.ics"} {
		f.expect(f.do("alice", "GET", agenda+name, ""), http.StatusNotFound)
	}
	// Guests read, outsiders see nothing.
	f.expect(f.do("gaston", "GET", f.home("gaston", "calendars")+"atelier~agenda/ag.ics", ""), http.StatusOK, "AG 2027")
	f.expect(f.do("gaston", "PUT", f.home("gaston", "calendars")+"atelier~agenda/g.ics", event("g", "20270101T100000Z", "20270101T110000Z", "")),
		http.StatusForbidden, "need-privileges")
	f.expect(f.do("bob", "GET", f.home("bob", "calendars")+"atelier~agenda/ag.ics", ""), http.StatusNotFound)
	f.expect(f.do("bob", "GET", agenda+"ag.ics", ""), http.StatusNotFound)
	f.expect(f.do("alice", "DELETE", agenda+"ag.ics", ""), http.StatusNoContent)
	f.expect(f.do("alice", "GET", agenda+"ag.ics", ""), http.StatusNotFound)
}

const card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c1\r\nFN:Anne Martin\r\nEMAIL:anne@example.org\r\nEND:VCARD\r\n"

func TestAddressBookObjects(t *testing.T) {
	f := newFixture(t)
	book := f.home("alice", "addressbooks") + "atelier~contacts/"
	f.expect(f.do("alice", "PUT", book+"c1.vcf", card, "Content-Type", "text/vcard"), http.StatusCreated)
	if got := f.do("alice", "GET", book+"c1.vcf", ""); got.Body.String() != card || got.Header().Get("Content-Type") != "text/vcard; charset=utf-8" {
		t.Fatalf("GET vCard: %q %q", got.Body.String(), got.Header().Get("Content-Type"))
	}
	f.expect(f.do("alice", "PUT", book+"c2.vcf", strings.Replace(card, "FN:Anne Martin\r\n", "", 1), "Content-Type", "text/vcard"),
		http.StatusForbidden, "valid-address-data", nsCardDAV)
	f.expect(f.do("alice", "PUT", book+"c3.vcf", card, "Content-Type", "text/vcard"), http.StatusForbidden, "no-uid-conflict", nsCardDAV)
	f.expect(f.do("alice", "PUT", book+"c4.vcf", event("e", "20270101T100000Z", "20270101T110000Z", "")), http.StatusForbidden, "valid-address-data")
}
