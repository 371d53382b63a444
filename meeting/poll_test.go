package meeting

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"parvis/access"
	"parvis/calendar"
	"parvis/files"
	"parvis/locale"
	"parvis/storage/blob"
	"parvis/storage/db"
)

// world is a group with an animator, two members and a guest, and an outsider.
type world struct {
	d                                 *db.DB
	acc                               *access.Service
	s                                 *Service
	fs                                *files.Service
	sent                              *noticeLog
	anim, ana, bob, guest, outsider   db.Person
	gAnim, gAna, gBob, gGuest, gOther access.Grant
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	blobs, err := blob.Open("fs", filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	w := &world{d: d, acc: access.New(d), sent: &noticeLog{}}
	w.fs = files.New(d, blobs, files.Retention{})
	w.s = New(d, w.acc, w.fs)
	w.s.SetNotifier(w.sent)
	person := func(email string) db.Person {
		p, err := w.acc.CreatePerson(ctx, access.CLI, access.NewPerson{Email: email, Name: strings.Split(email, "@")[0]})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w.anim, w.ana, w.bob, w.guest, w.outsider = person("anim@example.org"), person("ana@example.org"), person("bob@example.org"),
		person("invite@example.org"), person("dehors@example.org")
	for _, g := range []string{"collectif", "velo"} {
		if _, err := w.acc.CreateGroup(ctx, access.CLI, g, strings.ToUpper(g[:1])+g[1:]); err != nil {
			t.Fatal(err)
		}
	}
	grant := func(slug string, p db.Person, r db.Role) {
		if err := w.acc.Grant(ctx, access.CLI, slug, p.Email, r, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	grant("collectif", w.anim, db.RoleAnimator)
	grant("collectif", w.ana, db.RoleMember)
	grant("collectif", w.bob, db.RoleMember)
	grant("collectif", w.guest, db.RoleGuest)
	grant("velo", w.outsider, db.RoleMember)
	standing := func(p db.Person) access.Grant {
		g, err := w.acc.GroupAccess(ctx, p, "collectif")
		if err != nil && !errors.Is(err, access.ErrNoAccess) {
			t.Fatal(err)
		}
		return g
	}
	w.gAnim, w.gAna, w.gBob, w.gGuest, w.gOther = standing(w.anim), standing(w.ana), standing(w.bob), standing(w.guest), standing(w.outsider)
	return w
}

// proposal is a collectif with three evening slots next month.
func proposal() Proposal {
	day := time.Now().AddDate(0, 1, 0).Truncate(24 * time.Hour).Add(17 * time.Hour)
	var slots []db.Slot
	for i := range 3 {
		start := day.AddDate(0, 0, i)
		slots = append(slots, db.Slot{Start: start, End: start.Add(2 * time.Hour)})
	}
	return Proposal{Title: "Collectif de rentrée", Kind: calendar.KindCollectif, Location: "Local associatif",
		Visio: "https://visio.example.org/collectif", Deadline: time.Now().AddDate(0, 0, 10), Slots: slots}
}

// TestPollFromOpeningToEvent: an animator opens a poll; everyone of the group, the guest included,
// is mailed a personal link; answers come from the page and from the link; closing on a date makes
// the event of the agenda with the answers as participation, and mails everyone the date.
func TestPollFromOpeningToEvent(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	p, err := w.s.Open(ctx, w.anim, w.gAnim, proposal())
	if err != nil {
		t.Fatal(err)
	}
	links := w.sent.paths("poll.open")
	if len(links) != 4 || links[w.outsider.Email] != "" || links[w.guest.Email] == "" {
		t.Fatalf("opening links: %v, want the animator, both members and the guest", links)
	}
	v, err := w.s.View(ctx, w.gAna, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	s1, s2, s3 := v.Slots[0].ID, v.Slots[1].ID, v.Slots[2].ID
	if err := w.s.Answer(ctx, w.ana, w.gAna, p.ID, map[int64]int{s1: db.ResponseYes, s2: db.ResponseNo, s3: db.ResponseIfNeedBe}); err != nil {
		t.Fatal(err)
	}
	raw := strings.TrimPrefix(links[w.bob.Email], "/poll/")
	l, err := w.s.AnswerByLink(ctx, raw, map[int64]int{s1: db.ResponseIfNeedBe, s2: db.ResponseYes})
	if err != nil || l.Person.ID != w.bob.ID {
		t.Fatalf("answer by link: %v (%s)", err, l.Person.Email)
	}
	if err := w.s.Answer(ctx, w.guest, w.gGuest, p.ID, map[int64]int{s1: db.ResponseNo}); err != nil {
		t.Fatal(err)
	}
	v, _ = w.s.View(ctx, w.gAnim, p.ID)
	if yes, maybe := v.Tally(s1); yes != 1 || maybe != 1 {
		t.Fatalf("first date: %d yes, %d if need be; want 1 and 1", yes, maybe)
	}
	closed, err := w.s.Close(ctx, w.anim, w.gAnim, p.ID, s1)
	if err != nil {
		t.Fatal(err)
	}
	coll, err := w.d.R(ctx).Collection(w.gAnim.Group.ID, 0, db.KindCalendar, "agenda")
	if err != nil {
		t.Fatal(err)
	}
	o, err := w.d.R(ctx).Object(coll.ID, closed.EventUID+".ics")
	if err != nil {
		t.Fatalf("the chosen date is not in the agenda: %v", err)
	}
	ics := strings.ReplaceAll(string(o.Data), "\r\n ", "")
	for _, want := range []string{"SUMMARY:Collectif de rentrée", "CATEGORIES:collectif", "LOCATION:Local associatif",
		"URL:https://visio.example.org/collectif", "PARTSTAT=ACCEPTED", "PARTSTAT=TENTATIVE", "PARTSTAT=DECLINED", "mailto:ana@example.org"} {
		if !strings.Contains(ics, want) {
			t.Errorf("the event lacks %q:\n%s", want, ics)
		}
	}
	if strings.Contains(ics, "ATTENDEE;CN=anim") || !strings.Contains(ics, "ORGANIZER;CN=anim:mailto:anim@example.org") {
		t.Errorf("the animator did not answer and is not an attendee, but organizes:\n%s", ics)
	}
	invited := w.sent.paths("invite.fixed")
	if fixed := w.sent.paths("poll.fixed"); len(fixed) != 1 || fixed[w.anim.Email] == "" || len(invited) != 3 || invited[w.bob.Email] == "" {
		t.Fatalf("date mails: %v and invitations %v, want the invitation to the three who answered, the date to the other", fixed, invited)
	}
	for _, n := range w.sent.got {
		if n.Template == "invite.fixed" && !strings.Contains(n.Calendar, "METHOD:REQUEST") {
			t.Fatalf("the invitation to %s has no iTIP request", n.To.Email)
		}
	}
	if err := w.s.Answer(ctx, w.ana, w.gAna, p.ID, map[int64]int{s2: db.ResponseYes}); !errors.Is(err, ErrClosed) {
		t.Fatalf("an answer to a closed poll: %v, want ErrClosed", err)
	}
	if _, err := w.s.AnswerByLink(ctx, raw, map[int64]int{s2: db.ResponseYes}); !errors.Is(err, ErrClosed) {
		t.Fatalf("an answer by link to a closed poll: %v, want ErrClosed", err)
	}
	if _, err := w.s.Close(ctx, w.anim, w.gAnim, p.ID, s2); !errors.Is(err, ErrClosed) {
		t.Fatalf("closing twice: %v, want ErrClosed", err)
	}
	entries, err := w.d.R(ctx).AuditLog(100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); !strings.Contains(got, "poll.open") || !strings.Contains(got, "poll.close") {
		t.Fatalf("audit: %s", got)
	}
}

// TestPollDecisions: only animators open and close; members and guests answer; an outsider, and a
// link whose person left the group, get nothing; bad input is refused with its field.
func TestPollDecisions(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	if _, err := w.s.Open(ctx, w.ana, w.gAna, proposal()); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member opens a poll: %v, want ErrForbidden", err)
	}
	if _, err := w.s.Open(ctx, w.outsider, w.gOther, proposal()); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("an outsider opens a poll: %v, want ErrNoAccess", err)
	}
	bad := map[string]func(*Proposal){
		"title":    func(p *Proposal) { p.Title = "  " },
		"slots":    func(p *Proposal) { p.Slots = nil },
		"deadline": func(p *Proposal) { p.Deadline = time.Now().Add(-time.Hour) },
		"visio":    func(p *Proposal) { p.Visio = "javascript:alert(1)" },
	}
	for field, spoil := range bad {
		pr := proposal()
		spoil(&pr)
		var fe *access.FieldError
		if _, err := w.s.Open(ctx, w.anim, w.gAnim, pr); !errors.As(err, &fe) || fe.Field != field || !errors.Is(err, access.ErrInvalid) {
			t.Errorf("%s spoilt: %v, want a field error on %s", field, err, field)
		}
	}
	pr := proposal()
	pr.Slots[1].End = pr.Slots[1].Start
	if _, err := w.s.Open(ctx, w.anim, w.gAnim, pr); !errors.Is(err, access.ErrInvalid) {
		t.Fatalf("a date ending as it starts: %v", err)
	}
	p, err := w.s.Open(ctx, w.anim, w.gAnim, proposal())
	if err != nil {
		t.Fatal(err)
	}
	v, _ := w.s.View(ctx, w.gAnim, p.ID)
	s1 := v.Slots[0].ID
	if _, err := w.s.View(ctx, w.gOther, p.ID); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("an outsider reads the poll: %v", err)
	}
	if err := w.s.Answer(ctx, w.ana, w.gAna, p.ID, map[int64]int{s1: 42}); !errors.Is(err, access.ErrInvalid) {
		t.Fatalf("a response of 42: %v", err)
	}
	if err := w.s.Answer(ctx, w.ana, w.gAna, p.ID, map[int64]int{s1 + 1000: db.ResponseYes}); !errors.Is(err, access.ErrInvalid) {
		t.Fatalf("an answer to another poll's slot: %v", err)
	}
	if _, err := w.s.Close(ctx, w.ana, w.gAna, p.ID, s1); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member closes the poll: %v, want ErrForbidden", err)
	}
	if _, err := w.s.ByLink(ctx, "pas-un-lien"); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("an unknown link: %v", err)
	}
	raw := strings.TrimPrefix(w.sent.paths("poll.open")[w.bob.Email], "/poll/")
	if err := w.acc.Remove(ctx, access.CLI, "collectif", w.bob.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ByLink(ctx, raw); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("the link of someone who left the group: %v, want ErrNoAccess", err)
	}
	if waiting, _ := w.s.Awaiting(ctx, w.bob); len(waiting) != 0 {
		t.Fatalf("someone who left still has the poll waiting: %v", waiting)
	}
	if waiting, _ := w.s.Awaiting(ctx, w.ana); len(waiting) != 1 {
		t.Fatalf("ana's polls waiting: %d, want 1", len(waiting))
	}
	if _, err := w.s.Close(ctx, w.anim, w.gAnim, p.ID, 0); err != nil {
		t.Fatalf("closing without a date: %v", err)
	}
	if off := w.sent.paths("poll.cancelled"); len(off) != 3 {
		t.Fatalf("cancellation mails: %v, want the three still asked", off)
	}
}

// TestPollReminder: once the deadline is near, those who have not answered get one reminder with a
// new link, and the first link still works; those who answered get none.
func TestPollReminder(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	now := time.Now()
	restore := db.SetClock(func() time.Time { return now })
	defer restore()
	pr := proposal()
	pr.Deadline = now.AddDate(0, 0, 5)
	p, err := w.s.Open(ctx, w.anim, w.gAnim, pr)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := w.s.View(ctx, w.gAnim, p.ID)
	if err := w.s.Answer(ctx, w.ana, w.gAna, p.ID, map[int64]int{v.Slots[0].ID: db.ResponseYes}); err != nil {
		t.Fatal(err)
	}
	if n, err := w.s.Remind(ctx); err != nil || n != 0 {
		t.Fatalf("five days before: %d reminded, %v", n, err)
	}
	now = now.AddDate(0, 0, 4)
	if n, err := w.s.Remind(ctx); err != nil || n != 3 {
		t.Fatalf("a day before: %d reminded, %v; want the animator, bob and the guest", n, err)
	}
	if n, _ := w.s.Remind(ctx); n != 0 {
		t.Fatalf("reminded again: %d", n)
	}
	reminders := w.sent.paths("poll.reminder")
	if reminders[w.ana.Email] != "" || len(reminders) != 3 {
		t.Fatalf("reminders: %v", reminders)
	}
	first := strings.TrimPrefix(w.sent.paths("poll.open")[w.bob.Email], "/poll/")
	second := strings.TrimPrefix(reminders[w.bob.Email], "/poll/")
	for _, raw := range []string{first, second} {
		if l, err := w.s.ByLink(ctx, raw); err != nil || l.Person.ID != w.bob.ID {
			t.Fatalf("link %s: %v", raw[:6], err)
		}
	}
}

// noticeLog keeps the notices the service queues.
type noticeLog struct {
	mu  sync.Mutex
	got []access.Notice
}

func (l *noticeLog) Queue(_ *db.Tx, n access.Notice) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, n)
	return nil
}
func (l *noticeLog) Queued() {}

// paths maps each recipient of template's notices to the last path mailed to them.
func (l *noticeLog) paths(template string) map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]string{}
	for _, n := range l.got {
		if n.Template == template {
			out[n.To.Email] = n.Path
		}
	}
	return out
}

// TestMinutesLife: minutes start from the poll's meeting (its date, who came, who was excused),
// are written and submitted by a member, refused validation by a member, validated by an animator
// (who and when kept), and then never change in place; their actions become tasks; a correction is
// a new draft, and once validated it supersedes the first text, which stays readable.
func TestMinutesLife(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	p, _ := w.s.Open(ctx, w.anim, w.gAnim, proposal())
	v, _ := w.s.View(ctx, w.gAnim, p.ID)
	s1 := v.Slots[0].ID
	w.s.Answer(ctx, w.ana, w.gAna, p.ID, map[int64]int{s1: db.ResponseYes})
	w.s.Answer(ctx, w.bob, w.gBob, p.ID, map[int64]int{s1: db.ResponseNo})
	if _, err := w.s.Close(ctx, w.anim, w.gAnim, p.ID, s1); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Template(ctx, w.gGuest, Of{Poll: p.ID}, "fr"); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a guest starts minutes: %v, want ErrForbidden", err)
	}
	d, err := w.s.Template(ctx, w.gAna, Of{Poll: p.ID}, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Collectif de rentrée" || !strings.Contains(d.Body, "**Présent·es\u00a0:** ana") || !strings.Contains(d.Body, "**Excusé·es\u00a0:** bob") ||
		!d.HeldOn.Equal(v.Slots[0].Start) {
		t.Fatalf("the template of the poll's meeting: %q %s\n%s", d.Title, d.HeldOn, d.Body)
	}
	d.Body += "\n- Le local ouvre le samedi.\n"
	d.Actions = []db.MinutesAction{{What: "Réserver la salle", Assignee: "Bob@Example.org", Due: time.Now().AddDate(0, 0, 14)},
		{What: "Écrire aux adhérent·es"}}
	bad := d
	bad.Actions = []db.MinutesAction{{What: "Confier à un inconnu", Assignee: "dehors@example.org"}}
	if _, err := w.s.StartMinutes(ctx, w.ana, w.gAna, Of{Poll: p.ID}, bad); !errors.Is(err, access.ErrInvalid) {
		t.Fatalf("an action assigned outside the group: %v, want ErrInvalid", err)
	}
	m, err := w.s.StartMinutes(ctx, w.ana, w.gAna, Of{Poll: p.ID}, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.s.Validate(ctx, w.anim, w.gAnim, m.ID); !errors.Is(err, ErrNotSubmitted) {
		t.Fatalf("validating a draft: %v, want ErrNotSubmitted", err)
	}
	if err := w.s.Submit(ctx, w.ana, w.gAna, m.ID); err != nil {
		t.Fatal(err)
	}
	if sent := w.sent.paths("minutes.submitted"); sent[w.anim.Email] == "" || len(sent) != 1 {
		t.Fatalf("submission mails: %v, want the animator", sent)
	}
	if waiting, _ := w.s.AwaitingValidation(ctx, w.anim); len(waiting) != 1 {
		t.Fatalf("the animator's minutes waiting: %d, want 1", len(waiting))
	}
	if err := w.s.Validate(ctx, w.ana, w.gAna, m.ID); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member validates: %v, want ErrForbidden", err)
	}
	if err := w.s.Validate(ctx, w.anim, w.gAnim, m.ID); err != nil {
		t.Fatal(err)
	}
	mv, _ := w.s.ViewMinutes(ctx, w.gGuest, m.ID)
	if mv.Minutes.Status != db.MinutesValidated || mv.Name(mv.Minutes.ValidatedBy) != "anim" || mv.Minutes.ValidatedAt.IsZero() {
		t.Fatalf("validated minutes: %+v", mv.Minutes)
	}
	d.Body = "tout autre chose"
	if err := w.s.SaveMinutes(ctx, w.anim, w.gAnim, m.ID, d); !errors.Is(err, ErrValidated) {
		t.Fatalf("changing validated minutes in place: %v, want ErrValidated", err)
	}
	tasks, _ := w.d.R(ctx).Collection(w.gAnim.Group.ID, 0, db.KindCalendar, "taches")
	var tasksText []string
	w.d.R(ctx).EachObject(tasks.ID, true, func(o db.Object) error { tasksText = append(tasksText, string(o.Data)); return nil })
	if len(tasksText) != 2 || !strings.Contains(strings.Join(tasksText, ""), "mailto:bob@example.org") {
		t.Fatalf("the actions' tasks: %d\n%s", len(tasksText), strings.Join(tasksText, "\n"))
	}

	c, err := w.s.Correct(ctx, w.bob, w.gBob, m.ID)
	if err != nil || c.Revises != m.ID || c.Status != db.MinutesDraft {
		t.Fatalf("correction: %+v %v", c, err)
	}
	if again, _ := w.s.Correct(ctx, w.ana, w.gAna, m.ID); again.ID != c.ID {
		t.Fatalf("a second correction %d next to %d", again.ID, c.ID)
	}
	if _, err := w.s.Publish(ctx, w.anim, w.gAnim, m.ID, access.PerimeterMembers); err != nil {
		t.Fatal(err)
	}
	d.Body = "Compte rendu corrigé."
	d.Actions = nil
	if err := w.s.SaveMinutes(ctx, w.bob, w.gBob, c.ID, d); err != nil {
		t.Fatal(err)
	}
	w.s.Submit(ctx, w.bob, w.gBob, c.ID)
	if err := w.s.Validate(ctx, w.anim, w.gAnim, c.ID); err != nil {
		t.Fatal(err)
	}
	first, _ := w.s.ViewMinutes(ctx, w.gAna, m.ID)
	second, _ := w.s.ViewMinutes(ctx, w.gAna, c.ID)
	if first.Minutes.Status != db.MinutesSuperseded || !strings.Contains(first.Minutes.Body, "samedi") ||
		second.Minutes.Perimeter != string(access.PerimeterMembers) || first.Minutes.Perimeter != string(access.PerimeterGroup) {
		t.Fatalf("after the correction: first %s/%s, second %s/%s", first.Minutes.Status, first.Minutes.Perimeter, second.Minutes.Status, second.Minutes.Perimeter)
	}
}

// TestMinutesPerimeter: validated minutes reach the group only, every member of the association
// (not a guest of another group), or anyone with the public link, as the animators decide.
func TestMinutesPerimeter(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	otherGuest, err := w.acc.CreatePerson(ctx, access.CLI, access.NewPerson{Email: "invitevelo@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.acc.Grant(ctx, access.CLI, "velo", otherGuest.Email, db.RoleGuest, time.Time{}); err != nil {
		t.Fatal(err)
	}
	m, err := w.s.StartMinutes(ctx, w.ana, w.gAna, Of{}, Draft{Title: "AG 2027", HeldOn: time.Now(), Body: "Rapport moral adopté."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ReadPublished(ctx, w.outsider, m.ID); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("a draft read from outside: %v", err)
	}
	w.s.Submit(ctx, w.ana, w.gAna, m.ID)
	if _, err := w.s.Publish(ctx, w.anim, w.gAnim, m.ID, access.PerimeterMembers); !errors.Is(err, ErrNotValidated) {
		t.Fatalf("publishing before validation: %v", err)
	}
	w.s.Validate(ctx, w.anim, w.gAnim, m.ID)
	if _, err := w.s.ReadPublished(ctx, w.outsider, m.ID); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("the group's minutes read from outside: %v", err)
	}
	if _, err := w.s.Publish(ctx, w.ana, w.gAna, m.ID, access.PerimeterMembers); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member publishes: %v", err)
	}
	if _, err := w.s.Publish(ctx, w.anim, w.gAnim, m.ID, access.PerimeterMembers); err != nil {
		t.Fatal(err)
	}
	if v, err := w.s.ReadPublished(ctx, w.outsider, m.ID); err != nil || !strings.Contains(v.Minutes.Body, "adopté") {
		t.Fatalf("a member of another group: %v", err)
	}
	if _, err := w.s.ReadPublished(ctx, otherGuest, m.ID); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("a guest of another group: %v, want ErrNoAccess", err)
	}
	if list, _ := w.s.Published(ctx, w.outsider); len(list) != 1 {
		t.Fatalf("published minutes for a member of velo: %d", len(list))
	}
	pub, err := w.s.Publish(ctx, w.anim, w.gAnim, m.ID, access.PerimeterPublic)
	if err != nil || pub.PublicToken == "" {
		t.Fatalf("public: %v %q", err, pub.PublicToken)
	}
	if v, err := w.s.ByToken(ctx, pub.PublicToken); err != nil || v.Minutes.ID != m.ID {
		t.Fatalf("the public link: %v", err)
	}
	if _, err := w.s.Publish(ctx, w.anim, w.gAnim, m.ID, access.PerimeterGroup); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ByToken(ctx, pub.PublicToken); !errors.Is(err, access.ErrNoAccess) {
		t.Fatalf("the public link after unpublishing: %v", err)
	}
	if _, err := w.s.Publish(ctx, w.anim, w.gAnim, m.ID, "partout"); !errors.Is(err, access.ErrInvalid) {
		t.Fatalf("an unknown perimeter: %v", err)
	}
}

// TestMinutesFromTheAssociationsTemplate: a secretariat publishes its templates folder to every
// member; a member of another group finds its Markdown files among the templates and starts
// minutes from one, filled from the meeting; a file outside a templates folder, or of a folder the
// writer does not read, is refused.
func TestMinutesFromTheAssociationsTemplate(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	if _, err := w.acc.CreateGroup(ctx, access.CLI, "secretariat", "Secrétariat"); err != nil {
		t.Fatal(err)
	}
	sec, _ := w.d.R(ctx).GroupBySlug("secretariat")
	put := func(g db.Group, p, text string) {
		t.Helper()
		if _, _, err := w.fs.Put(ctx, g, p, strings.NewReader(text), files.PutOptions{Size: int64(len(text))}); err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range []string{"/Modèles", "/Privé"} {
		if _, err := w.fs.Mkdir(ctx, sec.ID, dir, nil); err != nil {
			t.Fatal(err)
		}
	}
	put(sec, "/Modèles/compte-rendu AG.md", "# {{titre}}\n\nLe {{date}}. Présents : {{présents}}. Excusés : {{excusés}}.\n")
	put(sec, "/Modèles/notes.txt", "pas un modèle")
	put(sec, "/Privé/compte-rendu.md", "secret")
	velo, _ := w.d.R(ctx).GroupBySlug("velo")
	if _, err := w.fs.Mkdir(ctx, velo.ID, "/Templates", nil); err != nil {
		t.Fatal(err)
	}
	put(velo, "/Templates/cr.md", "le modèle de velo, que collectif ne lit pas")
	if _, err := w.acc.Publish(ctx, access.CLI, "secretariat", "/Modèles", "all"); err != nil {
		t.Fatal(err)
	}
	p, _ := w.s.Open(ctx, w.anim, w.gAnim, proposal())
	v, _ := w.s.View(ctx, w.gAnim, p.ID)
	w.s.Answer(ctx, w.ana, w.gAna, p.ID, map[int64]int{v.Slots[0].ID: db.ResponseYes})
	w.s.Answer(ctx, w.bob, w.gBob, p.ID, map[int64]int{v.Slots[0].ID: db.ResponseNo})
	w.s.Close(ctx, w.anim, w.gAnim, p.ID, v.Slots[0].ID)

	list, err := w.s.TemplateFiles(ctx, w.ana, w.gAna)
	if err != nil || len(list) != 1 || list[0].Key() != "secretariat:/Modèles/compte-rendu AG.md" {
		t.Fatalf("templates: %v %v", list, err)
	}
	d, err := w.s.TemplateFromFile(ctx, w.ana, w.gAna, list[0].Key(), Of{Poll: p.ID}, "fr")
	if err != nil || !strings.Contains(d.Body, "# Collectif de rentrée") || !strings.Contains(d.Body, "Présents : ana. Excusés : bob.") ||
		!strings.Contains(d.Body, "Le "+locale.Day("fr", v.Slots[0].Start)) {
		t.Fatalf("from the template: %v\n%s", err, d.Body)
	}
	for _, key := range []string{"secretariat:/Modèles/notes.txt", "secretariat:/Privé/compte-rendu.md", "secretariat:/../Modèles/x.md", "nulle-part:/Modèles/a.md",
		"velo:/Templates/cr.md"} {
		if _, err := w.s.TemplateFromFile(ctx, w.ana, w.gAna, key, Of{Poll: p.ID}, "fr"); !errors.Is(err, access.ErrInvalid) {
			t.Errorf("template %s: %v, want ErrInvalid", key, err)
		}
	}
	if _, err := w.s.TemplateFiles(ctx, w.guest, w.gGuest); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a guest lists templates: %v", err)
	}
}

// TestMinutesAsADocument: minutes may be a document of the group's folder; once validated, the
// content validated stays readable through the minutes whatever becomes of the file — changed,
// then deleted and its trash purged — and garbage collection keeps it.
func TestMinutesAsADocument(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	g := w.gAna.Group
	put := func(text string) {
		t.Helper()
		if _, _, err := w.fs.Put(ctx, g, "/CR/ag-2027.odt", strings.NewReader(text), files.PutOptions{Size: int64(len(text))}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.fs.Mkdir(ctx, g.ID, "/CR", nil); err != nil {
		t.Fatal(err)
	}
	validated := strings.Repeat("le texte validé de l'AG ", 4000) // past the inline limit: in the blob store
	put(validated)
	if _, err := w.s.StartMinutes(ctx, w.ana, w.gAna, Of{}, Draft{Title: "AG", HeldOn: time.Now(), Document: "/CR/../etc/passwd"}); !errors.Is(err, access.ErrInvalid) {
		t.Fatalf("a document path with ..: %v", err)
	}
	if _, err := w.s.StartMinutes(ctx, w.ana, w.gAna, Of{}, Draft{Title: "AG", HeldOn: time.Now(), Document: "/CR/absent.odt"}); !errors.Is(err, access.ErrInvalid) {
		t.Fatalf("a document that does not exist: %v", err)
	}
	m, err := w.s.StartMinutes(ctx, w.ana, w.gAna, Of{}, Draft{Title: "AG", HeldOn: time.Now(), Document: "/CR/ag-2027.odt"})
	if err != nil {
		t.Fatal(err)
	}
	w.s.Submit(ctx, w.ana, w.gAna, m.ID)
	if err := w.s.Validate(ctx, w.anim, w.gAnim, m.ID); err != nil {
		t.Fatal(err)
	}
	put("une version changée après la validation")
	if err := w.fs.Delete(ctx, g.ID, "/CR/ag-2027.odt", w.ana.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.fs.Expire(ctx, time.Now().AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.fs.CollectGarbage(ctx, -time.Hour); err != nil {
		t.Fatal(err)
	}
	v, err := w.s.ViewMinutes(ctx, w.gGuest, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	name, size, rd, err := w.s.Document(ctx, v)
	if err != nil {
		t.Fatalf("the validated document after the file went: %v", err)
	}
	defer rd.Close()
	got, _ := io.ReadAll(rd)
	if name != "ag-2027.odt" || size != int64(len(validated)) || string(got) != validated {
		t.Fatalf("the validated document: %s, %d bytes, same content: %v", name, size, string(got) == validated)
	}
	problems := 0
	if _, err := w.fs.CheckContents(ctx, func(problem bool, text string) {
		if problem {
			problems++
			t.Error(text)
		}
	}); err != nil || problems > 0 {
		t.Fatalf("check: %v, %d problems", err, problems)
	}
}
