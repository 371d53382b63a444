package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAgenda opens the agenda in a real browser 390 px wide, under the pages' CSP: the
// vendored FullCalendar renders (its styles applied), shows the event from the JSON feed, and the
// page does not scroll sideways; the event form fits too.
func TestBrowserAgenda(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	ts := newTestServer(t)
	day := time.Now().Format("20060102")
	ts.must(t, 201, req{method: "PUT", path: fmt.Sprintf("/dav/calendars/%d/atelier~agenda/b.ics", personID(t, ts, alice)), user: alice,
		headers: []string{"Content-Type", "text/calendar"},
		body:    ical("BEGIN:VEVENT\nUID:b\nDTSTAMP:20261121T100000Z\nDTSTART;VALUE=DATE:" + day + "\nSUMMARY:Vide-grenier du quartier\nCATEGORIES:other\nEND:VEVENT\n")})
	ctx := chrome(t)
	var title, display string
	var fits, formFits bool
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		signInAs(ts.URL, alice),
		chromedp.Navigate(ts.URL+"/groups/atelier/agenda"),
		chromedp.WaitVisible(".fc-list-event-title", chromedp.ByQuery),
		chromedp.Text(".fc-list-event-title", &title, chromedp.ByQuery),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".fc")).display`, &display),
		chromedp.Evaluate(`document.documentElement.scrollWidth <= window.innerWidth`, &fits),
		chromedp.Navigate(ts.URL+"/groups/atelier/agenda/new"),
		chromedp.WaitVisible("#summary", chromedp.ByID),
		chromedp.Evaluate(`document.documentElement.scrollWidth <= window.innerWidth`, &formFits),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "Vide-grenier") || display != "flex" {
		t.Fatalf("FullCalendar: title %q, .fc display %q", title, display)
	}
	if !fits || !formFits {
		t.Fatalf("horizontal scroll at 390 px: agenda %v, form %v", fits, formFits)
	}
}
