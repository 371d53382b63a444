package meeting

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// meetingICS is an event of the collectif next month organized by organizer, inviting attendees.
func meetingICS(uid, organizer, start string, seq int, attendees ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\n", uid)
	fmt.Fprintf(&b, "DTSTART:%s\r\nDURATION:PT2H\r\nSUMMARY:Collectif\r\nLOCATION:Local associatif\r\nSEQUENCE:%d\r\n", start, seq)
	fmt.Fprintf(&b, "ORGANIZER;CN=Organisation:mailto:%s\r\n", organizer)
	for _, a := range attendees {
		addr, partstat, _ := strings.Cut(a, "=")
		if partstat == "" {
			partstat = "NEEDS-ACTION"
		}
		fmt.Fprintf(&b, "ATTENDEE;PARTSTAT=%s;RSVP=TRUE:mailto:%s\r\n", partstat, addr)
	}
	b.WriteString("BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:rappel\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n")
	b.WriteString("END:VEVENT\r\nEND:VCALENDAR\r\n")
	return []byte(b.String())
}

// nextMonth is a UTC DTSTART a month from now.
func nextMonth(days int) string {
	return time.Now().AddDate(0, 1, days).UTC().Truncate(time.Hour).Format("20060102T150405Z")
}

func (w *world) agenda(t *testing.T) db.Collection {
	t.Helper()
	g, err := w.d.R(context.Background()).GroupBySlug("collectif")
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.d.R(context.Background()).Collection(g.ID, 0, db.KindCalendar, "agenda")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// putter writes events of coll as the pages and CalDAV do, the meetings' scheduler telling attendees.
func (w *world) putter(coll db.Collection) func(by db.Person, name string, data []byte) error {
	return func(by db.Person, name string, data []byte) error {
		_, _, err := calendar.Put(context.Background(), w.d, coll, name, data, calendar.Edit{By: by, Scheduler: w.s})
		return err
	}
}

// since returns the notices of template queued since mark, by recipient.
func (l *noticeLog) since(mark int, template string) map[string]access.Notice {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]access.Notice{}
	for _, n := range l.got[mark:] {
		if n.Template == template {
			out[n.To.Email] = n
		}
	}
	return out
}

func (l *noticeLog) mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.got)
}

// itip parses a notice's iTIP message and returns its METHOD and event.
func itip(t *testing.T, n access.Notice) (string, *ical.Component) {
	t.Helper()
	cal, err := ical.NewDecoder(strings.NewReader(n.Calendar)).Decode()
	if err != nil {
		t.Fatalf("iTIP message of %s does not parse: %v\n%s", n.Template, err, n.Calendar)
	}
	method, _ := cal.Props.Text(ical.PropMethod)
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("iTIP message has %d events:\n%s", len(events), n.Calendar)
	}
	return method, events[0].Component
}

// TestInvitationsFollowTheEvent: a member's event with attendees mails each an invitation with its
// iTIP REQUEST and an answer link; an answer changes nothing else; a new time mails an update; an
// attendee taken off is sent a CANCEL, and the rest hear nothing; the link answers once, into the
// organizer's copy; the home page lists the invitation; deleting the event cancels it for all.
func TestInvitationsFollowTheEvent(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	coll := w.agenda(t)
	put := func(by db.Person, data []byte) error {
		_, _, err := calendar.Put(ctx, w.d, coll, "m.ics", data, calendar.Edit{By: by, Scheduler: w.s})
		return err
	}
	start := nextMonth(0)
	mark := w.sent.mark()
	if err := put(w.ana, meetingICS("m1", w.ana.Email, start, 0, w.bob.Email, "ext@partenaire.example", w.ana.Email+"=ACCEPTED")); err != nil {
		t.Fatal(err)
	}
	sent := w.sent.since(mark, "invite.request")
	if len(sent) != 2 || sent[w.bob.Email].Path == "" || sent["ext@partenaire.example"].Path == "" {
		t.Fatalf("invitations: %v, want bob and the outside address (not the organizer)", sent)
	}
	method, ev := itip(t, sent[w.bob.Email])
	if method != "REQUEST" || ev.Props.Get(ical.PropOrganizer) == nil || len(ev.Props.Values(ical.PropAttendee)) != 3 || len(ev.Children) != 0 {
		t.Fatalf("REQUEST: method %s, organizer %v, attendees %d, alarms %d", method, ev.Props.Get(ical.PropOrganizer),
			len(ev.Props.Values(ical.PropAttendee)), len(ev.Children))
	}
	if n := sent[w.bob.Email]; n.Title != "Collectif" || n.Place != "Local associatif" || n.About.ID != w.ana.ID || n.Group.Slug != "collectif" {
		t.Fatalf("invitation notice: %+v", n)
	}

	mark = w.sent.mark()
	if err := put(w.ana, meetingICS("m1", w.ana.Email, start, 0, w.bob.Email+"=ACCEPTED", "ext@partenaire.example", w.ana.Email+"=ACCEPTED")); err != nil {
		t.Fatal(err)
	}
	if n := w.sent.mark() - mark; n != 0 {
		t.Fatalf("an answer written back mailed %d notices", n)
	}

	mark = w.sent.mark()
	later := nextMonth(1)
	if err := put(w.ana, meetingICS("m1", w.ana.Email, later, 1, w.bob.Email, "ext@partenaire.example")); err != nil {
		t.Fatal(err)
	}
	if up := w.sent.since(mark, "invite.update"); len(up) != 2 {
		t.Fatalf("a new time mailed updates to %v, want both attendees", up)
	}

	mark = w.sent.mark()
	if err := put(w.ana, meetingICS("m1", w.ana.Email, later, 1, w.bob.Email)); err != nil {
		t.Fatal(err)
	}
	cancels := w.sent.since(mark, "invite.cancel")
	if len(cancels) != 1 || w.sent.mark()-mark != 1 {
		t.Fatalf("taking one attendee off mailed %v (%d in all), want one CANCEL", cancels, w.sent.mark()-mark)
	}
	method, ev = itip(t, cancels["ext@partenaire.example"])
	if a := ev.Props.Values(ical.PropAttendee); method != "CANCEL" || len(a) != 1 || a[0].Value != "mailto:ext@partenaire.example" {
		t.Fatalf("CANCEL: method %s, attendees %v", method, a)
	}
	if _, _, err := w.s.AnswerInvitationByLink(ctx, strings.TrimPrefix(sent["ext@partenaire.example"].Path, "/invitation/"), "accepted"); !errors.Is(err, ErrInvitationOver) {
		t.Fatalf("answer once taken off: %v, want ErrInvitationOver", err)
	}

	raw := strings.TrimPrefix(sent[w.bob.Email].Path, "/invitation/")
	v, changed, err := w.s.AnswerInvitationByLink(ctx, raw, "accepted")
	if err != nil || !changed || v.Event.Summary != "Collectif" {
		t.Fatalf("answer: changed %v, %v, %+v", changed, err, v.Event)
	}
	if _, changed, err := w.s.AnswerInvitationByLink(ctx, raw, "accepted"); err != nil || changed {
		t.Fatalf("second answer: changed %v, %v; want nothing changed", changed, err)
	}
	o, _ := w.d.R(ctx).Object(coll.ID, "m.ics")
	if !bytes.Contains(o.Data, []byte("PARTSTAT=ACCEPTED:mailto:"+w.bob.Email)) && !bytes.Contains(o.Data, []byte("PARTSTAT=ACCEPTED;")) {
		t.Fatalf("the organizer's copy does not say bob comes:\n%s", o.Data)
	}
	if _, _, err := w.s.AnswerInvitationByLink(ctx, raw, "perhaps"); !errors.Is(err, access.ErrInvalid) {
		t.Fatalf("an unknown answer: %v", err)
	}
	if _, err := w.s.InvitationByLink(ctx, "not-a-link"); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("an unknown link: %v", err)
	}

	mine, err := w.s.MyInvitations(ctx, w.bob)
	if err != nil || len(mine) != 1 || mine[0].PartStat != calendar.PartAccepted {
		t.Fatalf("bob's invitations: %+v, %v", mine, err)
	}
	if _, _, err := w.s.AnswerInvitation(ctx, w.ana, mine[0].ID, "declined"); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("answering someone else's invitation: %v", err)
	}
	if _, changed, err := w.s.AnswerInvitation(ctx, w.bob, mine[0].ID, "declined"); err != nil || !changed {
		t.Fatalf("bob declines from his page: %v, %v", changed, err)
	}

	mark = w.sent.mark()
	if err := calendar.Delete(ctx, w.d, coll, "m.ics", calendar.Edit{By: w.ana, Scheduler: w.s}); err != nil {
		t.Fatal(err)
	}
	if c := w.sent.since(mark, "invite.cancel"); len(c) != 1 || c[w.bob.Email].Calendar == "" {
		t.Fatalf("deleting the event mailed %v, want bob's CANCEL", c)
	}
	if mine, _ := w.s.MyInvitations(ctx, w.bob); len(mine) != 0 {
		t.Fatalf("a deleted event is still on bob's page: %+v", mine)
	}
}

// TestInvitationsDecidedByAccess: only an organizer who writes in the agenda is scheduled for; a
// copy of someone else's meeting mails nobody, nor a meeting that is over; past MaxInvitees takes an animator; a person who
// asked for invitations on their page only is not mailed but sees it there.
func TestInvitationsDecidedByAccess(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	coll := w.agenda(t)
	put := w.putter(coll)
	mark := w.sent.mark()
	if err := put(w.ana, "dehors.ics", meetingICS("x1", "someone@elsewhere.example", nextMonth(0), 0, w.bob.Email)); err != nil {
		t.Fatal(err)
	}
	if err := put(w.ana, "velo.ics", meetingICS("x2", w.outsider.Email, nextMonth(0), 0, w.bob.Email)); err != nil {
		t.Fatal(err)
	}
	if n := w.sent.mark() - mark; n != 0 {
		t.Fatalf("events organized by someone who does not write here mailed %d invitations", n)
	}

	past := time.Now().AddDate(-1, 0, 0).UTC().Format("20060102T150405Z")
	if err := put(w.ana, "old.ics", meetingICS("old", w.ana.Email, past, 0, w.bob.Email)); err != nil {
		t.Fatal(err)
	}
	if n := w.sent.mark() - mark; n != 0 {
		t.Fatalf("a meeting of last year, imported, mailed %d invitations", n)
	}

	var many []string
	for i := range access.MaxInvitees + 1 {
		many = append(many, fmt.Sprintf("p%d@partenaire.example", i))
	}
	if err := put(w.ana, "ag.ics", meetingICS("ag", w.ana.Email, nextMonth(2), 0, many...)); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member inviting %d people: %v, want ErrForbidden", len(many), err)
	}
	if _, err := w.d.R(ctx).Object(coll.ID, "ag.ics"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("the refused event was stored: %v", err)
	}
	mark = w.sent.mark()
	if err := put(w.anim, "ag.ics", meetingICS("ag", w.anim.Email, nextMonth(2), 0, many...)); err != nil {
		t.Fatal(err)
	}
	if n := len(w.sent.since(mark, "invite.request")); n != len(many) {
		t.Fatalf("the animator's AG mailed %d invitations, want %d", n, len(many))
	}

	if err := w.d.Write(ctx, func(tx *db.Tx) error { return tx.SetInvitationsByMail(w.bob.ID, false) }); err != nil {
		t.Fatal(err)
	}
	mark = w.sent.mark()
	if err := put(w.ana, "page.ics", meetingICS("p1", w.ana.Email, nextMonth(3), 0, w.bob.Email)); err != nil {
		t.Fatal(err)
	}
	if n := w.sent.mark() - mark; n != 0 {
		t.Fatalf("bob takes invitations on his page only, and was mailed %d", n)
	}
	if mine, err := w.s.MyInvitations(ctx, w.bob); err != nil || len(mine) != 1 || mine[0].UID != "p1" {
		t.Fatalf("bob's page: %+v, %v", mine, err)
	}
}

// groupICS is an event organized by organizer inviting one audience (CUTYPE=GROUP).
func groupICS(uid, organizer, audience string) []byte {
	ics := string(meetingICS(uid, organizer, nextMonth(4), 0))
	line := "ATTENDEE;CUTYPE=GROUP;CN=Collectif;PARTSTAT=NEEDS-ACTION:" + audience + "\r\n"
	return []byte(strings.Replace(ics, "BEGIN:VALARM", line+"BEGIN:VALARM", 1))
}

// TestGroupInvitations: a group named as one attendee invites its people in force, each once, the
// organizer apart, and stays one line of the event; only animators invite a group, and only their
// own or the association; an answer through the group gets its own line, MEMBER of the group, and
// survives the next edit; the association is every member of some group, and no guest.
func TestGroupInvitations(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	coll := w.agenda(t)
	put := w.putter(coll)
	members := access.Audience{Group: "collectif", Least: db.RoleMember}.Address()
	if err := put(w.ana, "g.ics", groupICS("g1", w.ana.Email, members)); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member invites the group: %v, want ErrForbidden", err)
	}
	velo := access.Audience{Group: "velo", Least: db.RoleGuest}.Address()
	if err := put(w.anim, "g.ics", groupICS("g1", w.anim.Email, velo)); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("collectif's agenda invites velo: %v, want ErrForbidden", err)
	}
	mark := w.sent.mark()
	if err := put(w.anim, "g.ics", groupICS("g1", w.anim.Email, members)); err != nil {
		t.Fatal(err)
	}
	sent := w.sent.since(mark, "invite.request")
	if len(sent) != 2 || sent[w.ana.Email].Path == "" || sent[w.bob.Email].Path == "" {
		t.Fatalf("the members of collectif were sent %v, want ana and bob", sent)
	}
	raw := strings.TrimPrefix(sent[w.bob.Email].Path, "/invitation/")
	if _, changed, err := w.s.AnswerInvitationByLink(ctx, raw, "tentative"); err != nil || !changed {
		t.Fatalf("bob answers: %v, %v", changed, err)
	}
	o, _ := w.d.R(ctx).Object(coll.ID, "g.ics")
	ev, _ := calendar.ReadScheduled(o.Data)
	bob, ok := ev.Attendee("mailto:" + w.bob.Email)
	if !ok || bob.PartStat != calendar.PartTentative || bob.Member != members {
		t.Fatalf("bob's line in the event: %+v (%v)\n%s", bob, ok, o.Data)
	}
	mark = w.sent.mark()
	if err := put(w.anim, "g.ics", o.Data); err != nil {
		t.Fatal(err)
	}
	mine, _ := w.s.MyInvitations(ctx, w.bob)
	if n := w.sent.mark() - mark; n != 0 || len(mine) != 1 || mine[0].PartStat != calendar.PartTentative {
		t.Fatalf("the same event again mailed %d and left bob with %+v", n, mine)
	}

	log, _ := w.d.R(ctx).AuditLog(10)
	if len(log) == 0 || log[0].Action != "invitations.audience" || log[0].ActorID != w.anim.ID || !strings.Contains(log[0].Detail, "2 people") {
		t.Fatalf("the group's invitation is not audited: %+v", log)
	}
	mark = w.sent.mark()
	if err := put(w.anim, "a.ics", groupICS("a1", w.anim.Email, access.Audience{}.Address())); err != nil {
		t.Fatal(err)
	}
	all := w.sent.since(mark, "invite.request")
	if len(all) != 3 || all[w.outsider.Email].Path == "" || all[w.guest.Email].Path != "" {
		t.Fatalf("the association was sent %v, want ana, bob and velo's member, no guest", all)
	}
}

// TestMinutesFollowTheInvitations: after a poll fixed the date, those who said yes and then
// declined the invitation are excused in the minutes' start, and the reverse; the closer who
// answered the poll, organizer of the event, is listed too.
func TestMinutesFollowTheInvitations(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	p, _ := w.s.Open(ctx, w.anim, w.gAnim, proposal())
	v, _ := w.s.View(ctx, w.gAnim, p.ID)
	s1 := v.Slots[0].ID
	w.s.Answer(ctx, w.anim, w.gAnim, p.ID, map[int64]int{s1: db.ResponseYes})
	w.s.Answer(ctx, w.ana, w.gAna, p.ID, map[int64]int{s1: db.ResponseYes})
	w.s.Answer(ctx, w.bob, w.gBob, p.ID, map[int64]int{s1: db.ResponseNo})
	mark := w.sent.mark()
	if _, err := w.s.Close(ctx, w.anim, w.gAnim, p.ID, s1); err != nil {
		t.Fatal(err)
	}
	links := w.sent.since(mark, "invite.fixed")
	for who, answer := range map[string]string{w.ana.Email: "declined", w.bob.Email: "accepted"} {
		if _, _, err := w.s.AnswerInvitationByLink(ctx, strings.TrimPrefix(links[who].Path, "/invitation/"), answer); err != nil {
			t.Fatalf("%s answers %s: %v", who, answer, err)
		}
	}
	d, err := w.s.Template(ctx, w.gAna, Of{Poll: p.ID}, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Body, "**Présent·es\u00a0:** anim, bob") || !strings.Contains(d.Body, "**Excusé·es\u00a0:** ana") {
		t.Fatalf("the minutes' start after the invitations' answers:\n%s", d.Body)
	}
}
