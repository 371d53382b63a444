package server

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"
)

var invitationLinkRE = regexp.MustCompile(`https?://[^\s]+/invitation/[A-Za-z0-9_-]+\?r=accepted`)

// mailParts reads a mail's parts, nested multiparts flattened, each decoded: by media type, the
// parameters of the text/calendar part, and how many parts of each type.
type mailParts struct {
	text, calendar, file string
	method               string
	count                map[string]int
}

func readMail(t *testing.T, raw string) mailParts {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	out := mailParts{count: map[string]int{}}
	var walk func(ct string, enc string, body io.Reader)
	walk = func(ct, enc string, body io.Reader) {
		media, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatalf("content type %q: %v", ct, err)
		}
		if strings.HasPrefix(media, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err == io.EOF {
					return
				} else if err != nil {
					t.Fatal(err)
				}
				walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			}
		}
		switch strings.ToLower(enc) {
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		}
		b, _ := io.ReadAll(body)
		out.count[media]++
		switch media {
		case "text/plain":
			out.text = string(b)
		case "text/calendar":
			out.calendar, out.method = string(b), params["method"]
		case "application/ics":
			out.file = string(b)
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return out
}

// TestInvitationsByMail: alice, a member, puts a meeting of atelier over CalDAV inviting gus (the
// guest) and someone outside; each receives an iMIP mail whose text/calendar part, method REQUEST,
// is a valid iTIP request for go-ical and for python's icalendar, with the .ics beside it and answer
// links in the text; the outside person's accept link, opened signed out, shows the meeting with
// that answer highlighted, records it once into the event CalDAV serves, and says so on a second
// click; moving the meeting mails an update; deleting it mails a CANCEL, after which the link says
// the meeting is off.
func TestInvitationsByMail(t *testing.T) {
	ts, box := mailServer(t)
	const outside = "claire@partenaire.example"
	aliceID := personID(t, ts, alice)
	path := fmt.Sprintf("/dav/calendars/%d/atelier~agenda/ag.ics", aliceID)
	year := time.Now().Year() + 1
	meeting := func(day int, seq int) string {
		return ical(fmt.Sprintf("BEGIN:VEVENT\nUID:ag-%d\nDTSTAMP:20261121T100000Z\nDTSTART:%d06%02dT160000Z\nDTEND:%d06%02dT180000Z\n", year, year, day, year, day) +
			fmt.Sprintf("SEQUENCE:%d\nSUMMARY:Assemblée générale\nLOCATION:Salle des fêtes\nURL:https://visio.example.org/ag\n", seq) +
			"ORGANIZER;CN=Alice:mailto:" + alice + "\nATTENDEE;CN=Alice;PARTSTAT=ACCEPTED:mailto:" + alice + "\n" +
			"ATTENDEE;CN=Gus;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:" + gus + "\nATTENDEE;CN=Claire;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:" + outside + "\n" +
			"BEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:AG\nTRIGGER:-PT1H\nEND:VALARM\nEND:VEVENT\n")
	}
	ts.must(t, 201, req{method: "PUT", path: path, user: alice, body: meeting(20, 0), headers: []string{"Content-Type", "text/calendar"}})

	for _, to := range []string{gus, outside} {
		m := readMail(t, waitMailContaining(t, box, to, "method=REQUEST"))
		if m.method != "REQUEST" || m.count["text/calendar"] != 1 || m.file == "" || !strings.Contains(m.text, "Salle des fêtes") ||
			!strings.Contains(m.text, "/invitation/") || !strings.Contains(m.text, "English") {
			t.Fatalf("invitation to %s: method %q, parts %v, text:\n%s", to, m.method, m.count, m.text)
		}
		cal, err := goical.NewDecoder(strings.NewReader(m.calendar)).Decode()
		if err != nil {
			t.Fatalf("go-ical reads the REQUEST to %s: %v\n%s", to, err, m.calendar)
		}
		ev := cal.Events()[0]
		if method, _ := cal.Props.Text(goical.PropMethod); method != "REQUEST" || ev.Props.Get(goical.PropOrganizer) == nil ||
			ev.Props.Get("CONFERENCE") == nil || len(ev.Children) != 0 {
			t.Fatalf("REQUEST to %s:\n%s", to, m.calendar)
		}
		pyCheckITIP(t, m.calendar, "REQUEST", to)
	}
	if n := box.count(alice); n != 0 {
		t.Fatalf("the organizer was mailed %d invitations to her own meeting", n)
	}

	link := invitationLinkRE.FindString(readMail(t, waitMailContaining(t, box, outside, "method=REQUEST")).text)
	if link == "" {
		t.Fatal("no accept link in the outside invitation")
	}
	u, _ := url.Parse(link)
	visitor := newBrowser(t, ts.URL, "fr")
	page := mustGet(t, visitor, u.RequestURI())
	for _, want := range []string{"Assemblée générale", "Salle des fêtes", outside, `value="accepted" class="chosen"`, "pas encore donnée"} {
		if !strings.Contains(page, want) {
			t.Fatalf("the invitation page lacks %q:\n%s", want, page)
		}
	}
	code, _, hdr := visitor.submit(u.RequestURI(), u.Path, url.Values{"answer": {"accepted"}})
	if code != 303 || !strings.Contains(hdr.Get("Location"), "done=answered") {
		t.Fatalf("accept: %d %s", code, hdr.Get("Location"))
	}
	if page := mustGet(t, visitor, hdr.Get("Location")); !strings.Contains(page, "Votre réponse est enregistrée") || !strings.Contains(page, "Je viens") {
		t.Fatalf("after accepting:\n%s", page)
	}
	body, _ := ts.must(t, 200, req{method: "GET", path: path, user: alice})
	if !strings.Contains(strings.ReplaceAll(body, "\r\n ", ""), "PARTSTAT=ACCEPTED:mailto:"+outside) {
		t.Fatalf("alice's copy does not say claire comes:\n%s", body)
	}
	code, _, hdr = visitor.submit(u.RequestURI(), u.Path, url.Values{"answer": {"accepted"}})
	if code != 303 || !strings.Contains(hdr.Get("Location"), "done=same") {
		t.Fatalf("a second click: %d %s, want done=same", code, hdr.Get("Location"))
	}
	if page := mustGet(t, visitor, hdr.Get("Location")); !strings.Contains(page, "déjà enregistrée") {
		t.Fatalf("the second click's page:\n%s", page)
	}

	ts.must(t, 204, req{method: "PUT", path: path, user: alice, body: meeting(27, 1), headers: []string{"Content-Type", "text/calendar"}})
	if subjects := box.subjects(t, gus, 2); len(subjects) != 2 || !strings.HasPrefix(subjects[1], "Modifiée") {
		t.Fatalf("gus's mails after the move: %q", subjects)
	}
	ts.must(t, 204, req{method: "DELETE", path: path, user: alice})
	m := readMail(t, waitMailContaining(t, box, outside, "method=CANCEL"))
	pyCheckITIP(t, m.calendar, "CANCEL", outside)
	if page := mustGet(t, visitor, u.RequestURI()); !strings.Contains(page, "annulée") || strings.Contains(page, `name="answer"`) {
		t.Fatalf("the link of a deleted meeting:\n%s", page)
	}
	if code, _, _ := visitor.do("GET", "/invitation/pas-un-lien", nil); code != 404 {
		t.Fatalf("an unknown link: %d, want 404", code)
	}
}

// pyCheckITIP has python's icalendar (Debian's python3-icalendar, what python3-caldav reads with)
// parse an iTIP message and check its method, its one event's organizer and that to attends.
func pyCheckITIP(t *testing.T, ics, method, to string) {
	t.Helper()
	script := `import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
evs = [c for c in cal.walk() if c.name == "VEVENT"]
assert str(cal["METHOD"]) == sys.argv[1], cal["METHOD"]
assert len(evs) == 1 and evs[0].get("ORGANIZER") and evs[0].get("DTSTAMP") and evs[0].get("UID")
att = evs[0].get("ATTENDEE")
att = att if isinstance(att, list) else [att]
assert any(str(a).lower() == "mailto:" + sys.argv[2] for a in att), att
print("ok")`
	cmd := exec.Command("/usr/bin/python3", "-c", script, method, to)
	cmd.Stdin = strings.NewReader(ics)
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("python's icalendar on the %s to %s: %v\n%s\n%s", method, to, err, out, ics)
	}
}

// TestInvitingTheGroupFromTheAgendaPage: the event form offers an animator, and only them, to
// invite the group as one attendee; saving it mails each member in force (not the guest, who is
// not asked, nor the organizer); a member finds the invitation on her home page and answers there,
// and the event then lists her answer, as a member of the group.
func TestInvitingTheGroupFromTheAgendaPage(t *testing.T) {
	ts, box := mailServer(t)
	animator, member := signedIn(t, ts, anna), signedIn(t, ts, alice)
	if page := mustGet(t, member, "/groups/atelier/agenda/new"); strings.Contains(page, `name="group"`) {
		t.Fatal("a member is offered to invite the whole group")
	}
	page := mustGet(t, animator, "/groups/atelier/agenda/new")
	audience := "urn:x-parvis:group:atelier:member"
	if !strings.Contains(page, `value="`+audience+`"`) || !strings.Contains(page, "Inviter un groupe") {
		t.Fatalf("the animator's form offers no group:\n%s", page)
	}
	day := fmt.Sprintf("%d-06-20", time.Now().Year()+1)
	form := url.Values{"summary": {"Assemblée générale"}, "kind": {"AG"}, "start_date": {day}, "start_time": {"18:30"},
		"end_date": {day}, "end_time": {"20:30"}, "location": {"Salle des fêtes"}, "group": {audience}}
	if code, body := animator.postForm("/groups/atelier/agenda/new", "/groups/atelier/agenda/new", form); code != 303 {
		t.Fatalf("create: %d\n%s", code, body)
	}
	m := readMail(t, waitMailContaining(t, box, alice, "method=REQUEST"))
	if !strings.Contains(m.text, "18:30") || !strings.Contains(m.calendar, "CUTYPE=GROUP") {
		t.Fatalf("alice's invitation:\n%s\n%s", m.text, m.calendar)
	}
	time.Sleep(200 * time.Millisecond) // the sender works through its queue in order
	if box.count(gus) != 0 || box.count(anna) != 0 {
		t.Fatalf("the guest got %d mails and the organizer %d", box.count(gus), box.count(anna))
	}

	home := mustGet(t, member, "/")
	id := regexp.MustCompile(`action="/invitations/(\d+)"`).FindStringSubmatch(home)
	if id == nil || !strings.Contains(home, "Assemblée générale") {
		t.Fatalf("alice's home page lists no invitation:\n%s", home)
	}
	code, _, hdr := member.submit("/", "/invitations/"+id[1], url.Values{"answer": {"declined"}})
	if code != 303 || !strings.Contains(hdr.Get("Location"), "done=invitation") {
		t.Fatalf("decline from home: %d %s", code, hdr.Get("Location"))
	}
	if home := mustGet(t, member, "/"); !strings.Contains(home, "Je ne viens pas") {
		t.Fatalf("alice's home page after declining:\n%s", home)
	}
	var event string
	for _, o := range listAgenda(t, ts, alice) {
		if strings.Contains(o, "Assemblée générale") {
			event = strings.ReplaceAll(o, "\r\n ", "")
		}
	}
	if !strings.Contains(event, "PARTSTAT=DECLINED") || !strings.Contains(event, audience) || !strings.Contains(event, "mailto:"+alice) {
		t.Fatalf("the event after alice's answer:\n%s", event)
	}
}

var calendarDataRE = regexp.MustCompile(`(?s)BEGIN:VCALENDAR.*?END:VCALENDAR`)

// listAgenda returns the objects of atelier's agenda as user reads them over CalDAV.
func listAgenda(t *testing.T, ts *testServer, user string) []string {
	t.Helper()
	q := `<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop>` +
		`<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`
	body, _ := ts.must(t, 207, req{method: "REPORT", path: fmt.Sprintf("/dav/calendars/%d/atelier~agenda/", personID(t, ts, user)), user: user,
		body: q, headers: []string{"Depth", "1", "Content-Type", "application/xml"}})
	return calendarDataRE.FindAllString(html.UnescapeString(body), -1)
}
