package meeting

import (
	"context"
	"strings"
	"testing"

	"github.com/emersion/go-ical"

	"parvis/calendar"
	"parvis/storage/db"
)

// inbox lists the iTIP messages in a person's inbox, by METHOD.
func (w *world) inbox(t *testing.T, p db.Person) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	var coll db.Collection
	if err := w.d.Write(context.Background(), func(tx *db.Tx) (err error) { coll, err = tx.Inbox(p.ID); return err }); err != nil {
		t.Fatal(err)
	}
	err := w.d.R(context.Background()).EachObject(coll.ID, true, func(o db.Object) error {
		cal, err := ical.NewDecoder(strings.NewReader(string(o.Data))).Decode()
		if err != nil {
			t.Fatalf("inbox message does not parse: %v\n%s", err, o.Data)
		}
		m, _ := cal.Props.Text(ical.PropMethod)
		out[m] = append(out[m], string(o.Data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// copies returns a person's copies of the event uid, by collection name.
func (w *world) copies(t *testing.T, p db.Person, uid string) map[string]string {
	t.Helper()
	cs, err := w.d.R(context.Background()).PersonalCopies(p.ID, uid)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range cs {
		out[c.Collection.Name] = string(c.Object.Data)
	}
	return out
}

func personalAgenda(t *testing.T, w *world, p db.Person) db.Collection {
	t.Helper()
	if err := w.d.Write(context.Background(), func(tx *db.Tx) error { _, err := tx.EnsurePersonalCollections(p.ID); return err }); err != nil {
		t.Fatal(err)
	}
	c, err := w.d.R(context.Background()).Collection(0, p.ID, db.KindCalendar, "agenda")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDeliveryToMembers: a meeting someone organizes in their own agenda reaches a member invited
// as a REQUEST in their inbox and a copy in their agenda; their accept in that copy is a REPLY in
// the organizer's inbox and the answer in the organizer's copy; moving their copy to another
// calendar leaves one copy; the cancellation removes it and leaves a CANCEL.
func TestDeliveryToMembers(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	anaAgenda, bobAgenda := personalAgenda(t, w, w.ana), personalAgenda(t, w, w.bob)
	start := nextMonth(2)
	if err := w.putter(anaAgenda)(w.ana, "rdv.ics", meetingICS("rdv", w.ana.Email, start, 0, w.bob.Email, "ext@partenaire.example")); err != nil {
		t.Fatal(err)
	}
	if got := w.inbox(t, w.bob); len(got["REQUEST"]) != 1 {
		t.Fatalf("bob's inbox: %v, want one REQUEST", got)
	}
	if got := w.inbox(t, w.ana); len(got) != 0 {
		t.Fatalf("the organizer's own inbox got %v", got)
	}
	copies := w.copies(t, w.bob, "rdv")
	if !strings.Contains(copies["agenda"], "SUMMARY:Collectif") || len(copies) != 1 {
		t.Fatalf("bob's copies: %v, want one in his agenda", copies)
	}

	// Bob accepts in his calendar: his copy with PARTSTAT=ACCEPTED.
	accepted := strings.Replace(copies["agenda"], "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:"+w.bob.Email, "PARTSTAT=ACCEPTED:mailto:"+w.bob.Email, 1)
	if accepted == copies["agenda"] {
		t.Fatalf("bob's line not found in his copy:\n%s", accepted)
	}
	objs, _ := w.d.R(ctx).PersonalCopies(w.bob.ID, "rdv")
	if err := w.putter(bobAgenda)(w.bob, objs[0].Object.Name, []byte(accepted)); err != nil {
		t.Fatal(err)
	}
	replies := w.inbox(t, w.ana)["REPLY"]
	if len(replies) != 1 || !strings.Contains(replies[0], "PARTSTAT=ACCEPTED") || !strings.Contains(replies[0], w.bob.Email) {
		t.Fatalf("ana's inbox REPLY: %v", replies)
	}
	org, _ := w.d.R(ctx).Object(anaAgenda.ID, "rdv.ics")
	if s, _ := calendar.ReadScheduled(org.Data); func() string { a, _ := s.Attendee("mailto:" + w.bob.Email); return a.PartStat }() != calendar.PartAccepted {
		t.Fatalf("the organizer's copy does not carry bob's answer:\n%s", org.Data)
	}
	if got := w.inbox(t, w.bob); len(got["REQUEST"]) != 1 || len(got) != 1 {
		t.Fatalf("bob's own answer came back to him: %v", got)
	}

	// Bob files it in another calendar of his: one copy remains, and no decline goes.
	other := db.Collection{PersonID: w.bob.ID, Name: "asso", Kind: db.KindCalendar, Components: []string{"VEVENT"}}
	if err := calendar.CreateCollection(ctx, w.d, &other, w.bob); err != nil {
		t.Fatal(err)
	}
	if err := w.putter(other)(w.bob, "moved.ics", []byte(accepted)); err != nil {
		t.Fatal(err)
	}
	if c := w.copies(t, w.bob, "rdv"); len(c) != 1 || c["asso"] == "" {
		t.Fatalf("after the move bob has %d copies: %v", len(c), c)
	}
	if got := w.inbox(t, w.ana)["REPLY"]; len(got) != 1 || !strings.Contains(got[0], "PARTSTAT=ACCEPTED") {
		t.Fatalf("the move changed the answer: %v", got)
	}

	// Ana cancels: bob's copy goes, a CANCEL stays in his inbox (replacing the REQUEST).
	if err := calendar.Delete(ctx, w.d, anaAgenda, "rdv.ics", calendar.Edit{By: w.ana, Scheduler: w.s}); err != nil {
		t.Fatal(err)
	}
	if c := w.copies(t, w.bob, "rdv"); len(c) != 0 {
		t.Fatalf("bob's copy survived the cancellation: %v", c)
	}
	if got := w.inbox(t, w.bob); len(got["CANCEL"]) != 1 || len(got["REQUEST"]) != 0 {
		t.Fatalf("bob's inbox after the cancellation: %v", got)
	}
}

// TestDeliveryDeclineByDeleting: an attendee deleting their copy declines; an answer given on the
// home page shows in their copy.
func TestDeliveryDeclineByDeleting(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	anaAgenda, bobAgenda := personalAgenda(t, w, w.ana), personalAgenda(t, w, w.bob)
	if err := w.putter(anaAgenda)(w.ana, "d.ics", meetingICS("d", w.ana.Email, nextMonth(3), 0, w.bob.Email)); err != nil {
		t.Fatal(err)
	}
	invs, err := w.s.MyInvitations(ctx, w.bob)
	if err != nil || len(invs) != 1 {
		t.Fatalf("bob's invitations: %v %v", invs, err)
	}
	if _, _, err := w.s.AnswerInvitation(ctx, w.bob, invs[0].ID, "tentative"); err != nil {
		t.Fatal(err)
	}
	if c := w.copies(t, w.bob, "d"); !strings.Contains(c["agenda"], "PARTSTAT=TENTATIVE") {
		t.Fatalf("the home page's answer is not in bob's copy:\n%s", c["agenda"])
	}
	objs, _ := w.d.R(ctx).PersonalCopies(w.bob.ID, "d")
	if err := calendar.Delete(ctx, w.d, bobAgenda, objs[0].Object.Name, calendar.Edit{By: w.bob, Scheduler: w.s}); err != nil {
		t.Fatal(err)
	}
	org, _ := w.d.R(ctx).Object(anaAgenda.ID, "d.ics")
	if !strings.Contains(string(org.Data), "PARTSTAT=DECLINED") {
		t.Fatalf("deleting the copy did not decline:\n%s", org.Data)
	}
	if got := w.inbox(t, w.ana)["REPLY"]; len(got) != 1 || !strings.Contains(got[0], "PARTSTAT=DECLINED") {
		t.Fatalf("ana's inbox: %v", got)
	}
}

// TestDeliveryInAGroupAgenda: members who read the group's agenda get the invitation in their
// inbox and no second copy of the meeting; one who answers in the group's agenda is heard as a
// REPLY by the organizer.
func TestDeliveryInAGroupAgenda(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	coll := w.agenda(t)
	if err := w.putter(coll)(w.ana, "g.ics", meetingICS("g", w.ana.Email, nextMonth(4), 0, w.bob.Email, w.outsider.Email)); err != nil {
		t.Fatal(err)
	}
	if got := w.inbox(t, w.bob); len(got["REQUEST"]) != 1 {
		t.Fatalf("bob's inbox: %v", got)
	}
	if c := w.copies(t, w.bob, "g"); len(c) != 0 {
		t.Fatalf("bob reads the agenda and got a copy too: %v", c)
	}
	if c := w.copies(t, w.outsider, "g"); len(c) != 1 {
		t.Fatalf("a member of another group got no copy: %v", c)
	}
	o, _ := w.d.R(ctx).Object(coll.ID, "g.ics")
	answered := strings.Replace(string(o.Data), "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:"+w.bob.Email, "PARTSTAT=DECLINED:mailto:"+w.bob.Email, 1)
	if err := w.putter(coll)(w.bob, "g.ics", []byte(answered)); err != nil {
		t.Fatal(err)
	}
	if got := w.inbox(t, w.ana)["REPLY"]; len(got) != 1 || !strings.Contains(got[0], "PARTSTAT=DECLINED") {
		t.Fatalf("ana's inbox: %v", got)
	}
}
