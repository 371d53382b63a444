package calhttp

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"parvis/calendar"
	"parvis/storage/db"
)

// TestSchedulingBoxes: the principal names its inbox and outbox and is an individual; the home
// lists both; the inbox says where invitations are filed, takes no PUT and cannot be deleted, but
// its messages can be read, synced and deleted; OPTIONS announces implicit scheduling.
func TestSchedulingBoxes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	alice := f.people["alice"]
	home := f.home("alice", "calendars")
	w := f.do("", "OPTIONS", "/dav/", "")
	if !strings.Contains(w.Header().Get("DAV"), "calendar-auto-schedule") {
		t.Fatalf("DAV header %q lacks calendar-auto-schedule", w.Header().Get("DAV"))
	}
	props := `<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:schedule-inbox-URL/><C:schedule-outbox-URL/>` +
		`<C:calendar-user-type/><C:calendar-user-address-set/></D:prop></D:propfind>`
	f.expect(f.do("alice", "PROPFIND", PrincipalPath(alice.ID), props, "Depth", "0"), http.StatusMultiStatus,
		"<D:href>"+home+"inbox/</D:href>", "<D:href>"+home+"outbox/</D:href>", ">INDIVIDUAL<", "mailto:alice@example.org")
	f.expect(f.do("alice", "PROPFIND", home, `<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>`, "Depth", "1"),
		http.StatusMultiStatus, "schedule-inbox", "schedule-outbox")
	inboxProps := `<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:resourcetype/><C:schedule-default-calendar-URL/>` +
		`<D:current-user-privilege-set/></D:prop></D:propfind>`
	body := f.expect(f.do("alice", "PROPFIND", home+"inbox/", inboxProps, "Depth", "0"), http.StatusMultiStatus,
		"schedule-inbox", "<D:href>"+home+"agenda/</D:href>", "schedule-deliver")
	if strings.Contains(body, "<D:write/>") {
		t.Errorf("the inbox offers write:\n%s", body)
	}

	// A message delivered, as the meetings' scheduler does.
	msg := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:inv1\r\nDTSTAMP:20260101T000000Z\r\n" +
		"DTSTART:20270101T100000Z\r\nSUMMARY:AG\r\nORGANIZER:mailto:anna@example.org\r\nATTENDEE:mailto:alice@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	if err := f.h.DB.Write(ctx, func(tx *db.Tx) error { return calendar.Deliver(tx, alice.ID, "inv1", []byte(msg)) }); err != nil {
		t.Fatal(err)
	}
	sync := `<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`
	body = f.expect(f.do("alice", "REPORT", home+"inbox/", sync), http.StatusMultiStatus, ".ics</D:href>")
	href := body[strings.Index(body, home+"inbox/"):]
	href = href[:strings.Index(href, "</D:href>")]
	if !strings.HasSuffix(href, ".ics") {
		t.Fatalf("no message href in:\n%s", body)
	}
	f.expect(f.do("alice", "GET", href, ""), http.StatusOK, "METHOD:REQUEST", "UID:inv1")
	f.expect(f.do("alice", "PUT", home+"inbox/mine.ics", event("x", "20270101T100000Z", "20270101T110000Z", "")), http.StatusForbidden)
	f.expect(f.do("alice", "DELETE", home+"inbox/", ""), http.StatusForbidden)
	f.expect(f.do("alice", "PROPPATCH", home+"inbox/", `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>x</D:displayname></D:prop></D:set></D:propertyupdate>`), http.StatusForbidden)
	f.expect(f.do("alice", "MKCALENDAR", home+"outbox/", ""), http.StatusMethodNotAllowed)
	f.expect(f.do("alice", "DELETE", href, ""), http.StatusNoContent)
	f.expect(f.do("alice", "GET", href, ""), http.StatusNotFound)
	f.expect(f.do("bob", "PROPFIND", home+"inbox/", inboxProps, "Depth", "0"), http.StatusNotFound)
}

// TestOutboxFreeBusy: a free-busy request POSTed to the outbox answers, for each person asked, the
// busy time of their own agenda when the asker shares an agenda with them (and for themselves),
// 3.7 for anyone else; the ORGANIZER must be the asker; the request must be a VFREEBUSY REQUEST.
func TestOutboxFreeBusy(t *testing.T) {
	f := newFixture(t)
	gaston := f.home("gaston", "calendars")
	f.expect(f.do("gaston", "PUT", gaston+"agenda/busy.ics", event("busy", "20270301T090000Z", "20270301T100000Z", "")), http.StatusCreated)
	req := func(organizer string, attendees ...string) string {
		var b strings.Builder
		b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:REQUEST\r\nBEGIN:VFREEBUSY\r\nUID:fb1\r\nDTSTAMP:20270101T000000Z\r\n")
		b.WriteString("DTSTART:20270301T000000Z\r\nDTEND:20270302T000000Z\r\nORGANIZER:mailto:" + organizer + "\r\n")
		for _, a := range attendees {
			b.WriteString("ATTENDEE:mailto:" + a + "\r\n")
		}
		b.WriteString("END:VFREEBUSY\r\nEND:VCALENDAR\r\n")
		return b.String()
	}
	outbox := f.home("alice", "calendars") + "outbox/"
	ct := []string{"Content-Type", "text/calendar; charset=utf-8"}
	body := f.expect(f.do("alice", "POST", outbox, req("alice@example.org", "gaston@example.org", "bob@example.org", "nobody@example.org"), ct...),
		http.StatusOK, "schedule-response", "2.0;Success", "FREEBUSY;FBTYPE=BUSY:20270301T090000Z/20270301T100000Z", "METHOD:REPLY")
	if strings.Count(body, "3.7;") != 2 || strings.Count(body, "<C:response>") != 3 {
		t.Errorf("bob (another group) and an unknown address must both be 3.7:\n%s", body)
	}
	f.expect(f.do("alice", "POST", outbox, req("gaston@example.org", "gaston@example.org"), ct...), http.StatusForbidden, "organizer-allowed")
	f.expect(f.do("alice", "POST", outbox, strings.Replace(req("alice@example.org", "gaston@example.org"), "METHOD:REQUEST", "METHOD:PUBLISH", 1), ct...),
		http.StatusBadRequest, "valid-scheduling-message")
	f.expect(f.do("alice", "POST", outbox, "not a calendar", ct...), http.StatusBadRequest)
	f.expect(f.do("alice", "POST", outbox, req("alice@example.org", "gaston@example.org"), "Content-Type", "application/xml"), http.StatusBadRequest)
	f.expect(f.do("bob", "POST", outbox, req("bob@example.org", "gaston@example.org"), ct...), http.StatusNotFound)
}
