package meeting

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// Date polls. An animator proposes dates; everyone of the group, guests included, answers each
// with yes, if need be or no, from the group's page or from the link mailed to them (which works
// signed out, while the poll is open and they are in the group); everyone sees the table of
// answers; the animator closes the poll on a date, which becomes an event of the group's agenda
// with those who answered as its attendees. Those who have not answered are reminded once.

// RemindBefore is how long before a poll's deadline those who have not answered are reminded;
// a poll opened less than a day before that gets no reminder, its opening mail being fresh.
const RemindBefore = 48 * time.Hour

// Proposal is what an animator proposes: the meeting and its candidate dates.
type Proposal struct {
	Title, Description string
	Kind               string // calendar.KindCollectif, KindAG, KindOther
	Location, Visio    string
	Deadline           time.Time
	Slots              []db.Slot // Start, End, and Place when it differs from Location
}

// View is a poll as its page shows it: the dates, who was asked, and everyone's answers.
type View struct {
	Poll    db.Poll
	Group   db.Group
	Slots   []db.Slot
	Voters  []db.Voter
	Answers map[int64]map[int64]int // person → slot → response
	Zone    calendar.Zone           // the agenda's zone, in which the dates are shown
}

// Tally counts the yes and if-need-be answers to a slot.
func (v View) Tally(slotID int64) (yes, ifNeedBe int) {
	for _, byslot := range v.Answers {
		switch r, ok := byslot[slotID]; {
		case ok && r == db.ResponseYes:
			yes++
		case ok && r == db.ResponseIfNeedBe:
			ifNeedBe++
		}
	}
	return yes, ifNeedBe
}

// Awaiting is an open poll waiting for someone's answer, for their home page.
type Awaiting struct {
	Poll  db.Poll
	Group db.Group
}

// Open opens a poll in the group of g and mails each person of the group who may answer their
// personal link. Only animators open polls.
func (s *Service) Open(ctx context.Context, by db.Person, g access.Grant, pr Proposal) (db.Poll, error) {
	if err := g.Allow(access.PollsWrite, ""); err != nil {
		return db.Poll{}, err
	}
	if err := pr.check(db.Now()); err != nil {
		return db.Poll{}, err
	}
	p := db.Poll{GroupID: g.Group.ID, UID: newUID(), Title: strings.TrimSpace(pr.Title), Description: strings.TrimSpace(pr.Description),
		Kind: pr.Kind, Location: strings.TrimSpace(pr.Location), Visio: strings.TrimSpace(pr.Visio), Deadline: pr.Deadline, CreatedBy: by.ID}
	slots := append([]db.Slot(nil), pr.Slots...)
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.CreatePoll(&p, slots); err != nil {
			return err
		}
		voters, err := s.access.PeopleAllowed(tx.R(), g.Group, access.PollsAnswer)
		if err != nil {
			return err
		}
		for _, v := range voters {
			if err := s.ask(tx, p, g.Group, v, "poll.open"); err != nil {
				return err
			}
		}
		return tx.Audit(audit(by, "poll.open", g.Group.Slug+" "+fmt.Sprint(p.ID), fmt.Sprintf("%s, %d dates", p.Title, len(slots))))
	})
	s.queued(err)
	return p, err
}

// ask adds v to the poll's voters and mails them a fresh personal link with template tmpl (the
// opening, the reminder); earlier links keep working.
func (s *Service) ask(tx *db.Tx, p db.Poll, g db.Group, v db.Person, tmpl string) error {
	if err := tx.AddVoter(p.ID, v.ID); err != nil {
		return err
	}
	if s.notifier == nil || v.Email == "" {
		return nil // no mail, no link: they answer from the group's page
	}
	raw, hash := access.NewSecret()
	if err := tx.AddPollLink(p.ID, v.ID, hash); err != nil {
		return err
	}
	return s.notify(tx, access.Notice{To: v, Template: tmpl, Group: g, Title: p.Title, Until: p.Deadline.Add(-time.Second),
		Path: "/poll/" + raw})
}

// check validates a proposal at time now.
func (pr Proposal) check(now time.Time) error {
	title := strings.TrimSpace(pr.Title)
	switch {
	case title == "" || utf8.RuneCountInString(title) > maxTitle:
		return &access.FieldError{Field: "title", Err: errTitle}
	case len(pr.Description) > maxText || len(pr.Location) > maxTitle*5 || len(pr.Visio) > 2048:
		return &access.FieldError{Field: "description", Err: errLong}
	case pr.Visio != "" && !webAddress(strings.TrimSpace(pr.Visio)):
		return &access.FieldError{Field: "visio", Err: errVisio}
	case len(pr.Slots) == 0 || len(pr.Slots) > maxSlots:
		return &access.FieldError{Field: "slots", Err: errSlots}
	case !pr.Deadline.After(now):
		return &access.FieldError{Field: "deadline", Err: errDeadline}
	}
	for _, sl := range pr.Slots {
		if !sl.End.After(sl.Start) || len(sl.Place) > maxTitle*5 {
			return &access.FieldError{Field: "slots", Err: errSlot}
		}
	}
	return nil
}

// webAddress tells whether s is an http or https address with a host.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Polls lists the polls of the group of g, open ones first.
func (s *Service) Polls(ctx context.Context, g access.Grant) ([]db.Poll, error) {
	if err := g.Allow(access.PollsRead, ""); err != nil {
		return nil, err
	}
	return s.db.R(ctx).Polls(g.Group.ID)
}

// View reads a poll of the group of g with everyone's answers.
func (s *Service) View(ctx context.Context, g access.Grant, id int64) (View, error) {
	if err := g.Allow(access.PollsRead, ""); err != nil {
		return View{}, err
	}
	return s.view(s.db.R(ctx), g.Group, id)
}

func (s *Service) view(r db.Read, g db.Group, id int64) (View, error) {
	p, err := r.PollByID(g.ID, id)
	if errors.Is(err, db.ErrNotFound) {
		return View{}, access.ErrNoAccess
	} else if err != nil {
		return View{}, err
	}
	v := View{Poll: p, Group: g, Answers: map[int64]map[int64]int{}}
	if v.Slots, err = r.Slots(id); err != nil {
		return v, err
	}
	if v.Voters, err = r.Voters(id); err != nil {
		return v, err
	}
	answers, err := r.Answers(id)
	if err != nil {
		return v, err
	}
	for _, a := range answers {
		if v.Answers[a.PersonID] == nil {
			v.Answers[a.PersonID] = map[int64]int{}
		}
		v.Answers[a.PersonID][a.SlotID] = a.Response
	}
	coll, err := r.Collection(g.ID, 0, db.KindCalendar, "agenda")
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return v, err
	}
	v.Zone = calendar.CollectionZone(coll, s.zone)
	return v, nil
}

// Answer records the answers of by (slot → db.Response…) to a poll of the group of g, replacing
// earlier ones; a slot left out has no answer. Someone of the group who was not asked (they joined
// since) becomes a voter.
func (s *Service) Answer(ctx context.Context, by db.Person, g access.Grant, id int64, answers map[int64]int) error {
	if err := g.Allow(access.PollsAnswer, ""); err != nil {
		return err
	}
	return s.answer(ctx, by, g.Group.ID, id, answers)
}

func (s *Service) answer(ctx context.Context, by db.Person, groupID, id int64, answers map[int64]int) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		p, err := tx.R().PollByID(groupID, id)
		if errors.Is(err, db.ErrNotFound) {
			return access.ErrNoAccess
		} else if err != nil {
			return err
		}
		if !p.Open(db.Now()) {
			return ErrClosed
		}
		slots, err := tx.R().Slots(id)
		if err != nil {
			return err
		}
		if err := checkAnswers(slots, answers); err != nil {
			return err
		}
		if err := tx.AddVoter(id, by.ID); err != nil {
			return err
		}
		return tx.SetAnswers(id, by.ID, answers)
	})
}

// checkAnswers refuses a slot of another poll and a response that is not one of the three.
func checkAnswers(slots []db.Slot, answers map[int64]int) error {
	ours := map[int64]bool{}
	for _, sl := range slots {
		ours[sl.ID] = true
	}
	for id, r := range answers {
		if !ours[id] {
			return &access.FieldError{Field: "answer", Err: errNoSlot}
		}
		if r != db.ResponseYes && r != db.ResponseIfNeedBe && r != db.ResponseNo {
			return &access.FieldError{Field: "answer", Err: errResponse}
		}
	}
	return nil
}

// Link is what a mailed answer link opens: the poll, and who answers.
type Link struct {
	View
	Person db.Person
}

// ByLink resolves a mailed answer link: ErrNoAccess when it is unknown, or when its person may no
// longer answer in the group (they left, their access ended); a closed poll still shows, read-only.
func (s *Service) ByLink(ctx context.Context, raw string) (Link, error) {
	r := s.db.R(ctx)
	pollID, personID, err := r.VoterByLink(access.HashSecret(raw))
	if errors.Is(err, db.ErrNotFound) {
		return Link{}, access.ErrNoAccess
	} else if err != nil {
		return Link{}, err
	}
	p, err := r.PersonByID(personID)
	if err != nil {
		return Link{}, err
	}
	groupID, err := r.PollGroup(pollID)
	if err != nil {
		return Link{}, err
	}
	group, err := r.GroupByID(groupID)
	if err != nil {
		return Link{}, err
	}
	g, err := s.access.StandingIn(r, p, group.Slug)
	if err == nil {
		err = g.Allow(access.PollsAnswer, "")
	}
	if err != nil {
		return Link{}, access.ErrNoAccess
	}
	v, err := s.view(r, group, pollID)
	return Link{View: v, Person: p}, err
}

// AnswerByLink records answers given through a mailed link, with the same rules as Answer.
func (s *Service) AnswerByLink(ctx context.Context, raw string, answers map[int64]int) (Link, error) {
	l, err := s.ByLink(ctx, raw)
	if err != nil {
		return l, err
	}
	return l, s.answer(ctx, l.Person, l.Group.ID, l.Poll.ID, answers)
}

// Close ends a poll of the group of g on slot (0: without a date, the meeting is off). A chosen
// date becomes an event of the group's agenda, in the same transaction: the poll's title, kind,
// place and visio, and those who answered as attendees with what they said of that date. Everyone
// asked is mailed the outcome. Only animators close polls; they need to write the agenda too.
func (s *Service) Close(ctx context.Context, by db.Person, g access.Grant, id, slot int64) (db.Poll, error) {
	if err := g.Allow(access.PollsWrite, ""); err != nil {
		return db.Poll{}, err
	}
	if slot != 0 {
		if err := g.Allow(access.CalendarWrite, ""); err != nil {
			return db.Poll{}, err
		}
	}
	var p db.Poll
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		v, err := s.view(tx.R(), g.Group, id)
		if err != nil {
			return err
		}
		p = v.Poll
		if !p.ClosedAt.IsZero() {
			return ErrClosed
		}
		p.ClosedBy, p.ChosenSlot = by.ID, slot
		var chosen *db.Slot
		if slot != 0 {
			for i := range v.Slots {
				if v.Slots[i].ID == slot {
					chosen = &v.Slots[i]
				}
			}
			if chosen == nil {
				return &access.FieldError{Field: "slot", Err: errNoSlot}
			}
			if p.EventUID, err = s.putEvent(tx, by, v, *chosen); err != nil {
				return err
			}
		}
		if err := tx.ClosePoll(p); err != nil {
			return err
		}
		v.Poll.EventUID = p.EventUID
		if err := s.closedNotices(tx, v, chosen); err != nil {
			return err
		}
		detail := "without a date"
		if chosen != nil {
			detail = chosen.Start.In(v.Zone.Loc).Format("2006-01-02 15:04") + ", event " + p.EventUID
		}
		return tx.Audit(audit(by, "poll.close", g.Group.Slug+" "+fmt.Sprint(p.ID), detail))
	})
	s.queued(err)
	return p, err
}

// partStats are the attendees' participation, from what they answered of the chosen date.
var partStats = map[int]string{db.ResponseYes: "ACCEPTED", db.ResponseIfNeedBe: "TENTATIVE", db.ResponseNo: "DECLINED"}

// putEvent makes the chosen slot an event of the group's agenda, organized by who closed the poll,
// and returns its UID. Those who answered the poll are its attendees, each invited with their
// answer as the invitation's: the mail says the date is fixed and carries the event for their
// calendar, with links to confirm or change.
func (s *Service) putEvent(tx *db.Tx, by db.Person, v View, sl db.Slot) (string, error) {
	coll, err := tx.R().Collection(v.Group.ID, 0, db.KindCalendar, "agenda")
	if err != nil {
		return "", err
	}
	place := v.Poll.Location
	if sl.Place != "" {
		place = sl.Place
	}
	e := calendar.Event{UID: v.Poll.UID + "-event", Summary: v.Poll.Title, Kind: v.Poll.Kind, Location: place, URL: v.Poll.Visio,
		Description: v.Poll.Description, Start: sl.Start.In(v.Zone.Loc), End: sl.End.In(v.Zone.Loc),
		Organizer: calendar.Attendee{Email: by.Email, Name: by.Name}}
	for _, voter := range v.Voters {
		r, ok := v.Answers[voter.PersonID][sl.ID]
		if ok && voter.Email != "" {
			e.Attendees = append(e.Attendees, calendar.Attendee{Email: voter.Email, Name: voter.Name, PartStat: partStats[r]})
		}
	}
	now := db.Now()
	cal := calendar.NewEventCalendar(e.UID, now)
	calendar.ApplyEvent(cal, e, v.Zone, now)
	data, err := calendar.Encode(cal)
	if err != nil {
		return "", err
	}
	if _, err := calendar.PutIn(tx, coll, e.UID+".ics", data, calendar.Edit{By: by, Scheduler: fixedMeeting{s}}); err != nil {
		return "", err
	}
	return e.UID, nil
}

// closedNotices tells everyone asked how the poll ended: the date fixed, or the meeting off. Those
// invited to the meeting's event (who answered) hear of the date through their invitation.
func (s *Service) closedNotices(tx *db.Tx, v View, chosen *db.Slot) error {
	tmpl := "poll.cancelled"
	var at time.Time
	if chosen != nil {
		tmpl, at = "poll.fixed", chosen.Start.In(v.Zone.Loc)
	}
	for _, voter := range v.Voters {
		p, err := tx.R().PersonByID(voter.PersonID)
		if err != nil {
			return err
		}
		if g, err := s.access.StandingIn(tx.R(), p, v.Group.Slug); err != nil || !g.Allows(access.PollsRead, "") {
			continue // they left the group since: its meetings are no longer theirs
		}
		if invited, err := s.invitedTo(tx.R(), v, p); err != nil {
			return err
		} else if invited {
			continue
		}
		n := access.Notice{To: p, Template: tmpl, Group: v.Group, Title: v.Poll.Title, At: at,
			Path: "/groups/" + url.PathEscape(v.Group.Slug) + "/agenda"}
		if err := s.notify(tx, n); err != nil {
			return err
		}
	}
	return nil
}

// invitedTo tells whether p holds an invitation to the event the poll became.
func (s *Service) invitedTo(r db.Read, v View, p db.Person) (bool, error) {
	if v.Poll.EventUID == "" {
		return false, nil
	}
	coll, err := r.Collection(v.Group.ID, 0, db.KindCalendar, "agenda")
	if err != nil {
		return false, err
	}
	invs, err := r.Invitations(coll.ID, v.Poll.EventUID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(invs, func(i db.Invitation) bool { return i.PersonID == p.ID && i.CancelledAt.IsZero() }), nil
}

// Awaiting lists the open polls p was asked and has not answered, in groups where p may still
// answer: their home page's "waiting for your answer".
func (s *Service) Awaiting(ctx context.Context, p db.Person) ([]Awaiting, error) {
	r := s.db.R(ctx)
	polls, err := r.PollsAwaiting(p.ID)
	if err != nil {
		return nil, err
	}
	var out []Awaiting
	for _, poll := range polls {
		group, err := r.GroupByID(poll.GroupID)
		if err != nil {
			return nil, err
		}
		if g, err := s.access.StandingIn(r, p, group.Slug); err == nil && g.Allows(access.PollsAnswer, "") {
			out = append(out, Awaiting{Poll: poll, Group: group})
		}
	}
	return out, nil
}

// Remind mails, once per poll, those who have not answered a poll whose deadline is near and who
// may still answer; it returns how many were reminded. Housekeeping calls it.
func (s *Service) Remind(ctx context.Context) (int, error) {
	reminded := 0
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		reminded = 0
		now := db.Now()
		polls, err := tx.R().PollsToRemind(now.Add(RemindBefore))
		if err != nil {
			return err
		}
		for _, p := range polls {
			if p.CreatedAt.After(p.Deadline.Add(-RemindBefore - 24*time.Hour)) {
				continue // opened shortly before the reminder would go: the opening mail is fresh
			}
			n, err := s.remindPoll(tx, p)
			if err != nil {
				return err
			}
			reminded += n
		}
		return nil
	})
	s.queued(err)
	return reminded, err
}

// remindPoll mails a poll's late voters a new link and records the reminder.
func (s *Service) remindPoll(tx *db.Tx, p db.Poll) (int, error) {
	group, err := tx.R().GroupByID(p.GroupID)
	if err != nil {
		return 0, err
	}
	voters, err := tx.R().Voters(p.ID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, v := range voters {
		if !v.AnsweredAt.IsZero() {
			continue
		}
		person, err := tx.R().PersonByID(v.PersonID)
		if err != nil {
			return n, err
		}
		if g, err := s.access.StandingIn(tx.R(), person, group.Slug); err != nil || !g.Allows(access.PollsAnswer, "") {
			continue
		}
		if err := s.ask(tx, p, group, person, "poll.reminder"); err != nil {
			return n, err
		}
		n++
	}
	if err := tx.MarkPollReminded(p.ID); err != nil {
		return n, err
	}
	return n, tx.Audit(audit(db.Person{}, "poll.remind", group.Slug+" "+fmt.Sprint(p.ID), fmt.Sprintf("%d reminded", n)))
}

// newUID is a poll's UID.
func newUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
