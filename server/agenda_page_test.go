package server

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAgendaEventForm: an AG created with the page's form is what a CalDAV client reads: kind,
// place, visio link, attendees and weekly repetition, at Paris times; the agenda lists it.
func TestAgendaEventForm(t *testing.T) {
	ts := newTestServer(t)
	b := signedIn(t, ts, anna)
	day := time.Now().AddDate(0, 0, 3).Format("2006-01-02")
	until := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	form := url.Values{"summary": {"Assemblée générale 2027"}, "kind": {"AG"}, "start_date": {day}, "start_time": {"18:30"},
		"end_date": {day}, "end_time": {"21:00"}, "location": {"Salle des fêtes, 12 rue de la Mairie"},
		"url": {"https://visio.example.org/ag"}, "attendee": {alice, anna}, "repeat": {"WEEKLY"}, "until": {until},
		"description": {"Ordre du jour : rapport moral."}}
	if code, body := b.postForm("/groups/atelier/agenda/new", "/groups/atelier/agenda/new", form); code != 303 {
		t.Fatalf("create: %d\n%s", code, body)
	}
	_, ev := onlyObject(t, davObjects(t, ts, alice, "calendars", "agenda"), "Assemblée générale 2027")
	compact := strings.ReplaceAll(day, "-", "")
	wants(t, "the event over CalDAV", ev, "CATEGORIES:AG", `LOCATION:Salle des fêtes\, 12 rue de la Mairie`,
		"URL:https://visio.example.org/ag", "mailto:alice@example.org", "mailto:anna@example.org", "PARTSTAT=NEEDS-ACTION",
		"DTSTART;TZID=Europe/Paris:"+compact+"T183000", "DTEND;TZID=Europe/Paris:"+compact+"T210000", "BEGIN:VTIMEZONE",
		"RRULE:FREQ=WEEKLY;UNTIL=", "Visio : https://visio.example.org/ag")

	_, page, _ := b.do("GET", "/groups/atelier/agenda", nil)
	wants(t, "the agenda page", page, "Assemblée générale 2027", "Salle des fêtes", `id="calendar"`, "/static/vendor/fullcalendar/index.global.min.js")
	// The agenda opens the event on its details: the visio link to click, the place, who is
	// invited and how they answered, and the way to change it for those who write.
	uid := regexp1(t, `/groups/atelier/agenda/([0-9a-f]+)"`, page)
	_, view, _ := b.do("GET", "/groups/atelier/agenda/"+uid, nil)
	wants(t, "the event's details", view, `#landmark"></use></svg>Assemblée générale 2027</h2>`, `<a href="https://visio.example.org/ag" rel="noopener">`,
		"Salle des fêtes, 12 rue de la Mairie", "Assemblée générale", "alice@example.org — pas encore de réponse",
		`href="/groups/atelier/agenda/`+uid+`/edit"`, "Ordre du jour : rapport moral.", `href="/groups/atelier/minutes/new?event=`+uid+`"`)
	if strings.Contains(view, `<input id="summary"`) {
		t.Fatal("the event opens on its form")
	}
	// The edit form reads it back as it was written, the visio line out of the description.
	_, edit, _ := b.do("GET", "/groups/atelier/agenda/"+uid+"/edit", nil)
	wants(t, "the edit form", edit, `value="18:30"`, `<option value="AG" selected>`, `<option value="WEEKLY" selected>`,
		">Ordre du jour : rapport moral.</textarea>", `value="alice@example.org" checked`)

	// Validation: errors next to the fields, in the person's language, nothing stored.
	bad := url.Values{"summary": {""}, "start_date": {day}, "start_time": {"20:00"}, "end_date": {day}, "end_time": {"19:00"}, "url": {"javascript:alert(1)"}}
	code, body := b.postForm("/groups/atelier/agenda/new", "/groups/atelier/agenda/new", bad)
	if code != 422 {
		t.Fatalf("invalid form: %d", code)
	}
	wants(t, "the refused form", body, `id="summary-error"`, `id="end-error"`, `id="url-error"`, "La fin est avant le début.")
	if n := len(davObjects(t, ts, alice, "calendars", "agenda")); n != 1 {
		t.Fatalf("a refused form stored something: %d objects", n)
	}
}

// TestAgendaEditKeepsClientProperties: an event a CalDAV client wrote, with properties the form
// does not know, keeps them when the page edits it, and clients see the new version.
func TestAgendaEditKeepsClientProperties(t *testing.T) {
	ts := newTestServer(t)
	base := fmt.Sprintf("/dav/calendars/%d/atelier~agenda/", personID(t, ts, alice))
	raw := ical("BEGIN:VEVENT\nUID:ag-2027@client\nDTSTAMP:20261121T100000Z\nDTSTART;TZID=Europe/Paris:20270313T140000\n" +
		"DTEND;TZID=Europe/Paris:20270313T180000\nSUMMARY:AG\nCATEGORIES:AG,budget\nX-PARVIS-QUORUM:50\n" +
		"ATTENDEE;CN=Paul;PARTSTAT=ACCEPTED:mailto:paul@example.org\nSEQUENCE:2\n" +
		"BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT1H\nDESCRIPTION:Rappel\nEND:VALARM\nEND:VEVENT\n")
	_, h := ts.must(t, 201, req{method: "PUT", path: base + "ag.ics", user: alice, body: raw, headers: []string{"Content-Type", "text/calendar"}})
	etag := h.Get("ETag")

	b := signedIn(t, ts, alice)
	_, edit, _ := b.do("GET", "/groups/atelier/agenda/ag-2027@client/edit", nil)
	wants(t, "the form of a client's event", edit, `value="2027-03-13"`, `value="14:00"`, `value="paul@example.org" checked`)
	form := url.Values{"summary": {"Assemblée générale"}, "kind": {"AG"}, "start_date": {"2027-03-13"}, "start_time": {"14:30"},
		"end_date": {"2027-03-13"}, "end_time": {"18:00"}, "attendee": {"paul@example.org", alice}, "repeat": {""},
		"etag": {regexp1(t, `name="etag" value="([0-9a-f]+)"`, edit)}}
	if code, body := b.postForm("/groups/atelier/agenda/ag-2027@client/edit", "/groups/atelier/agenda/ag-2027@client/edit", form); code != 303 {
		t.Fatalf("edit: %d\n%s", code, body)
	}
	got, h2 := ts.must(t, 200, req{method: "GET", path: base + "ag.ics", user: alice})
	got = strings.ReplaceAll(got, "\r\n ", "")
	wants(t, "the edited event", got, "SUMMARY:Assemblée générale", "X-PARVIS-QUORUM:50", "BEGIN:VALARM", "TRIGGER:-PT1H",
		"CATEGORIES:AG,budget", "PARTSTAT=ACCEPTED", "mailto:alice@example.org", "SEQUENCE:3", "DTSTART;TZID=Europe/Paris:20270313T143000")
	if h2.Get("ETag") == etag {
		t.Fatal("the ETag did not change")
	}
	// A form shown before a client's change does not overwrite it.
	ts.must(t, 204, req{method: "PUT", path: base + "ag.ics", user: alice, body: strings.Replace(raw, "SUMMARY:AG", "SUMMARY:AG (phone)", 1),
		headers: []string{"Content-Type", "text/calendar"}})
	code, body := b.postForm("/groups/atelier/agenda/ag-2027@client/edit", "/groups/atelier/agenda/ag-2027@client/edit", form)
	if code != 422 || !strings.Contains(body, "modifié entre-temps") {
		t.Fatalf("a stale form: %d", code)
	}
}

// TestAgendaEventsFeed: FullCalendar's JSON has every instance of a recurring event in the range,
// and nothing outside it.
func TestAgendaEventsFeed(t *testing.T) {
	ts := newTestServer(t)
	base := fmt.Sprintf("/dav/calendars/%d/atelier~agenda/", personID(t, ts, alice))
	weekly := ical("BEGIN:VEVENT\nUID:weekly\nDTSTAMP:20261121T100000Z\nDTSTART;TZID=Europe/Paris:20270104T183000\n" +
		"DTEND;TZID=Europe/Paris:20270104T200000\nRRULE:FREQ=WEEKLY;COUNT=10\nEXDATE;TZID=Europe/Paris:20270118T183000\nSUMMARY:Permanence\nEND:VEVENT\n")
	ts.must(t, 201, req{method: "PUT", path: base + "weekly.ics", user: alice, body: weekly, headers: []string{"Content-Type", "text/calendar"}})
	ts.must(t, 201, req{method: "PUT", path: base + "later.ics", user: alice, body: event("later"), headers: []string{"Content-Type", "text/calendar"}})
	b := signedIn(t, ts, gus) // guests read the agenda
	code, body, _ := b.do("GET", "/groups/atelier/agenda/events?start=2027-01-01T00:00:00&end=2027-02-01T00:00:00&timeZone=Europe/Paris", nil)
	if code != 200 {
		t.Fatalf("feed: %d\n%s", code, body)
	}
	var evs []struct {
		ID, Title, Start, End string
		AllDay                bool
	}
	if err := json.Unmarshal([]byte(body), &evs); err != nil {
		t.Fatal(err)
	}
	var starts []string
	for _, e := range evs {
		if e.ID != "weekly" {
			t.Fatalf("an event outside the range: %+v", e)
		}
		starts = append(starts, e.Start)
	}
	want := "2027-01-04T18:30:00 2027-01-11T18:30:00 2027-01-25T18:30:00"
	if strings.Join(starts, " ") != want {
		t.Fatalf("instances %v, want %s", starts, want)
	}
	if evs[0].End != "2027-01-04T20:00:00" {
		t.Fatalf("end %s", evs[0].End)
	}
	if code, _, _ := b.do("GET", "/groups/atelier/agenda/events?start=nonsense&end=2027-02-01", nil); code != 400 {
		t.Fatalf("a bad range: %d", code)
	}
}

// TestAgendaAccess: guests read and are refused writes (403), outsiders get 404 everywhere, names
// are escaped, and only animators publish the agenda's public link.
func TestAgendaAccess(t *testing.T) {
	ts := newTestServer(t)
	a := signedIn(t, ts, alice)
	day := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
	form := url.Values{"summary": {"<script>alert(1)</script>"}, "start_date": {day}, "start_time": {"10:00"}, "end_date": {day}, "end_time": {"11:00"}}
	if code, _ := a.postForm("/groups/atelier/agenda/new", "/groups/atelier/agenda/new", form); code != 303 {
		t.Fatalf("create: %d", code)
	}
	_, page, _ := a.do("GET", "/groups/atelier/agenda", nil)
	if strings.Contains(page, "<script>alert(1)") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatal("an event title was not escaped")
	}
	uid := regexp1(t, `/groups/atelier/agenda/([0-9a-f]+)"`, page)

	g := signedIn(t, ts, gus)
	if _, view, _ := g.do("GET", "/groups/atelier/agenda/"+uid, nil); !strings.Contains(view, "&lt;script&gt;") || strings.Contains(view, "/edit\"") {
		t.Error("a guest reads an event's details and is offered no way to change it")
	}
	for _, p := range []string{"/groups/atelier/agenda", "/groups/atelier/tasks", "/groups/atelier/contacts", "/groups/atelier/agenda/" + uid + "/edit"} {
		if code, _, _ := g.do("GET", p, nil); code != 200 {
			t.Errorf("guest GET %s: %d", p, code)
		}
	}
	_, guestPage, _ := g.do("GET", "/groups/atelier/agenda/"+uid+"/edit", nil)
	if !strings.Contains(guestPage, "<fieldset disabled>") || strings.Contains(guestPage, "/delete") {
		t.Error("a guest is offered to change an event")
	}
	tok := g.form("/groups/atelier/agenda")
	for _, p := range []string{"/groups/atelier/agenda/new", "/groups/atelier/agenda/" + uid + "/edit", "/groups/atelier/agenda/" + uid + "/delete",
		"/groups/atelier/tasks/new", "/groups/atelier/contacts/new", "/groups/atelier/agenda/link"} {
		form.Set("_csrf", tok)
		if code, _, _ := g.do("POST", p, form); code != 403 {
			t.Errorf("guest POST %s: %d, want 403", p, code)
		}
	}
	o := signedIn(t, ts, bob)
	for _, p := range []string{"/groups/atelier/agenda", "/groups/atelier/agenda/events?start=2027-01-01&end=2027-02-01", "/groups/atelier/tasks",
		"/groups/atelier/contacts", "/groups/atelier/agenda/" + uid + "/edit", "/groups/atelier/agenda/" + uid, "/groups/nowhere/agenda"} {
		if code, _, _ := o.do("GET", p, nil); code != 404 {
			t.Errorf("outsider GET %s: %d, want 404", p, code)
		}
	}
	form.Set("_csrf", o.form("/"))
	if code, _, _ := o.do("POST", "/groups/atelier/agenda/"+uid+"/delete", form); code != 404 {
		t.Errorf("outsider delete: %d", code)
	}
	if code, _, h := newBrowser(t, ts.URL, "fr").do("GET", "/groups/atelier/agenda", nil); code != 303 || h.Get("Location") != "/login?next=%2Fgroups%2Fatelier%2Fagenda" {
		t.Errorf("signed out: %d", code)
	}

	// The public link: members see none offered, animators create and revoke it.
	if strings.Contains(page, "/agenda/link") {
		t.Error("a member is offered to publish")
	}
	if code, _ := a.postForm("/groups/atelier/agenda", "/groups/atelier/agenda/link", url.Values{}); code != 403 {
		t.Errorf("member publishes: %d", code)
	}
	an := signedIn(t, ts, anna)
	if code, _ := an.postForm("/groups/atelier/agenda", "/groups/atelier/agenda/link", url.Values{}); code != 303 {
		t.Fatalf("animator publishes: %d", code)
	}
	_, page, _ = an.do("GET", "/groups/atelier/agenda", nil)
	link := regexp1(t, `value="(http[^"]+/ics/[^"]+\.ics)"`, page)
	path := link[strings.Index(link, "/ics/"):]
	if body, _ := ts.must(t, 200, req{method: "GET", path: path}); !strings.Contains(body, "alert(1)") {
		t.Fatal("the public link lacks the event")
	}
	// Handing the link out is publishing: members see it neither on the page nor over CalDAV.
	if _, mine, _ := a.do("GET", "/groups/atelier/agenda", nil); strings.Contains(mine, "/ics/") {
		t.Error("a member is shown the public link")
	}
	ts.must(t, 403, req{method: "POST", path: fmt.Sprintf("/dav/calendars/%d/atelier~agenda/", personID(t, ts, alice)), user: alice,
		body: `<CS:unpublish-calendar xmlns:CS="http://calendarserver.org/ns/"/>`, headers: []string{"Content-Type", "application/xml"}})
	an.postForm("/groups/atelier/agenda", "/groups/atelier/agenda/link/revoke", url.Values{})
	ts.must(t, 404, req{method: "GET", path: path})
	if !strings.Contains(ts.auditActions(t), "calendar.unpublish") {
		t.Error("the revocation is not in the audit log")
	}
}
