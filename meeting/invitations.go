package meeting

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// Invitations: when an event someone organizes lists attendees, each is told (iTIP, RFC 5546, by
// mail as iMIP, RFC 6047) when they are added, when what they agreed to changes, and when the
// event is cancelled or they are taken off it. Whoever writes the event (a page, a CalDAV client,
// a poll) goes through calendar.Put, which hands every change of an event to Schedule inside its
// transaction: the invitation is never sent for a change that did not happen, nor a change made
// without its invitations, and a restart sends nothing twice.

// errAudience refuses a group invited from another group's agenda, or from a personal one.
var errAudience = fmt.Errorf("%w: a group's agenda invites its own group or the whole association", access.ErrForbidden)

// errTooMany refuses an event inviting more people than its writer may mail at once.
var errTooMany = fmt.Errorf("%w: inviting more than %d people at once is for the group's animators", access.ErrForbidden, access.MaxInvitees)

// Schedule is calendar's Scheduler: it tells the attendees of an event what changed for them. An
// event whose ORGANIZER is not someone who writes in the collection (an invitation received from
// outside, a copy of someone else's meeting) is theirs to schedule, not ours: nobody is told.
func (s *Service) Schedule(tx *db.Tx, ch calendar.Change) error {
	return s.schedule(tx, ch, "invite.request")
}

// fixedMeeting schedules the event a date poll became: its first invitations say that the date is
// fixed, the answer to the poll standing as the answer to the invitation.
type fixedMeeting struct{ *Service }

func (f fixedMeeting) Schedule(tx *db.Tx, ch calendar.Change) error {
	return f.schedule(tx, ch, "invite.fixed")
}

// schedule is Schedule with the template of a first invitation.
func (s *Service) schedule(tx *db.Tx, ch calendar.Change, first string) error {
	before, had := calendar.ReadScheduled(ch.Before)
	after, has := calendar.ReadScheduled(ch.After)
	if !had && !has {
		return nil
	}
	ev := after
	if !has {
		ev = before
	}
	if _, end := db.WindowTimes(ev.Window); end.Before(time.Now()) {
		return nil // a meeting that is over (a calendar imported, an old one corrected) tells nobody
	}
	r := tx.R()
	org, group, ok, err := s.organizer(r, ch.Collection, ev)
	if err != nil {
		return err
	}
	if !ok {
		return s.attendeeChange(tx, ch, before, had, after, has)
	}
	var people []calendar.Party
	if has && !after.Cancelled {
		if people, err = s.invitees(r, ch, group, after); err != nil {
			return err
		}
	}
	sent, err := r.Invitations(ch.Collection.ID, ev.UID)
	if err != nil {
		return err
	}
	known := map[string]db.Invitation{}
	for _, inv := range sent {
		known[strings.ToLower(inv.Address)] = inv
	}
	m := &mailing{s: s, tx: tx, by: ch.By, coll: ch.Collection, group: group, organizer: org, first: first}
	if has && !after.Cancelled {
		for _, a := range people {
			inv, seen := known[strings.ToLower(a.Address)]
			delete(known, strings.ToLower(a.Address))
			if err := m.attendee(inv, seen, a, after, had && after.Changed(before), ch.After); err != nil {
				return err
			}
		}
	}
	if err := auditAudiences(tx, ch, group, before, after, people); err != nil {
		return err
	}
	last := ch.Before
	if has {
		last = ch.After
	}
	for _, inv := range known {
		if inv.CancelledAt.IsZero() {
			if err := m.cancel(inv, last); err != nil {
				return err
			}
		}
	}
	return nil
}

// auditAudiences records an audience newly invited to an event (the group, a role of it, the
// association): a mailing to that many people is the animators' decision, and is audited as one.
func auditAudiences(tx *db.Tx, ch calendar.Change, g db.Group, before, after calendar.Scheduled, people []calendar.Party) error {
	for _, a := range after.Attendees {
		if !a.Group || !access.IsAudience(a.Address) || after.Cancelled {
			continue
		}
		if _, was := before.Attendee(a.Address); was {
			continue
		}
		n := 0
		for _, p := range people {
			if p.Member == a.Address {
				n++
			}
		}
		detail := fmt.Sprintf("%s invited to %q: %d people", a.Address, after.Summary, n)
		if err := tx.Audit(audit(ch.By, "invitations.audience", g.Slug+" "+after.UID, detail)); err != nil {
			return err
		}
	}
	return nil
}

// Committed wakes the mail sender once a write that may have queued invitations committed.
func (s *Service) Committed() { s.queued(nil) }

// organizer is the person the server schedules an event as: its ORGANIZER, when that is the owner
// of the personal collection or someone who writes in the group's; false otherwise.
func (s *Service) organizer(r db.Read, c db.Collection, ev calendar.Scheduled) (db.Person, db.Group, bool, error) {
	if ev.Organizer.Email == "" {
		return db.Person{}, db.Group{}, false, nil
	}
	p, err := r.PersonByEmail(ev.Organizer.Email)
	if errors.Is(err, db.ErrNotFound) {
		return p, db.Group{}, false, nil
	} else if err != nil {
		return p, db.Group{}, false, err
	}
	if c.GroupID == 0 {
		return p, db.Group{}, c.PersonID == p.ID, nil
	}
	g, err := r.GroupByID(c.GroupID)
	if err != nil {
		return p, g, false, err
	}
	grant, err := s.access.StandingIn(r, p, g.Slug)
	if errors.Is(err, access.ErrNoAccess) {
		return p, g, false, nil
	} else if err != nil {
		return p, g, false, err
	}
	return p, g, grant.Allows(access.CalendarWrite, ""), nil
}

// invitees are the people an event invites: the attendees it names, and the people of the
// audiences it names (a group, a role, the association), each once, the organizer apart. Who may
// invite whom is access's to decide, for the writer of the event: in a group, members invite people
// one by one, and more than access.MaxInvitees or any audience takes InvitationsMany (animators);
// an audience is the event's own group or the association; a personal agenda invites people, at
// most MaxInvitees.
func (s *Service) invitees(r db.Read, ch calendar.Change, g db.Group, ev calendar.Scheduled) ([]calendar.Party, error) {
	var out []calendar.Party
	seen := map[string]bool{strings.ToLower(ev.Organizer.Address): true}
	var audiences []calendar.Party
	for _, a := range ev.Attendees {
		if a.Group && access.IsAudience(a.Address) {
			audiences = append(audiences, a)
			continue
		}
		seen[strings.ToLower(a.Address)] = true
		out = append(out, a)
	}
	for _, a := range audiences {
		aud, err := access.ParseAudience(a.Address)
		if err != nil {
			return nil, err
		}
		if ch.Collection.GroupID == 0 || aud.Group != "" && aud.Group != g.Slug {
			return nil, errAudience
		}
		people, err := s.access.AudiencePeople(r, aud)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			addr := "mailto:" + strings.ToLower(p.Email)
			if !seen[addr] {
				seen[addr] = true
				out = append(out, calendar.Party{Address: addr, Email: strings.ToLower(p.Email), Name: p.Name, Member: a.Address})
			}
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	if ch.Collection.GroupID == 0 {
		if len(out) > access.MaxInvitees {
			return nil, errTooMany
		}
		return out, nil
	}
	grant, err := s.access.StandingIn(r, ch.By, g.Slug)
	if err != nil {
		return nil, err
	}
	if err := grant.Allow(access.InvitationsSend, ""); err != nil {
		return nil, err
	}
	if (len(out) > access.MaxInvitees || len(audiences) > 0) && !grant.Allows(access.InvitationsMany, "") {
		return nil, errTooMany
	}
	return out, nil
}

// mailing sends one event's invitations inside the write's transaction.
type mailing struct {
	s         *Service
	tx        *db.Tx
	by        db.Person // who writes the event
	coll      db.Collection
	group     db.Group
	organizer db.Person
	first     string         // the template of a first invitation
	request   []byte         // the REQUEST of this change, the same for every attendee: built once
	readers   map[int64]bool // who reads the group's agenda, once asked
}

// attendee brings one attendee's invitation up to date with the event: a first invitation (or a
// renewed one after they were taken off), an update when what they agreed to changed, or only the
// answer the event now carries (a client that wrote it back).
func (m *mailing) attendee(inv db.Invitation, seen bool, a calendar.Party, ev calendar.Scheduled, changed bool, data []byte) error {
	tmpl := ""
	switch {
	case !seen || !inv.CancelledAt.IsZero():
		tmpl = m.first
	case changed:
		tmpl = "invite.update"
	}
	if !seen {
		inv = db.Invitation{CollectionID: m.coll.ID, UID: ev.UID, Address: a.Address, Email: a.Email}
		if a.Email != "" {
			if p, err := m.tx.R().PersonByEmail(a.Email); err == nil {
				inv.PersonID = p.ID
			} else if !errors.Is(err, db.ErrNotFound) {
				return err
			}
		}
	}
	before := inv.PartStat
	inv.Name, inv.Via, inv.OrganizerID, inv.Summary, inv.Sequence, inv.CancelledAt = a.Name, a.Member, m.organizer.ID, ev.Summary, ev.Sequence, time.Time{}
	inv.StartsAt, inv.EndsAt = db.WindowTimes(ev.Window)
	if a.PartStat != "" { // one invited through a group has no line, and so no answer, in the event
		inv.PartStat = a.PartStat
	} else if inv.PartStat == "" {
		inv.PartStat = calendar.PartNeeds
	}
	answered := seen && a.PartStat != "" && a.PartStat != before && inv.PersonID != 0 && inv.PersonID == m.by.ID
	if err := m.tx.SaveInvitation(&inv); err != nil {
		return err
	}
	if answered { // an attendee who answers in the group's agenda itself: the organizer hears of it
		return m.s.deliverReply(m.tx, inv, data)
	}
	if tmpl == "" {
		return nil
	}
	if err := m.deliver(inv, data); err != nil {
		return err
	}
	return m.send(inv, tmpl, calendar.MethodRequest, ev, data)
}

// deliver files an invitation for an attendee who is a member here: the REQUEST in their inbox,
// the event in their own agenda, unless they read the group's agenda that holds it already (their
// calendar would show the meeting twice).
func (m *mailing) deliver(inv db.Invitation, data []byte) error {
	if inv.PersonID == 0 || inv.PersonID == m.organizer.ID {
		return nil
	}
	msg, err := m.message(inv, calendar.MethodRequest, data)
	if err != nil {
		return err
	}
	if err := calendar.Deliver(m.tx, inv.PersonID, inv.UID, msg); err != nil {
		return err
	}
	if sees, err := m.seesAgenda(inv.PersonID); err != nil || sees {
		return err
	}
	return calendar.PutCopy(m.tx, inv.PersonID, inv.UID, data)
}

// seesAgenda tells whether a person reads the group agenda the event is in. The readers are
// listed once per change: a convocation asks for each of its hundreds of attendees.
func (m *mailing) seesAgenda(personID int64) (bool, error) {
	if m.coll.GroupID == 0 {
		return false, nil
	}
	if m.readers == nil {
		people, err := m.s.access.PeopleAllowed(m.tx.R(), m.group, access.CalendarRead)
		if err != nil {
			return false, err
		}
		m.readers = make(map[int64]bool, len(people))
		for _, p := range people {
			m.readers[p.ID] = true
		}
	}
	return m.readers[personID], nil
}

// cancel tells an attendee taken off the event, or everyone when it is deleted or cancelled.
func (m *mailing) cancel(inv db.Invitation, data []byte) error {
	inv.CancelledAt = time.Now()
	if err := m.tx.SaveInvitation(&inv); err != nil {
		return err
	}
	ev, _ := calendar.ReadScheduled(data)
	if inv.PersonID != 0 && inv.PersonID != m.organizer.ID {
		msg, err := m.message(inv, calendar.MethodCancel, data)
		if err != nil {
			return err
		}
		if err := calendar.Deliver(m.tx, inv.PersonID, inv.UID, msg); err != nil {
			return err
		}
		if err := calendar.DeleteCopies(m.tx, inv.PersonID, inv.UID); err != nil {
			return err
		}
	}
	return m.send(inv, "invite.cancel", calendar.MethodCancel, ev, data)
}

// send queues the mail of one invitation, with its iTIP message and, but for a cancellation, a new
// answer link; nobody is mailed who has no address or asked for invitations on the home page only.
func (m *mailing) send(inv db.Invitation, tmpl, method string, ev calendar.Scheduled, data []byte) error {
	if inv.Email == "" || m.s.notifier == nil {
		return nil
	}
	if inv.PersonID != 0 {
		if on, err := m.tx.R().InvitationsByMail(inv.PersonID); err != nil || !on {
			return err
		}
	}
	ics, err := m.message(inv, method, data)
	if err != nil {
		return err
	}
	n := access.Notice{To: db.Person{Email: inv.Email, Name: inv.Name}, Template: tmpl, Group: m.group, About: m.organizer,
		Title: inv.Summary, At: m.s.startIn(m.coll, ev), AllDay: ev.AllDay, Place: ev.Location, Visio: ev.URL, Document: ev.Agenda.URL, Calendar: string(ics)}
	if method != calendar.MethodCancel {
		raw, hash := access.NewSecret()
		if err := m.tx.AddInvitationLink(inv.ID, hash); err != nil {
			return err
		}
		n.Path = "/invitation/" + raw
	}
	return m.s.notifier.Queue(m.tx, n)
}

// message is the iTIP message of one invitation: a CANCEL names its attendee, a REQUEST carries the
// whole event and is built once for all of a convocation's attendees.
func (m *mailing) message(inv db.Invitation, method string, data []byte) ([]byte, error) {
	if method == calendar.MethodCancel {
		return calendar.Message(data, method, []calendar.Party{{Address: inv.Address, Name: inv.Name}}, time.Now())
	}
	if m.request == nil {
		var err error
		if m.request, err = calendar.Message(data, method, nil, time.Now()); err != nil {
			return nil, err
		}
	}
	return m.request, nil
}

// startIn is an event's start as people read it: in the agenda's zone, or the day of an all-day one.
func (s *Service) startIn(coll db.Collection, ev calendar.Scheduled) time.Time {
	z := calendar.CollectionZone(coll, s.zone)
	if ev.AllDay {
		return time.Date(ev.Start.Year(), ev.Start.Month(), ev.Start.Day(), 0, 0, 0, 0, z.Loc)
	}
	return ev.Start.In(z.Loc)
}

// ErrInvitationOver refuses an answer to an invitation cancelled or to a meeting that has ended.
var ErrInvitationOver = errors.New("meeting: this invitation is over")

// errAnswer refuses an answer that is not one of an invitation's.
var errAnswer = fmt.Errorf("%w: an answer is accepted, tentative or declined", access.ErrInvalid)

// answers are the answers people give, as links and forms spell them.
var answers = map[string]string{"accepted": calendar.PartAccepted, "tentative": calendar.PartTentative, "declined": calendar.PartDeclined}

// PartStat is the PARTSTAT of an answer as links and forms spell it (accepted, tentative,
// declined); false for anything else.
func PartStat(answer string) (string, bool) {
	p, ok := answers[strings.ToLower(answer)]
	return p, ok
}

// Invitation is what an invitation's page shows: the invitation, the event as it stands, who
// invites, for which group.
type Invitation struct {
	db.Invitation
	Event     calendar.Scheduled
	At        time.Time // the start, in the agenda's zone
	Group     db.Group  // zero for a personal agenda's event
	Organizer db.Person
}

// InvitationByLink opens the invitation of a mailed link. A link answers that invitation only,
// for its attendee, signed out, until the meeting ends: it reads nothing else of the group.
// access.ErrNoAccess when the link is unknown.
func (s *Service) InvitationByLink(ctx context.Context, raw string) (Invitation, error) {
	return s.invitation(s.db.R(ctx), func(r db.Read) (db.Invitation, error) { return r.InvitationByLink(access.HashSecret(raw)) })
}

// AnswerInvitationByLink records the answer given through a mailed link and tells whether it changed
// anything: a second click on the same answer changes nothing.
func (s *Service) AnswerInvitationByLink(ctx context.Context, raw, answer string) (Invitation, bool, error) {
	return s.answerInvitation(ctx, answer, func(r db.Read) (db.Invitation, error) { return r.InvitationByLink(access.HashSecret(raw)) })
}

// MyInvitations lists the open invitations of a person, soonest first: how a member without a
// mailbox, or who takes invitations on the home page only, learns of them.
func (s *Service) MyInvitations(ctx context.Context, p db.Person) ([]Invitation, error) {
	r := s.db.R(ctx)
	list, err := r.InvitationsOf(p.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Invitation, 0, len(list))
	for _, inv := range list {
		v, err := s.invitation(r, func(db.Read) (db.Invitation, error) { return inv, nil })
		if errors.Is(err, access.ErrNoAccess) {
			continue // the event went without a cancellation reaching the row
		} else if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// AnswerInvitation records a person's answer to one of their invitations, from their home page.
func (s *Service) AnswerInvitation(ctx context.Context, p db.Person, id int64, answer string) (Invitation, bool, error) {
	return s.answerInvitation(ctx, answer, func(r db.Read) (db.Invitation, error) {
		inv, err := r.InvitationByID(id)
		if err == nil && inv.PersonID != p.ID {
			return inv, access.ErrNoAccess
		}
		return inv, err
	})
}

func (s *Service) answerInvitation(ctx context.Context, answer string, find func(db.Read) (db.Invitation, error)) (Invitation, bool, error) {
	partstat, ok := PartStat(answer)
	if !ok {
		return Invitation{}, false, errAnswer
	}
	var v Invitation
	changed := false
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		if v, err = s.invitation(tx.R(), find); err != nil {
			return err
		}
		if !v.Open(time.Now()) {
			return ErrInvitationOver
		}
		changed, err = s.recordAnswer(tx, v.Invitation, partstat, true)
		v.PartStat = partstat
		return err
	})
	return v, changed, err
}

// eventOf reads the event an invitation is about, with its content.
func eventOf(r db.Read, inv db.Invitation) (db.Object, error) {
	o, err := r.ObjectByUID(inv.CollectionID, inv.UID)
	if err != nil {
		return o, err
	}
	return r.Object(inv.CollectionID, o.Name)
}

// invitation reads an invitation found by find with its event; access.ErrNoAccess when there is no
// such invitation or its event is gone.
func (s *Service) invitation(r db.Read, find func(db.Read) (db.Invitation, error)) (Invitation, error) {
	inv, err := find(r)
	if errors.Is(err, db.ErrNotFound) {
		return Invitation{}, access.ErrNoAccess
	} else if err != nil {
		return Invitation{}, err
	}
	v := Invitation{Invitation: inv}
	coll, err := r.CollectionByID(inv.CollectionID)
	if err != nil {
		return v, err
	}
	o, err := eventOf(r, inv)
	if errors.Is(err, db.ErrNotFound) {
		if !inv.CancelledAt.IsZero() {
			return v, nil // cancelled and deleted: the page says it is off
		}
		return v, access.ErrNoAccess
	} else if err != nil {
		return v, err
	}
	v.Event, _ = calendar.ReadScheduled(o.Data)
	v.At = s.startIn(coll, v.Event)
	if coll.GroupID != 0 {
		if v.Group, err = r.GroupByID(coll.GroupID); err != nil {
			return v, err
		}
	}
	if inv.OrganizerID != 0 {
		if v.Organizer, err = r.PersonByID(inv.OrganizerID); err != nil && !errors.Is(err, db.ErrNotFound) {
			return v, err
		}
	}
	return v, nil
}

// InvitationsByMail tells whether p takes invitations by mail as well as on the home page.
func (s *Service) InvitationsByMail(ctx context.Context, p db.Person) (bool, error) {
	return s.db.R(ctx).InvitationsByMail(p.ID)
}

// SetInvitationsByMail sets whether p takes invitations by mail: someone whose address is not
// theirs to read (a member without a mailbox of their own) or who wants fewer mails answers from
// the home page and their calendar instead.
func (s *Service) SetInvitationsByMail(ctx context.Context, p db.Person, on bool) error {
	return s.db.Write(ctx, func(tx *db.Tx) error { return tx.SetInvitationsByMail(p.ID, on) })
}
