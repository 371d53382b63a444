package server

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAgendaDocument: an AG whose form names a file of the group's folder as its agenda carries
// it as an ATTACH whose address is a read-only share link; the invitation mail gives that link,
// which opens the file signed out; a path outside the folder is refused next to its field and
// nothing is stored; editing the meeting without touching the field keeps the same link.
func TestAgendaDocument(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/AG", user: anna})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/AG/ordre-du-jour.pdf", user: anna, body: "%PDF ordre du jour"})
	b := signedIn(t, ts, anna)
	day := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	form := url.Values{"summary": {"AG 2027"}, "kind": {"AG"}, "start_date": {day}, "start_time": {"18:30"}, "end_date": {day},
		"end_time": {"21:00"}, "attendee": {alice}, "agenda": {"/AG/absent.pdf"}}
	code, body := b.postForm("/groups/atelier/agenda/new", "/groups/atelier/agenda/new", form)
	if code != 422 || !strings.Contains(body, `id="agenda-error"`) {
		t.Fatalf("a missing file: %d", code)
	}
	if n := len(davObjects(t, ts, alice, "calendars", "agenda")); n != 0 {
		t.Fatalf("a refused form stored %d events", n)
	}
	form.Set("agenda", "/AG/ordre-du-jour.pdf")
	if code, body := b.postForm("/groups/atelier/agenda/new", "/groups/atelier/agenda/new", form); code != 303 {
		t.Fatalf("create: %d\n%s", code, body)
	}
	_, ev := onlyObject(t, davObjects(t, ts, alice, "calendars", "agenda"), "AG 2027")
	link := regexp1(t, `ATTACH;[^:]*:(http[^\r\n]*/s/[A-Za-z0-9_-]+)`, strings.ReplaceAll(ev, "\r\n ", ""))
	wants(t, "the event's attachment", ev, "X-PARVIS-PATH=/AG/ordre-du-jour.pdf", "FILENAME=ordre-du-jour.pdf")

	ms, err := ts.srv.in.db.R(context.Background()).Mails(100)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range ms {
		if m.To == alice && strings.Contains(m.Body, "Ordre du jour\u00a0: "+link) && strings.Contains(m.Body, "Agenda: "+link) {
			found = true
		}
	}
	if !found {
		t.Fatalf("alice's invitation does not give the agenda's link %s", link)
	}
	resp, err := http.Get(ts.URL + strings.TrimPrefix(link, ts.srv.cfg.PublicURL()))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "ordre-du-jour.pdf") {
		t.Fatalf("the share link, signed out: %d\n%s", resp.StatusCode, page)
	}

	uid := regexp1(t, `UID:([^\r\n]+)`, ev)
	_, edit, _ := b.do("GET", "/groups/atelier/agenda/"+uid+"/edit", nil)
	wants(t, "the edit form", edit, `value="/AG/ordre-du-jour.pdf"`, "Ouvrir l&#39;ordre du jour")
	form.Set("summary", "AG 2027 (salle changée)")
	form.Set("etag", regexp1(t, `name="etag" value="([0-9a-f]+)"`, edit))
	editPath := "/groups/atelier/agenda/" + uid + "/edit"
	if code, body := b.postForm(editPath, editPath, form); code != 303 {
		t.Fatalf("edit: %d\n%s", code, body)
	}
	_, ev = onlyObject(t, davObjects(t, ts, alice, "calendars", "agenda"), "AG 2027 (salle changée)")
	if again := regexp1(t, `ATTACH;[^:]*:(http[^\r\n]*/s/[A-Za-z0-9_-]+)`, strings.ReplaceAll(ev, "\r\n ", "")); again != link {
		t.Fatalf("the edit changed the agenda's link: %s, was %s", again, link)
	}
}
