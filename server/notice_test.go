package server

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAGNotice: convening an AG with fewer days left than its notice period asks for a
// confirmation next to the field and stores nothing; confirmed, it goes, the notice kept on the
// event; with enough days, or for another kind of meeting, nothing is asked.
func TestAGNotice(t *testing.T) {
	ts := newTestServer(t)
	b := signedIn(t, ts, anna)
	on := func(days int) string { return time.Now().AddDate(0, 0, days).Format("2006-01-02") }
	form := func(summary, kind string, days int) url.Values {
		return url.Values{"summary": {summary}, "kind": {kind}, "start_date": {on(days)}, "start_time": {"18:30"}, "end_date": {on(days)},
			"end_time": {"21:00"}, "attendee": {alice}, "notice": {"15"}}
	}
	late := form("AG extraordinaire", "AG", 5)
	code, body := b.postForm("/groups/atelier/agenda/new", "/groups/atelier/agenda/new", late)
	if code != 422 || !strings.Contains(body, `id="notice-error"`) || !strings.Contains(body, `name="notice_ok"`) {
		t.Fatalf("a late convocation: %d", code)
	}
	if n := len(davObjects(t, ts, alice, "calendars", "agenda")); n != 0 {
		t.Fatalf("the late convocation was stored before confirmation: %d", n)
	}
	late.Set("notice_ok", "on")
	if code, body := b.postForm("/groups/atelier/agenda/new", "/groups/atelier/agenda/new", late); code != 303 {
		t.Fatalf("confirmed: %d\n%s", code, body)
	}
	_, ev := onlyObject(t, davObjects(t, ts, alice, "calendars", "agenda"), "AG extraordinaire")
	wants(t, "the AG", ev, "X-PARVIS-NOTICE;VALUE=DURATION:P15D")
	for _, f := range []url.Values{form("AG ordinaire", "AG", 30), form("Collectif", "collectif", 5)} {
		if code, body := b.postForm("/groups/atelier/agenda/new", "/groups/atelier/agenda/new", f); code != 303 {
			t.Fatalf("%s: %d\n%s", f.Get("summary"), code, body)
		}
	}
}
