package server

import (
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

var pollLinkRE = regexp.MustCompile(`https?://[^\s]+/poll/[A-Za-z0-9_-]+`)

// TestPollThroughThePages: the animator opens a poll with three dates from the form; everyone of
// the group is mailed a personal link; a member answers from the group's page, the guest from the
// mailed link, signed out; the table shows both; a member may not close; the animator closes on the
// best date, which becomes an event of the agenda that python3-caldav reads with its attendees; a
// closed poll refuses answers with a clear message, and everyone is mailed the date.
func TestPollThroughThePages(t *testing.T) {
	ts, box := mailServer(t)
	animator := signedIn(t, ts, anna)
	day := time.Now().AddDate(0, 0, 20)
	form := url.Values{"title": {"Collectif de printemps"}, "kind": {"collectif"}, "location": {"Local associatif"},
		"visio": {"https://visio.example.org/printemps"}, "deadline": {time.Now().AddDate(0, 0, 10).Format("2006-01-02")}}
	for i := range 3 {
		form.Add("slot_date", day.AddDate(0, 0, i).Format("2006-01-02"))
		form.Add("slot_start", "18:30")
		form.Add("slot_end", "20:30")
		form.Add("slot_place", "")
	}
	form.Add("slot_date", "") // an empty row, as the form offers
	form.Add("slot_start", "")
	form.Add("slot_end", "")
	form.Add("slot_place", "")
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("title", "")
	if code, body := animator.postForm("/groups/atelier/polls/new", "/groups/atelier/polls", bad); code != 422 ||
		!strings.Contains(body, "Donnez un objet à la réunion") || !strings.Contains(body, "18:30") {
		t.Fatalf("a poll without a title: %d, want 422 with the message and the dates kept\n%s", code, body)
	}
	code, _, hdr := animator.submit("/groups/atelier/polls/new", "/groups/atelier/polls", form)
	if code != 303 || !strings.HasPrefix(hdr.Get("Location"), "/groups/atelier/polls/") {
		t.Fatalf("open: %d %s", code, hdr.Get("Location"))
	}
	pollPage := hdr.Get("Location")

	mail := box.body(t, gus)
	link := pollLinkRE.FindString(mail)
	if link == "" || !strings.Contains(mail, "Collectif de printemps") {
		t.Fatalf("the guest's mail has no poll link:\n%s", mail)
	}
	if box.count(bob) != 0 {
		t.Fatalf("bob, outside atelier, was mailed the poll")
	}

	member := signedIn(t, ts, alice)
	page := mustGet(t, member, pollPage)
	slots := regexp.MustCompile(`name="a-(\d+)"`).FindAllStringSubmatch(page, -1)
	if len(slots) != 9 {
		t.Fatalf("the member's answer form has %d radios, want 3 per date:\n%s", len(slots), page)
	}
	s1, s2, s3 := slots[0][1], slots[3][1], slots[6][1]
	if code, _ := member.postForm(pollPage, pollPage+"/answer", url.Values{"a-" + s1: {"yes"}, "a-" + s2: {"maybe"}, "a-" + s3: {"no"}}); code != 303 {
		t.Fatalf("the member's answer: %d", code)
	}

	visitor := newBrowser(t, ts.URL, "fr")
	linkPath := strings.TrimPrefix(link, "http://localhost:8080")
	if linkPath == link {
		u, _ := url.Parse(link)
		linkPath = u.Path
	}
	page = mustGet(t, visitor, linkPath)
	if !strings.Contains(page, "Vous répondez en tant que") || !strings.Contains(page, gus) {
		t.Fatalf("the signed-out link page:\n%s", page)
	}
	if code, _ := visitor.postForm(linkPath, linkPath, url.Values{"a-" + s1: {"yes"}, "a-" + s2: {"no"}}); code != 303 {
		t.Fatalf("the guest's answer by link: %d", code)
	}
	if code, _, _ := visitor.do("GET", "/poll/pas-un-lien", nil); code != 404 {
		t.Fatalf("an unknown link: %d, want 404", code)
	}

	page = mustGet(t, animator, pollPage)
	for _, want := range []string{"alice@example.org", "gus@example.org", "2 / 3", `class="best"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the table of answers lacks %q:\n%s", want, page)
		}
	}
	if code, _ := member.postForm(pollPage, pollPage+"/close", url.Values{"slot": {s1}}); code != 403 {
		t.Fatalf("a member closes the poll: %d, want 403", code)
	}
	outsider := signedIn(t, ts, bob)
	if code, _, _ := outsider.do("GET", pollPage, nil); code != 404 {
		t.Fatalf("an outsider opens the poll: %d, want 404", code)
	}
	code, _, hdr = animator.submit(pollPage, pollPage+"/close", url.Values{"slot": {s1}})
	if code != 303 || !strings.Contains(hdr.Get("Location"), "/agenda/") {
		t.Fatalf("close: %d %s", code, hdr.Get("Location"))
	}
	if code, body := member.postForm(pollPage, pollPage+"/answer", url.Values{"a-" + s2: {"yes"}}); code != 409 || !strings.Contains(body, "Ce sondage est clos") {
		t.Fatalf("an answer after closing: %d, want 409 with the message\n%s", code, body)
	}
	if code, body := visitor.postForm(linkPath, linkPath, url.Values{"a-" + s2: {"yes"}}); code != 409 || !strings.Contains(body, "Ce sondage est clos") {
		t.Fatalf("an answer by link after closing: %d, want 409", code)
	}
	waitMailContaining(t, box, alice, "est fix")

	script := `import os, caldav
p = caldav.DAVClient(url=os.environ["URL"], username=os.environ["USER"], password=os.environ["PW"]).principal()
cal = [c for c in p.calendars() if str(c.url).rstrip("/").endswith("/atelier~agenda")][0]
for o in cal.events():
    ev = o.icalendar_instance.walk("VEVENT")[0]
    att = sorted("%s=%s" % (str(a).lower(), a.params.get("PARTSTAT")) for a in (ev.get("ATTENDEE") if isinstance(ev.get("ATTENDEE"), list) else [ev.get("ATTENDEE")]) if a)
    print("%s|%s|%s|%s" % (ev["SUMMARY"], ev["DTSTART"].dt.isoformat(), ev.get("LOCATION", ""), ",".join(att)))
`
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Env = append(os.Environ(), "URL="+ts.URL+"/", "USER="+alice, "PW="+pw)
	out, err := cmd.CombinedOutput()
	want := "Collectif de printemps|" + day.Format("2006-01-02") + "T18:30:00"
	if err != nil || !strings.Contains(string(out), want) || !strings.Contains(string(out), "mailto:alice@example.org=ACCEPTED") ||
		!strings.Contains(string(out), "mailto:gus@example.org=ACCEPTED") {
		t.Fatalf("python3-caldav: %v; want %q with both attendees accepted\n%s", err, want, out)
	}
}

// TestMeetingRefusalsSayWhy: through the pages, a member who tries to validate minutes, anyone who
// tries to change validated minutes in place, and a member who tries to close a poll each get the
// page back with a message that says why, and nothing changes.
func TestMeetingRefusalsSayWhy(t *testing.T) {
	ts := newTestServer(t)
	member, animator := signedIn(t, ts, alice), signedIn(t, ts, anna)
	today := time.Now().Format("2006-01-02")
	code, _, hdr := member.submit("/groups/atelier/minutes/new", "/groups/atelier/minutes",
		url.Values{"title": {"Collectif de mars"}, "held_on": {today}, "body": {"Le budget est adopté."}})
	if code != 303 {
		t.Fatalf("new minutes: %d", code)
	}
	page := hdr.Get("Location")
	if code, _ := member.postForm(page, page+"/submit", nil); code != 303 {
		t.Fatalf("submit: %d", code)
	}
	if code, body := member.postForm(page, page+"/validate", nil); code != 403 || !strings.Contains(body, "Seul·e un·e animateur·ice du groupe valide") {
		t.Fatalf("a member validates: %d, want 403 with the reason\n%s", code, body)
	}
	if code, _ := animator.postForm(page, page+"/validate", nil); code != 303 {
		t.Fatalf("the animator validates: %d", code)
	}
	for _, b := range []*browser{member, animator} {
		code, body := b.postForm(page, page, url.Values{"title": {"Autre"}, "held_on": {today}, "body": {"Réécrit."}})
		if code != 409 || !strings.Contains(body, "Un compte rendu validé ne se modifie pas") {
			t.Fatalf("changing validated minutes in place: %d, want 409 with the reason\n%s", code, body)
		}
		if code, body, _ := b.do("GET", page+"/edit", nil); code != 409 || !strings.Contains(body, "Corriger") {
			t.Fatalf("the form of validated minutes: %d", code)
		}
	}
	if body := mustGet(t, member, page); !strings.Contains(body, "Le budget est adopté.") || strings.Contains(body, "Réécrit.") {
		t.Fatalf("the validated text changed:\n%s", body)
	}

	form := url.Values{"title": {"AG"}, "kind": {"AG"}, "deadline": {time.Now().AddDate(0, 0, 5).Format("2006-01-02")},
		"slot_date": {time.Now().AddDate(0, 0, 9).Format("2006-01-02")}, "slot_start": {"18:00"}, "slot_end": {"20:00"}, "slot_place": {""}}
	code, _, hdr = animator.submit("/groups/atelier/polls/new", "/groups/atelier/polls", form)
	if code != 303 {
		t.Fatalf("open a poll: %d", code)
	}
	poll := hdr.Get("Location")
	slot := regexp.MustCompile(`name="slot" value="(\d+)"`).FindStringSubmatch(mustGet(t, animator, poll))
	if slot == nil {
		t.Fatal("no date to close the poll on")
	}
	if code, body := member.postForm(poll, poll+"/close", url.Values{"slot": {slot[1]}}); code != 403 || !strings.Contains(body, "Seul·e un·e animateur·ice du groupe clôt") {
		t.Fatalf("a member closes the poll: %d, want 403 with the reason\n%s", code, body)
	}
}
