package server

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestTasksPage: a task created with the form, assigned to a member, is marked done and reopened
// from the list; CalDAV clients see each state with the properties they look at.
func TestTasksPage(t *testing.T) {
	ts := newTestServer(t)
	b := signedIn(t, ts, anna)
	form := url.Values{"summary": {"Réserver la salle"}, "due_date": {"2027-02-01"}, "assignee": {alice}, "status": {"NEEDS-ACTION"}}
	if code, body := b.postForm("/groups/atelier/tasks/new", "/groups/atelier/tasks/new", form); code != 303 {
		t.Fatalf("create: %d\n%s", code, body)
	}
	href, todo := onlyObject(t, davObjects(t, ts, alice, "calendars", "taches"), "Réserver la salle")
	wants(t, "the task over CalDAV", todo, "BEGIN:VTODO", "DUE;VALUE=DATE:20270201", "mailto:alice@example.org", "STATUS:NEEDS-ACTION")

	_, list, _ := b.do("GET", "/groups/atelier/tasks", nil)
	uid := regexp1(t, `/groups/atelier/tasks/([0-9a-f]+)/done`, list)
	if code, _ := b.postForm("/groups/atelier/tasks", "/groups/atelier/tasks/"+uid+"/done", url.Values{}); code != 303 {
		t.Fatalf("done: %d", code)
	}
	done, _ := ts.must(t, 200, req{method: "GET", path: href, user: alice})
	wants(t, "the done task", done, "STATUS:COMPLETED", "PERCENT-COMPLETE:100", "COMPLETED:")
	_, open, _ := b.do("GET", "/groups/atelier/tasks", nil)
	_, closed, _ := b.do("GET", "/groups/atelier/tasks?show=done", nil)
	if strings.Contains(open, "Réserver la salle") || !strings.Contains(closed, "Réserver la salle") {
		t.Fatal("the filters do not follow the task's state")
	}
	if code, _ := b.postForm("/groups/atelier/tasks", "/groups/atelier/tasks/"+uid+"/reopen", url.Values{}); code != 303 {
		t.Fatalf("reopen: %d", code)
	}
	reopened, _ := ts.must(t, 200, req{method: "GET", path: href, user: alice})
	wants(t, "the reopened task", reopened, "STATUS:NEEDS-ACTION", "PERCENT-COMPLETE:0")
	if strings.Contains(reopened, "\nCOMPLETED:") {
		t.Fatalf("a reopened task keeps its completion time:\n%s", reopened)
	}

	// A task a client wrote keeps what the form does not show.
	base := fmt.Sprintf("/dav/calendars/%d/atelier~taches/", personID(t, ts, alice))
	ts.must(t, 201, req{method: "PUT", path: base + "t.ics", user: alice, headers: []string{"Content-Type", "text/calendar"},
		body: ical("BEGIN:VTODO\nUID:t-client\nDTSTAMP:20261121T100000Z\nSUMMARY:Relancer\nPRIORITY:1\nX-APPLE-SORT-ORDER:7\nEND:VTODO\n")})
	_, edit, _ := b.do("GET", "/groups/atelier/tasks/t-client/edit", nil)
	form = url.Values{"summary": {"Relancer les adhérents"}, "status": {"IN-PROCESS"}, "assignee": {anna}, "due_date": {"2027-03-01"}, "due_time": {"12:00"},
		"etag": {regexp1(t, `name="etag" value="([0-9a-f]+)"`, edit)}}
	if code, body := b.postForm("/groups/atelier/tasks/t-client/edit", "/groups/atelier/tasks/t-client/edit", form); code != 303 {
		t.Fatalf("edit: %d\n%s", code, body)
	}
	got, _ := ts.must(t, 200, req{method: "GET", path: base + "t.ics", user: alice})
	wants(t, "the edited task", strings.ReplaceAll(got, "\r\n ", ""), "PRIORITY:1", "X-APPLE-SORT-ORDER:7", "STATUS:IN-PROCESS",
		"DUE;TZID=Europe/Paris:20270301T120000", "mailto:anna@example.org", "SUMMARY:Relancer les adhérents")

	// An assignee from outside the group is refused next to the field.
	form.Set("assignee", bob)
	if code, body := b.postForm("/groups/atelier/tasks/t-client/edit", "/groups/atelier/tasks/t-client/edit", form); code != 422 || !strings.Contains(body, `id="assignee-error"`) {
		t.Fatalf("an outsider as assignee: %d", code)
	}
	if code, _ := b.postForm("/groups/atelier/tasks", "/groups/atelier/tasks/t-client/delete", url.Values{}); code != 303 {
		t.Fatalf("delete: %d", code)
	}
	ts.must(t, 404, req{method: "GET", path: base + "t.ics", user: alice})
}
