package server

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestAttendancePage: the meeting page links to its attendance; a member records who came, the
// page counts them, and the minutes started from it list those present, visio marked; a guest
// reads the attendance and cannot change it.
func TestAttendancePage(t *testing.T) {
	ts := newTestServer(t)
	annaID := personID(t, ts, anna)
	body := ical("BEGIN:VEVENT\nUID:ag-2027\nDTSTAMP:20261121T100000Z\nDTSTART:20990601T160000Z\nDTEND:20990601T180000Z\nSUMMARY:AG 2099\n" +
		"ORGANIZER;CN=Anna:mailto:" + anna + "\nATTENDEE;CN=Alice;PARTSTAT=ACCEPTED:mailto:" + alice + "\nATTENDEE;CN=Gus:mailto:" + gus +
		"\nATTENDEE;CN=Partenaire:mailto:ext@partenaire.example\nEND:VEVENT\n")
	ts.must(t, 201, req{method: "PUT", path: fmt.Sprintf("/dav/calendars/%d/atelier~agenda/ag-2027.ics", annaID), user: anna, body: body,
		headers: []string{"Content-Type", "text/calendar"}})

	b, csrf := signInBrowser(t, ts, alice)
	code, page, _ := b.do("GET", "/groups/atelier/agenda/ag-2027/edit", nil)
	if code != 200 || !strings.Contains(page, "/groups/atelier/agenda/ag-2027/attendance") {
		t.Fatalf("the meeting page does not link to its attendance: %d", code)
	}
	code, page, _ = b.do("GET", "/groups/atelier/agenda/ag-2027/attendance", nil)
	if code != 200 || !strings.Contains(page, "Alice") || !strings.Contains(page, "Partenaire") || !strings.Contains(page, "Je viens") {
		t.Fatalf("attendance page %d:\n%s", code, page)
	}
	form := url.Values{"_csrf": {csrf}, "addr": {"mailto:" + alice, "mailto:" + gus, "mailto:ext@partenaire.example"},
		"mode": {"IN-PERSON", "REMOTE", "EXCUSED"}}
	if code, _, _ = b.do("POST", "/groups/atelier/agenda/ag-2027/attendance", form); code != 303 {
		t.Fatalf("recording: %d", code)
	}
	code, page, _ = b.do("GET", "/groups/atelier/agenda/ag-2027/attendance?done=1", nil)
	if code != 200 || !strings.Contains(page, "Les présences sont enregistrées") || !strings.Contains(page, "Sur place : 1 · En visio : 1 · Excusé·e : 1") {
		t.Fatalf("after recording %d:\n%s", code, page)
	}
	code, page, _ = b.do("GET", "/groups/atelier/minutes/new?event=ag-2027", nil)
	if code != 200 || !strings.Contains(page, "Alice, Gus (en visio)") || !strings.Contains(page, "AG 2099") {
		t.Fatalf("minutes from the attendance %d:\n%s", code, page)
	}

	g, gcsrf := signInBrowser(t, ts, gus)
	code, page, _ = g.do("GET", "/groups/atelier/agenda/ag-2027/attendance", nil)
	if code != 200 || !strings.Contains(page, "<fieldset disabled>") || strings.Contains(page, "Enregistrer les présences") {
		t.Fatalf("a guest's attendance page %d", code)
	}
	code, _, _ = g.do("POST", "/groups/atelier/agenda/ag-2027/attendance", url.Values{"_csrf": {gcsrf}, "addr": {"mailto:" + gus}, "mode": {"ABSENT"}})
	if code != 403 {
		t.Fatalf("a guest recorded the attendance: %d", code)
	}
}
