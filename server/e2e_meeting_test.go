package server

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"parvis/access"
	"parvis/storage/db"
)

// TestE2EMeeting carries a meeting through its life in Chromium, each person in a browser context
// of their own: the animator opens a poll with three dates; a member and a guest answer from the
// group's page, another member from the link mailed to her, signed out; the animator closes the poll on the
// best date, which the agenda shows and python3-caldav reads; a member writes the minutes from the
// template, previews and submits them; a second animator validates and publishes them to every
// member; a member of another group reads them, and a guest of that other group does not.
func TestE2EMeeting(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	e := newE2E(t)
	ctx := context.Background()
	acc := e.ts.srv.in.access
	for email, grant := range map[string]struct {
		group string
		role  db.Role
	}{"claire@example.org": {"atelier", db.RoleMember}, "nadia@example.org": {"atelier", db.RoleAnimator},
		"victor@example.org": {"bureau", db.RoleGuest}} {
		name := strings.ToUpper(email[:1]) + email[1:strings.Index(email, "@")]
		if _, err := acc.CreatePerson(ctx, access.CLI, access.NewPerson{Email: email, Password: pw, Name: name}); err != nil {
			t.Fatal(err)
		}
		if err := acc.Grant(ctx, access.CLI, grant.group, email, grant.role, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Now().AddDate(0, 0, 21)
	pollURL := e.openPoll(e.signedIn(anna), day)
	e.answerOnPage(e.signedIn(alice), pollURL, "yes", "maybe", "no")
	e.answerOnPage(e.signedIn(gus), pollURL, "yes", "no", "yes")
	e.answerByLink(e.person(), "claire@example.org")
	eventURL := e.closePoll(e.signedIn(anna), pollURL)
	e.caldavSeesMeeting(day)
	e.inviteGroup(e.signedIn(anna), eventURL)
	invitation := e.answerInvitation(e.person(), "claire@example.org")
	minutesURL := e.writeMinutes(e.signedIn(alice), pollURL)
	e.validateAndPublish(e.signedIn("nadia@example.org"))
	reader := e.signedIn(bob)
	e.readPublished(reader, e.signedIn("victor@example.org"), minutesURL)

	// The pages of a meeting, reviewed in both languages at a desktop's and a phone's width.
	animator := e.signedIn(anna)
	visitor := e.person()
	poll, minutes := strings.TrimPrefix(pollURL, e.ts.URL), strings.TrimPrefix(minutesURL, e.ts.URL)
	pollID := poll[strings.LastIndex(poll, "/")+1:]
	pages := []reviewed{
		{"meetings", animator, e.at("/groups/atelier/polls", "ul.links")},
		{"poll-form", animator, e.at("/groups/atelier/polls/new", "#slot-rows")},
		{"poll", animator, e.at(poll, "table.poll")},
		{"minutes-form", animator, e.at("/groups/atelier/minutes/new?poll="+pollID, "#body")},
		{"minutes-published", reader, e.at("/minutes", "main")},
		{"invitation", visitor, e.at(invitation, "form.answers")},
		{"event", animator, e.at(strings.TrimPrefix(eventURL, e.ts.URL), `article.event-view`)},
		{"event-invited", animator, e.at(strings.TrimPrefix(eventURL, e.ts.URL)+"/edit", `input[name="group"]`)},
	}
	e.review("fr", append(pages, reviewed{"minutes", animator, e.at(minutes, "article.minutes")}))
	e.setLanguage(animator, "en")
	e.setLanguage(reader, "en")
	e.setLanguage(visitor, "en")
	e.review("en", pages) // the minutes themselves are written in French: their text is not the interface's
}

// signedIn opens a browser context of its own for email, signed in.
func (e *e2e) signedIn(email string) context.Context {
	ctx := e.person()
	e.signIn(ctx, email, pw)
	return ctx
}

// openPoll: the animator goes to the meetings tab, proposes three evenings from the form and
// lands on the poll's page; its address is returned.
func (e *e2e) openPoll(animator context.Context, day time.Time) string {
	e.t.Helper()
	var loc string
	actions := []chromedp.Action{
		chromedp.Navigate(e.ts.URL + "/groups/atelier/files"),
		follow(`nav.tabs a[href="/groups/atelier/polls"]`, chromedp.ByQuery),
		follow(`a.button[href$="/polls/new"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#title`, chromedp.ByID),
		chromedp.SendKeys(`#title`, "Collectif de printemps", chromedp.ByID),
		chromedp.SendKeys(`#location`, "Local associatif", chromedp.ByID),
	}
	for i := range 3 {
		row := `#slot-rows li:nth-child(` + string(rune('1'+i)) + `) `
		actions = append(actions,
			chromedp.SetValue(row+`input[name="slot_date"]`, day.AddDate(0, 0, i).Format("2006-01-02"), chromedp.ByQuery),
			chromedp.SetValue(row+`input[name="slot_start"]`, "18:30", chromedp.ByQuery),
			chromedp.SetValue(row+`input[name="slot_end"]`, "20:30", chromedp.ByQuery))
	}
	actions = append(actions, follow(`form.calform button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.poll`, chromedp.ByQuery), chromedp.Location(&loc))
	e.run(animator, "open a poll", actions...)
	if !regexp.MustCompile(`/groups/atelier/polls/\d+$`).MatchString(loc) {
		e.t.Fatalf("after opening the poll: %s", loc)
	}
	return loc
}

// answerOnPage: a member opens the poll from their home page's "waiting for your answer" and
// answers each date.
func (e *e2e) answerOnPage(member context.Context, pollURL string, answers ...string) {
	e.t.Helper()
	path := strings.TrimPrefix(pollURL, e.ts.URL)
	actions := []chromedp.Action{
		chromedp.Navigate(e.ts.URL + "/"),
		follow(`section.waiting a[href="`+path+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`tr.mine`, chromedp.ByQuery),
	}
	for i, a := range answers {
		actions = append(actions, chromedp.Click(`tr.mine td:nth-child(`+string(rune('2'+i))+`) input[value="`+a+`"]`, chromedp.ByQuery))
	}
	var notice string
	actions = append(actions, follow(`#poll-answer button[type="submit"]`, chromedp.ByQuery),
		chromedp.Text(`p.notice`, &notice, chromedp.ByQuery))
	e.run(member, "answer the poll from the page", actions...)
	if !strings.Contains(notice, "enregistrées") {
		e.t.Fatalf("after answering: %q", notice)
	}
}

// answerByLink: someone opens the personal link of the poll's mail, signed out, and answers.
func (e *e2e) answerByLink(visitor context.Context, to string) {
	e.t.Helper()
	link := pollLinkRE.FindString(e.mail(to, 1))
	if link == "" {
		e.t.Fatalf("the poll's mail to %s has no link", to)
	}
	var who, notice string
	e.run(visitor, "answer the poll by its mailed link",
		chromedp.Navigate(link),
		chromedp.WaitVisible(`tr.mine`, chromedp.ByQuery),
		chromedp.Text(`main`, &who, chromedp.ByQuery),
		chromedp.Click(`tr.mine td:nth-child(2) input[value="yes"]`, chromedp.ByQuery),
		chromedp.Click(`tr.mine td:nth-child(3) input[value="yes"]`, chromedp.ByQuery),
		follow(`#poll-answer button[type="submit"]`, chromedp.ByQuery),
		chromedp.Text(`p.notice`, &notice, chromedp.ByQuery))
	if !strings.Contains(who, to) || !strings.Contains(notice, "enregistrées") {
		e.t.Fatalf("the link's page: %q / %q", who, notice)
	}
}

// closePoll: the animator reads the table (three answers, the first date best) and closes the poll
// on it, which shows the event it became.
func (e *e2e) closePoll(animator context.Context, pollURL string) string {
	e.t.Helper()
	var table, summary, event string
	e.run(animator, "close the poll",
		chromedp.Navigate(pollURL),
		chromedp.WaitVisible(`table.poll`, chromedp.ByQuery),
		chromedp.Text(`table.poll tfoot`, &table, chromedp.ByQuery),
		follow(`form[action$="/close"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`article.event-view h2`, chromedp.ByQuery),
		chromedp.Text(`article.event-view h2`, &summary, chromedp.ByQuery),
		chromedp.Location(&event))
	if !strings.Contains(table, "3 oui") || summary != "Collectif de printemps" {
		e.t.Fatalf("totals %q; the event after closing: %q", table, summary)
	}
	return event
}

// inviteGroup: the animator opens the meeting's event and invites atelier's members and animators
// as one attendee; each of them is mailed an invitation.
func (e *e2e) inviteGroup(animator context.Context, eventURL string) {
	e.t.Helper()
	e.run(animator, "invite the group to the meeting",
		chromedp.Navigate(eventURL),
		follow(`a[href$="/edit"].button`, chromedp.ByQuery),
		chromedp.WaitVisible(`input[name="group"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="group"][value="urn:x-parvis:group:atelier:member"]`, chromedp.ByQuery),
		follow(`form.calform button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.fc-view-harness`, chromedp.ByQuery))
}

// answerInvitation: the invitation's accept link, opened signed out on the device of the person
// mailed, shows the meeting with that answer highlighted; one tap records it.
func (e *e2e) answerInvitation(visitor context.Context, to string) string {
	e.t.Helper()
	m := readMail(e.t, waitMailContaining(e.t, e.box, to, "method=REQUEST"))
	link := invitationLinkRE.FindString(m.text)
	if link == "" {
		e.t.Fatalf("the invitation to %s has no accept link:\n%s", to, m.text)
	}
	var notice, answer string
	e.run(visitor, "accept the invitation by its mailed link",
		chromedp.Navigate(link),
		chromedp.WaitVisible(`button.chosen[value="accepted"]`, chromedp.ByQuery),
		follow(`button.chosen[value="accepted"]`, chromedp.ByQuery),
		chromedp.Text(`p.notice`, &notice, chromedp.ByQuery),
		chromedp.Text(`#current-answer`, &answer, chromedp.ByQuery))
	if !strings.Contains(notice, "enregistrée") || answer != "Je viens" {
		e.t.Fatalf("after accepting: %q / %q", notice, answer)
	}
	u, _ := url.Parse(link)
	return u.RequestURI()
}

// caldavSeesMeeting: python3-caldav reads the event in atelier's agenda, with the answers as the
// attendees' participation.
func (e *e2e) caldavSeesMeeting(day time.Time) {
	e.t.Helper()
	script := `import os, caldav
p = caldav.DAVClient(url=os.environ["URL"], username=os.environ["USER"], password=os.environ["PW"]).principal()
cal = [c for c in p.calendars() if str(c.url).rstrip("/").endswith("/atelier~agenda")][0]
for o in cal.events():
    ev = o.icalendar_instance.walk("VEVENT")[0]
    att = sorted("%s=%s" % (str(a).lower(), a.params.get("PARTSTAT")) for a in ev.get("ATTENDEE", []))
    print("%s|%s|%s" % (ev["SUMMARY"], ev["DTSTART"].dt.isoformat(), ",".join(att)))
`
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Env = append(os.Environ(), "URL="+e.ts.URL+"/", "USER="+alice, "PW="+pw)
	out, err := cmd.CombinedOutput()
	want := "Collectif de printemps|" + day.Format("2006-01-02") + "T18:30:00"
	if err != nil || !strings.Contains(string(out), want) || !strings.Contains(string(out), "mailto:claire@example.org=ACCEPTED") {
		e.t.Fatalf("python3-caldav: %v; want %q with claire accepted\n%s", err, want, out)
	}
}

// writeMinutes: a member starts the minutes from the poll's page, finds those present and excused
// filled in, adds a decision and an action, previews, saves and submits; the minutes' address is
// returned.
func (e *e2e) writeMinutes(member context.Context, pollURL string) string {
	e.t.Helper()
	var body, preview, status, loc string
	e.run(member, "write and submit the minutes",
		chromedp.Navigate(pollURL),
		follow(`a[href*="/minutes/new?poll="]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#body`, chromedp.ByID),
		chromedp.Value(`#body`, &body, chromedp.ByID),
		chromedp.SendKeys(`#body`, "\n\n## Décisions prises\n\n- Le local ouvre le **samedi**.\n", chromedp.ByID),
		chromedp.SendKeys(`.action-rows li:nth-child(1) input[name="action_what"]`, "Réserver la salle", chromedp.ByQuery),
		chromedp.SetValue(`.action-rows li:nth-child(1) select[name="action_who"]`, "claire@example.org", chromedp.ByQuery),
		follow(`button[name="preview"]`, chromedp.ByQuery),
		chromedp.Text(`.minutes-preview`, &preview, chromedp.ByQuery),
		follow(`form.calform button[type="submit"]:not([name])`, chromedp.ByQuery),
		chromedp.WaitVisible(`article.minutes`, chromedp.ByQuery),
		chromedp.Location(&loc),
		follow(`form[action$="/submit"] button`, chromedp.ByQuery),
		chromedp.Text(`.status`, &status, chromedp.ByQuery))
	for _, who := range []string{"alice@example.org", "Claire", "gus@example.org"} {
		if !strings.Contains(body, who) {
			e.t.Errorf("the template's present lacks %s:\n%s", who, body)
		}
	}
	if !strings.Contains(preview, "Le local ouvre le samedi.") || strings.Contains(preview, "**") || !strings.Contains(status, "Soumis") {
		e.t.Fatalf("preview %q, status %q", preview, status)
	}
	return strings.TrimSuffix(loc, "?done=submitted")
}

// validateAndPublish: the second animator finds the minutes waiting on the home page, validates
// them (confirming) and publishes them to every member of the association.
func (e *e2e) validateAndPublish(animator context.Context) {
	e.t.Helper()
	var status, meta string
	e.run(animator, "validate and publish the minutes",
		chromedp.Navigate(e.ts.URL+"/"),
		follow(`section.waiting a[href*="/minutes/"]`, chromedp.ByQuery),
		chromedp.Evaluate(`window.confirm = () => true`, nil),
		follow(`form[action$="/validate"] button`, chromedp.ByQuery),
		chromedp.Text(`.status`, &status, chromedp.ByQuery),
		chromedp.Text(`article.minutes p.meta:last-child`, &meta, chromedp.ByQuery),
		chromedp.Click(`#perimeter-members`, chromedp.ByID),
		follow(`form[action$="/publish"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.notice`, chromedp.ByQuery))
	if !strings.Contains(status, "Validé") || !strings.Contains(meta, "validé par Nadia") {
		e.t.Fatalf("after validation: %q / %q", status, meta)
	}
}

// readPublished: a member of another group finds the minutes among those published and reads them;
// a guest of that other group finds nothing, and their address answers 404.
func (e *e2e) readPublished(member, guest context.Context, minutesURL string) {
	e.t.Helper()
	var text, list, guestList string
	e.run(member, "read published minutes",
		chromedp.Navigate(e.ts.URL+"/minutes"),
		chromedp.Text(`main`, &list, chromedp.ByQuery),
		follow(`ul.links a`, chromedp.ByQuery),
		chromedp.Text(`div.minutes-text`, &text, chromedp.ByQuery))
	if !strings.Contains(list, "Collectif de printemps") || !strings.Contains(text, "Le local ouvre le samedi.") {
		e.t.Fatalf("the member of bureau: list %q, text %q", list, text)
	}
	id := minutesURL[strings.LastIndex(minutesURL, "/")+1:]
	var title string
	e.run(guest, "a guest elsewhere does not read them",
		chromedp.Navigate(e.ts.URL+"/minutes"),
		chromedp.Text(`main`, &guestList, chromedp.ByQuery),
		chromedp.Navigate(e.ts.URL+"/minutes/"+id),
		chromedp.Title(&title))
	if strings.Contains(guestList, "Collectif de printemps") || !strings.Contains(strings.ToLower(title), "introuvable") {
		e.t.Fatalf("the guest of bureau: list %q, page %q", guestList, title)
	}
}
