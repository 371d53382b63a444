package calhttp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"parvis/calendar/icsfeed"
)

const (
	publishBody   = `<CS:publish-calendar xmlns:CS="http://calendarserver.org/ns/"/>`
	unpublishBody = `<CS:unpublish-calendar xmlns:CS="http://calendarserver.org/ns/"/>`
	publishURLAsk = `<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:publish-url/></D:prop></D:propfind>`
)

// feedGet reads a public link without any person in the context, as the front door passes it.
func feedGet(f *fixture, method, url string, headers ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	r := httptest.NewRequest(method, strings.TrimPrefix(url, "http://parvis.test"), nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	(&icsfeed.Handler{DB: f.h.DB, Log: f.h.Log}).ServeHTTP(w, r)
	return w
}

// TestPublishCalendar publishes a group agenda, reads it as an outsider without signing in, and
// revokes the link: who may do what, the document served, the audit log.
func TestPublishCalendar(t *testing.T) {
	f := newFixture(t)
	f.h.PublicURL = "http://parvis.test"
	agenda := f.home("alice", "calendars") + "atelier~agenda/"
	paris := "BEGIN:VTIMEZONE\nTZID:Europe/Paris\nBEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\n"
	for _, uid := range []string{"collectif", "ag"} {
		ev := vcal(paris + "BEGIN:VEVENT\nUID:" + uid + "\nDTSTAMP:20261121T100000Z\nDTSTART;TZID=Europe/Paris:20270301T180000\n" +
			"SUMMARY:" + uid + "\nATTENDEE:mailto:alice@example.org\nEND:VEVENT\n")
		f.expect(f.do("alice", "PUT", agenda+uid+".ics", ev), http.StatusCreated)
	}

	// Only animators publish: members and guests get 403, outsiders 404; address books and unknown bodies are refused.
	f.expect(f.do("gaston", "POST", f.home("gaston", "calendars")+"atelier~agenda/", publishBody), http.StatusForbidden)
	f.expect(f.do("alice", "POST", agenda, publishBody), http.StatusForbidden)
	f.expect(f.do("bob", "POST", agenda, publishBody), http.StatusNotFound)
	agenda = f.home("anna", "calendars") + "atelier~agenda/"
	f.expect(f.do("anna", "POST", f.home("anna", "addressbooks")+"atelier~contacts/", publishBody), http.StatusMethodNotAllowed)
	f.expect(f.do("anna", "POST", agenda, `<D:foo xmlns:D="DAV:"/>`), http.StatusBadRequest)

	w := f.do("anna", "POST", agenda, publishBody)
	f.expect(w, http.StatusCreated)
	link := w.Header().Get("Location")
	if !strings.HasPrefix(link, "http://parvis.test/ics/") || !strings.HasSuffix(link, ".ics") {
		t.Fatalf("Location %q", link)
	}
	w = f.do("anna", "POST", agenda, publishBody)
	if f.expect(w, http.StatusOK); w.Header().Get("Location") != link {
		t.Errorf("publishing twice changed the link: %q, then %q", link, w.Header().Get("Location"))
	}
	f.expect(f.do("anna", "PROPFIND", agenda, publishURLAsk, "Depth", "0"), http.StatusMultiStatus, "<D:href>"+link+"</D:href>")
	for _, who := range []string{"gaston", "alice"} {
		if body := f.expect(f.do(who, "PROPFIND", f.home(who, "calendars")+"atelier~agenda/", publishURLAsk, "Depth", "0"),
			http.StatusMultiStatus); strings.Contains(body, "/ics/") {
			t.Errorf("%s, not an animator, was shown the link:\n%s", who, body)
		}
	}

	got := feedGet(f, "GET", link)
	body := got.Body.String()
	if got.Code != http.StatusOK || got.Header().Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("feed: %d %q\n%s", got.Code, got.Header().Get("Content-Type"), body)
	}
	for what, n := range map[string]int{"BEGIN:VTIMEZONE": 1, "BEGIN:VEVENT": 2, "SUMMARY:collectif": 1, "ATTENDEE": 0, "X-WR-CALNAME:Atelier — agenda": 1} {
		if c := strings.Count(body, what); c != n {
			t.Errorf("feed has %d × %q, want %d:\n%s", c, what, n, body)
		}
	}
	etag := got.Header().Get("ETag")
	if w := feedGet(f, "GET", link, "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: %d, want 304", w.Code)
	}
	f.expect(f.do("anna", "DELETE", agenda+"ag.ics", ""), http.StatusNoContent)
	if w := feedGet(f, "GET", link, "If-None-Match", etag); w.Code != http.StatusOK || strings.Count(w.Body.String(), "BEGIN:VEVENT") != 1 {
		t.Errorf("after a deletion: %d\n%s", w.Code, w.Body.String())
	}

	f.expect(f.do("anna", "POST", agenda, unpublishBody), http.StatusNoContent)
	for _, u := range []string{link, strings.TrimSuffix(link, ".ics"), "http://parvis.test/ics/", "http://parvis.test/ics/nope.ics"} {
		if w := feedGet(f, "GET", u); w.Code != http.StatusNotFound {
			t.Errorf("GET %s after revocation: %d", u, w.Code)
		}
	}
	if w := f.do("anna", "POST", agenda, publishBody); w.Header().Get("Location") == link {
		t.Error("a revoked link came back")
	}
	want := "calendar.publish anna@example.org calendar atelier~agenda|calendar.unpublish anna@example.org calendar atelier~agenda|" +
		"calendar.publish anna@example.org calendar atelier~agenda"
	if got := f.audited("calendar."); got != want {
		t.Errorf("audit log: %q\nwant %q", got, want)
	}
}
