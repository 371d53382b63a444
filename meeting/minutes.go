package meeting

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"parvis/access"
	"parvis/calendar"
	"parvis/files"
	"parvis/locale"
	"parvis/storage/db"
)

// Minutes. Members write a meeting's minutes (Markdown) and submit them; an animator validates
// them, which records who and when and turns the actions decided into tasks of the group's task
// list. A validated text never changes: a correction is a new draft that revises it, and the
// validated one stays readable until the correction is validated in turn. Animators decide how far
// validated minutes reach: the group, every member of the association, or anyone with the link.

// Errors of minutes a person can act on.
var (
	// ErrValidated refuses a change to validated minutes: a correction starts a new draft.
	ErrValidated = errors.New("meeting: validated minutes do not change; start a correction")
	// ErrNotSubmitted refuses to validate minutes that were not submitted (or were validated already).
	ErrNotSubmitted = errors.New("meeting: only submitted minutes are validated")
	// ErrNotValidated refuses to publish or correct minutes that are not validated.
	ErrNotValidated = errors.New("meeting: only validated minutes are published or corrected")

	errMinutesTitle = fmt.Errorf("%w: minutes need a title of at most %d characters", access.ErrInvalid, maxTitle)
	errMinutesBody  = fmt.Errorf("%w: the text of minutes is at most %d characters", access.ErrInvalid, maxMinutes)
	errAction       = fmt.Errorf("%w: an action has a text of at most %d characters, assigned to someone of the group", access.ErrInvalid, maxTitle)
	errPerimeter    = fmt.Errorf("%w: minutes reach the group, all members, or the public", access.ErrInvalid)
	errDocument     = fmt.Errorf("%w: the document is a file of the group's folder", access.ErrInvalid)
)

const (
	maxMinutes = 200_000 // a long AG's minutes are some 50,000 characters
	maxActions = 100
)

// Draft is what the page writes of minutes: the text and the actions decided.
type Draft struct {
	Title    string
	HeldOn   time.Time
	Body     string
	Document string             // a file of the group's tree that is the minutes (a .odt, a .pdf), "" for none
	Actions  []db.MinutesAction // What, Assignee (an e-mail of the group's people), Due (a day, or zero)
}

// MinutesView is minutes as their page shows them.
type MinutesView struct {
	Minutes   db.Minutes
	Group     db.Group
	Actions   []db.MinutesAction
	People    map[int64]db.Person // who wrote, submitted and validated them
	Corrected int64               // the draft that corrects these validated minutes, 0 for none
}

// Name is how the page names the person of id: their name or e-mail, "" when gone.
func (v MinutesView) Name(id int64) string { return v.People[id].DisplayName() }

// Of names the meeting minutes are about: the poll that fixed its date, or its event in the
// group's agenda; zero for minutes of no recorded meeting.
type Of struct {
	Poll  int64
	Event string // a UID of the group's agenda
}

// facts are what minutes start from: the meeting's title and date, who came (or said they would)
// and who was excused: from the attendance recorded on its event, else its answers, else its
// poll's answers to the date chosen.
type facts struct {
	title                    string
	heldOn                   time.Time
	present, remote, excused []string
}

// presentIn lists those present as the minutes say it in lang: the visio attendees marked so.
func (f facts) presentIn(lang string) string {
	out := slices.Clone(f.present)
	for _, n := range f.remote {
		out = append(out, n+" "+locale.Text(lang, "minutes.remote"))
	}
	return strings.Join(out, ", ")
}

// meetingFacts reads the facts of the meeting of g that minutes are of (none: today).
func (s *Service) meetingFacts(r db.Read, g db.Group, of Of) (facts, error) {
	f := facts{heldOn: db.Now()}
	if of.Poll == 0 {
		if of.Event == "" {
			return f, nil
		}
		coll, o, err := agendaEvent(r, g, of.Event)
		if err != nil {
			return f, err
		}
		ev, _ := calendar.ReadScheduled(o.Data)
		f.title, f.heldOn = ev.Summary, s.startIn(coll, ev)
		if ev.Summary == "" { // no ORGANIZER: read what any event has
			if obj, err := calendar.Parse(o.Data); err == nil {
				if e, err := calendar.ReadEvent(obj, calendar.CollectionZone(coll, s.zone)); err == nil {
					f.title, f.heldOn = e.Summary, e.Start
				}
			}
		}
		_, err = f.fromEvent(r, g, of.Event)
		return f, err
	}
	v, err := s.view(r, g, of.Poll)
	if err != nil {
		return f, err
	}
	f.title = v.Poll.Title
	for _, sl := range v.Slots {
		if sl.ID == v.Poll.ChosenSlot {
			f.heldOn = sl.Start.In(v.Zone.Loc)
		}
	}
	if ok, err := f.fromEvent(r, g, v.Poll.EventUID); err != nil || ok {
		return f, err
	}
	for _, voter := range v.Voters {
		name := voter.Name
		if name == "" {
			name = voter.Email
		}
		switch r, ok := v.Answers[voter.PersonID][v.Poll.ChosenSlot]; {
		case ok && r == db.ResponseNo:
			f.excused = append(f.excused, name)
		case ok:
			f.present = append(f.present, name)
		}
	}
	return f, nil
}

// fromEvent reads who came from the meeting's event: the attendance recorded on it, or else the
// answers to its invitations, which land there after the poll (someone who said yes may have
// declined since); false when the event is gone.
func (f *facts) fromEvent(r db.Read, g db.Group, uid string) (bool, error) {
	if uid == "" {
		return false, nil
	}
	_, o, err := agendaEvent(r, g, uid)
	if errors.Is(err, access.ErrNoAccess) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	ev, ok := calendar.ReadScheduled(o.Data)
	if !ok {
		return false, nil
	}
	recorded := slices.ContainsFunc(ev.Listed, func(a calendar.Party) bool { return a.Attended != "" })
	for _, a := range ev.Listed {
		if a.Group {
			continue // a group's line: its people who answered have their own
		}
		name := a.Name
		if name == "" {
			name = a.Email
		}
		switch {
		case recorded && a.Attended == calendar.AttendedInPerson:
			f.present = append(f.present, name)
		case recorded && a.Attended == calendar.AttendedRemote:
			f.remote = append(f.remote, name)
		case recorded && a.Attended == calendar.AttendedExcused:
			f.excused = append(f.excused, name)
		case recorded:
		case a.PartStat == calendar.PartAccepted, a.PartStat == calendar.PartTentative:
			f.present = append(f.present, name)
		case a.PartStat == calendar.PartDeclined:
			f.excused = append(f.excused, name)
		}
	}
	return true, nil
}

// Template is the start of a meeting's minutes in lang, from the built-in template of the
// catalogue, filled from the meeting it is of: the title, the date, who came (or said they would)
// and who was excused.
func (s *Service) Template(ctx context.Context, g access.Grant, of Of, lang string) (Draft, error) {
	if err := g.Allow(access.MinutesWrite, ""); err != nil {
		return Draft{}, err
	}
	f, err := s.meetingFacts(s.db.R(ctx), g.Group, of)
	if err != nil {
		return Draft{}, err
	}
	body, err := locale.Render(lang, "minutes.template", map[string]string{"Title": f.title, "Day": locale.Day(lang, f.heldOn),
		"Present": f.presentIn(lang), "Excused": strings.Join(f.excused, ", ")})
	return Draft{Title: f.title, HeldOn: f.heldOn, Body: body}, err
}

// checkDraft validates a draft against the group's tree (the document) and people (the actions'
// assignees).
func (s *Service) checkDraft(r db.Read, g db.Group, d *Draft) error {
	d.Title = strings.TrimSpace(d.Title)
	if d.Title == "" || utf8.RuneCountInString(d.Title) > maxTitle {
		return &access.FieldError{Field: "title", Err: errMinutesTitle}
	}
	if len(d.Body) > maxMinutes {
		return &access.FieldError{Field: "body", Err: errMinutesBody}
	}
	if d.Document = strings.TrimSpace(d.Document); d.Document != "" {
		clean, err := files.Clean(d.Document)
		if err != nil {
			return &access.FieldError{Field: "document", Err: errDocument}
		}
		if n, err := r.Node(g.ID, clean); err != nil || n.IsDir {
			return &access.FieldError{Field: "document", Err: errDocument}
		}
		d.Document = clean
	}
	if len(d.Actions) > maxActions {
		return &access.FieldError{Field: "actions", Err: errAction}
	}
	people, err := s.access.PeopleAllowed(r, g, access.CalendarRead)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, p := range people {
		known[strings.ToLower(p.Email)] = true
	}
	for i := range d.Actions {
		a := &d.Actions[i]
		a.What, a.Assignee = strings.TrimSpace(a.What), strings.ToLower(strings.TrimSpace(a.Assignee))
		if a.What == "" || utf8.RuneCountInString(a.What) > maxTitle || a.Assignee != "" && !known[a.Assignee] {
			return &access.FieldError{Field: "actions", Err: errAction}
		}
	}
	return nil
}

// StartMinutes writes the first draft of a meeting's minutes.
func (s *Service) StartMinutes(ctx context.Context, by db.Person, g access.Grant, of Of, d Draft) (db.Minutes, error) {
	if err := g.Allow(access.MinutesWrite, ""); err != nil {
		return db.Minutes{}, err
	}
	m := db.Minutes{GroupID: g.Group.ID, Status: db.MinutesDraft, Perimeter: string(access.PerimeterGroup), CreatedBy: by.ID}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := s.checkDraft(tx.R(), g.Group, &d); err != nil {
			return err
		}
		switch {
		case of.Poll != 0:
			p, err := tx.R().PollByID(g.Group.ID, of.Poll)
			if err != nil {
				return errors.Join(access.ErrNoAccess, err)
			}
			m.PollID, m.EventUID = p.ID, p.EventUID
		case of.Event != "":
			if _, _, err := agendaEvent(tx.R(), g.Group, of.Event); err != nil {
				return err
			}
			m.EventUID = of.Event
		}
		m.Title, m.HeldOn, m.Body, m.Document = d.Title, d.HeldOn, d.Body, d.Document
		if err := tx.CreateMinutes(&m); err != nil {
			return err
		}
		if err := tx.SetMinutesActions(m.ID, d.Actions); err != nil {
			return err
		}
		return tx.Audit(audit(by, "minutes.create", g.Group.Slug+" "+fmt.Sprint(m.ID), m.Title))
	})
	return m, err
}

// SaveMinutes changes the text of minutes not yet validated; submitted minutes go back to draft,
// to be submitted again. Validated minutes are refused with ErrValidated.
func (s *Service) SaveMinutes(ctx context.Context, by db.Person, g access.Grant, id int64, d Draft) error {
	if err := g.Allow(access.MinutesWrite, ""); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		m, err := s.minutesOf(tx.R(), g.Group, id)
		if err != nil {
			return err
		}
		if m.Status == db.MinutesValidated || m.Status == db.MinutesSuperseded {
			return ErrValidated
		}
		if err := s.checkDraft(tx.R(), g.Group, &d); err != nil {
			return err
		}
		m.Title, m.HeldOn, m.Body, m.Document = d.Title, d.HeldOn, d.Body, d.Document
		if err := tx.UpdateMinutesText(m); err != nil {
			return err
		}
		return tx.SetMinutesActions(m.ID, d.Actions)
	})
}

// minutesOf reads minutes of a group, ErrNoAccess when it has none of that id.
func (s *Service) minutesOf(r db.Read, g db.Group, id int64) (db.Minutes, error) {
	m, err := r.MinutesByID(g.ID, id)
	if errors.Is(err, db.ErrNotFound) {
		return m, access.ErrNoAccess
	}
	return m, err
}

// Submit hands a draft to the animators for validation and mails them.
func (s *Service) Submit(ctx context.Context, by db.Person, g access.Grant, id int64) error {
	if err := g.Allow(access.MinutesWrite, ""); err != nil {
		return err
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		m, err := s.minutesOf(tx.R(), g.Group, id)
		if err != nil {
			return err
		}
		if m.Status != db.MinutesDraft {
			if m.Status == db.MinutesSubmitted {
				return nil // submitted already: nothing to do
			}
			return ErrValidated
		}
		if err := tx.SetMinutesStatus(id, db.MinutesDraft, db.MinutesSubmitted, by.ID); err != nil {
			return err
		}
		validators, err := s.access.PeopleAllowed(tx.R(), g.Group, access.MinutesValidate)
		if err != nil {
			return err
		}
		for _, v := range validators {
			n := access.Notice{To: v, Template: "minutes.submitted", Group: g.Group, Title: m.Title, About: by, At: m.HeldOn,
				Path: minutesPath(g.Group.Slug, id)}
			if err := s.notify(tx, n); err != nil {
				return err
			}
		}
		return tx.Audit(audit(by, "minutes.submit", g.Group.Slug+" "+fmt.Sprint(id), m.Title))
	})
	s.queued(err)
	return err
}

// Validate validates submitted minutes: who and when are recorded, the minutes they correct are
// superseded (their perimeter passes on), and each action not yet a task becomes one of the
// group's task list, assigned and due as written — all in one transaction.
func (s *Service) Validate(ctx context.Context, by db.Person, g access.Grant, id int64) error {
	if err := g.Allow(access.MinutesValidate, ""); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		m, err := s.minutesOf(tx.R(), g.Group, id)
		if err != nil {
			return err
		}
		if m.Status != db.MinutesSubmitted {
			return ErrNotSubmitted
		}
		if err := tx.SetMinutesStatus(id, db.MinutesSubmitted, db.MinutesValidated, by.ID); err != nil {
			return err
		}
		if m.Document != "" {
			n, err := tx.R().Node(g.Group.ID, m.Document)
			if err != nil || n.IsDir {
				return &access.FieldError{Field: "document", Err: errDocument}
			}
			if err := tx.KeepDocument(id, n.Blob, n.Size); err != nil {
				return err
			}
		}
		if m.Revises != 0 {
			old, err := tx.R().MinutesByID(g.Group.ID, m.Revises)
			if err != nil {
				return err
			}
			if err := tx.SetMinutesPerimeter(id, old.Perimeter, old.PublicToken); err != nil {
				return err
			}
			if err := tx.SetMinutesPerimeter(old.ID, string(access.PerimeterGroup), ""); err != nil {
				return err
			}
			if err := tx.SetMinutesStatus(old.ID, db.MinutesValidated, db.MinutesSuperseded, 0); err != nil {
				return err
			}
		}
		if err := s.actionsToTasks(tx, g.Group, m); err != nil {
			return err
		}
		return tx.Audit(audit(by, "minutes.validate", g.Group.Slug+" "+fmt.Sprint(id), m.Title))
	})
}

// actionsToTasks makes each action of m that is not a task yet one of the group's task list.
func (s *Service) actionsToTasks(tx *db.Tx, g db.Group, m db.Minutes) error {
	actions, err := tx.R().MinutesActions(m.ID)
	if err != nil {
		return err
	}
	coll, err := tx.R().Collection(g.ID, 0, db.KindCalendar, "taches")
	if err != nil {
		return err
	}
	z := calendar.CollectionZone(coll, s.zone)
	for _, a := range actions {
		if a.TaskUID != "" {
			continue
		}
		t := calendar.Todo{UID: newUID(), Summary: a.What, Status: calendar.TodoNeedsAction,
			Description: fmt.Sprintf("%s (%s)", m.Title, m.HeldOn.In(z.Loc).Format(time.DateOnly))}
		if !a.Due.IsZero() {
			t.Due = a.Due.In(z.Loc)
		}
		if a.Assignee != "" {
			p, err := tx.R().PersonByEmail(a.Assignee)
			if err != nil {
				return err
			}
			t.Assignee = calendar.Attendee{Email: p.Email, Name: p.Name}
		}
		now := db.Now()
		cal := calendar.NewTodoCalendar(t.UID, now)
		calendar.ApplyTodo(cal, t, z, now)
		data, err := calendar.Encode(cal)
		if err != nil {
			return err
		}
		if _, err := calendar.PutIn(tx, coll, t.UID+".ics", data, calendar.Edit{}); err != nil {
			return err
		}
		if err := tx.SetActionTask(a.ID, t.UID); err != nil {
			return err
		}
	}
	return nil
}

// Correct starts a correction of validated minutes: a new draft with their text and actions, which
// revises them once validated. A correction already under way is returned instead of a second one.
func (s *Service) Correct(ctx context.Context, by db.Person, g access.Grant, id int64) (db.Minutes, error) {
	if err := g.Allow(access.MinutesWrite, ""); err != nil {
		return db.Minutes{}, err
	}
	var c db.Minutes
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		m, err := s.minutesOf(tx.R(), g.Group, id)
		if err != nil {
			return err
		}
		if m.Status != db.MinutesValidated {
			return ErrNotValidated
		}
		if c, err = s.correction(tx.R(), g.Group, id); err != nil || c.ID != 0 {
			return err
		}
		actions, err := tx.R().MinutesActions(id)
		if err != nil {
			return err
		}
		c = db.Minutes{GroupID: g.Group.ID, PollID: m.PollID, EventUID: m.EventUID, Title: m.Title, HeldOn: m.HeldOn, Body: m.Body, Document: m.Document,
			Status: db.MinutesDraft, Revises: id, Perimeter: string(access.PerimeterGroup), CreatedBy: by.ID}
		if err := tx.CreateMinutes(&c); err != nil {
			return err
		}
		if err := tx.SetMinutesActions(c.ID, actions); err != nil {
			return err
		}
		return tx.Audit(audit(by, "minutes.correct", g.Group.Slug+" "+fmt.Sprint(id), fmt.Sprint("draft ", c.ID)))
	})
	return c, err
}

// correction is the draft or submitted text that corrects minutes id, zero when none.
func (s *Service) correction(r db.Read, g db.Group, id int64) (db.Minutes, error) {
	all, err := r.GroupMinutes(g.ID)
	for _, m := range all {
		if m.Revises == id && (m.Status == db.MinutesDraft || m.Status == db.MinutesSubmitted) {
			return m, err
		}
	}
	return db.Minutes{}, err
}

// Publish sets how far validated minutes reach; the public perimeter gives them a link (kept when
// they are published again, so links already given keep working).
func (s *Service) Publish(ctx context.Context, by db.Person, g access.Grant, id int64, perimeter access.Perimeter) (db.Minutes, error) {
	if err := g.Allow(access.MinutesValidate, ""); err != nil {
		return db.Minutes{}, err
	}
	ok := false
	for _, p := range access.Perimeters {
		ok = ok || p == perimeter
	}
	if !ok {
		return db.Minutes{}, &access.FieldError{Field: "perimeter", Err: errPerimeter}
	}
	var m db.Minutes
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		if m, err = s.minutesOf(tx.R(), g.Group, id); err != nil {
			return err
		}
		if m.Status != db.MinutesValidated {
			return ErrNotValidated
		}
		token := m.PublicToken
		if perimeter == access.PerimeterPublic && token == "" {
			token = newToken()
		}
		if perimeter != access.PerimeterPublic {
			token = ""
		}
		if err := tx.SetMinutesPerimeter(id, string(perimeter), token); err != nil {
			return err
		}
		m.Perimeter, m.PublicToken = string(perimeter), token
		return tx.Audit(audit(by, "minutes.publish", g.Group.Slug+" "+fmt.Sprint(id), string(perimeter)))
	})
	return m, err
}

// Minutes lists the minutes of the group of g, newest meeting first.
func (s *Service) Minutes(ctx context.Context, g access.Grant) ([]db.Minutes, error) {
	if err := g.Allow(access.MinutesRead, ""); err != nil {
		return nil, err
	}
	return s.db.R(ctx).GroupMinutes(g.Group.ID)
}

// MinutesOfPoll lists the minutes of the meeting a poll of the group of g fixed.
func (s *Service) MinutesOfPoll(ctx context.Context, g access.Grant, pollID int64) ([]db.Minutes, error) {
	if err := g.Allow(access.MinutesRead, ""); err != nil {
		return nil, err
	}
	if _, err := s.db.R(ctx).PollByID(g.Group.ID, pollID); err != nil {
		return nil, access.ErrNoAccess
	}
	return s.db.R(ctx).MinutesOfPoll(pollID)
}

// ViewMinutes reads minutes of the group of g, drafts included.
func (s *Service) ViewMinutes(ctx context.Context, g access.Grant, id int64) (MinutesView, error) {
	if err := g.Allow(access.MinutesRead, ""); err != nil {
		return MinutesView{}, err
	}
	r := s.db.R(ctx)
	m, err := s.minutesOf(r, g.Group, id)
	if err != nil {
		return MinutesView{}, err
	}
	return s.minutesView(r, g.Group, m)
}

func (s *Service) minutesView(r db.Read, g db.Group, m db.Minutes) (MinutesView, error) {
	v := MinutesView{Minutes: m, Group: g, People: map[int64]db.Person{}}
	var err error
	if v.Actions, err = r.MinutesActions(m.ID); err != nil {
		return v, err
	}
	for _, id := range []int64{m.CreatedBy, m.SubmittedBy, m.ValidatedBy} {
		if id == 0 {
			continue
		}
		if p, err := r.PersonByID(id); err == nil {
			v.People[id] = p
		} else if !errors.Is(err, db.ErrNotFound) {
			return v, err
		}
	}
	if m.Status == db.MinutesValidated {
		c, err := s.correction(r, g, m.ID)
		if err != nil {
			return v, err
		}
		v.Corrected = c.ID
	}
	return v, nil
}

// ReadPublished reads validated minutes from outside their group: ErrNoAccess unless access lets
// p read what the group publishes at their perimeter.
func (s *Service) ReadPublished(ctx context.Context, p db.Person, id int64) (MinutesView, error) {
	r := s.db.R(ctx)
	m, err := r.MinutesAnywhere(id)
	if errors.Is(err, db.ErrNotFound) || err == nil && m.Status != db.MinutesValidated {
		return MinutesView{}, access.ErrNoAccess
	} else if err != nil {
		return MinutesView{}, err
	}
	g, err := r.GroupByID(m.GroupID)
	if err != nil {
		return MinutesView{}, err
	}
	if err := s.access.AllowPublished(ctx, p, g.Slug, access.Perimeter(m.Perimeter)); err != nil {
		return MinutesView{}, err
	}
	return s.minutesView(r, g, m)
}

// Published lists the validated minutes of other groups that p reads, newest first.
func (s *Service) Published(ctx context.Context, p db.Person) ([]MinutesView, error) {
	r := s.db.R(ctx)
	all, err := r.PublishedMinutes()
	if err != nil {
		return nil, err
	}
	var out []MinutesView
	for _, m := range all {
		g, err := r.GroupByID(m.GroupID)
		if err != nil {
			return nil, err
		}
		if s.access.AllowPublished(ctx, p, g.Slug, access.Perimeter(m.Perimeter)) == nil {
			out = append(out, MinutesView{Minutes: m, Group: g})
		}
	}
	return out, nil
}

// ByToken reads the minutes of a public link; ErrNoAccess once they are no longer public.
func (s *Service) ByToken(ctx context.Context, token string) (MinutesView, error) {
	r := s.db.R(ctx)
	m, err := r.MinutesByToken(token)
	if errors.Is(err, db.ErrNotFound) || err == nil && (m.Status != db.MinutesValidated || m.Perimeter != string(access.PerimeterPublic)) {
		return MinutesView{}, access.ErrNoAccess
	} else if err != nil {
		return MinutesView{}, err
	}
	g, err := r.GroupByID(m.GroupID)
	if err != nil {
		return MinutesView{}, err
	}
	return s.minutesView(r, g, m)
}

// AwaitingValidation lists the submitted minutes p may validate, for their home page.
func (s *Service) AwaitingValidation(ctx context.Context, p db.Person) ([]MinutesView, error) {
	grants, err := s.access.Groups(ctx, p)
	if err != nil {
		return nil, err
	}
	var ids []int64
	groups := map[int64]db.Group{}
	for _, g := range grants {
		if g.Allows(access.MinutesValidate, "") {
			ids = append(ids, g.Group.ID)
			groups[g.Group.ID] = g.Group
		}
	}
	all, err := s.db.R(ctx).SubmittedMinutes(ids)
	out := make([]MinutesView, len(all))
	for i, m := range all {
		out[i] = MinutesView{Minutes: m, Group: groups[m.GroupID]}
	}
	return out, err
}

// Document opens the document of minutes as its view may read it: the content validated, kept
// whatever became of the file since, or the file as it is now while the minutes are a draft. The
// caller had the view from a decision of access (ViewMinutes, ReadPublished, ByToken).
func (s *Service) Document(ctx context.Context, v MinutesView) (name string, size int64, rd io.ReadCloser, err error) {
	m := v.Minutes
	switch {
	case m.Document == "":
		return "", 0, nil, access.ErrNoAccess
	case m.DocBlob != "":
		rd, err = s.files.Open(ctx, db.Node{Blob: m.DocBlob, Size: m.DocSize})
		return path.Base(m.Document), m.DocSize, rd, err
	}
	n, r, err := s.files.StatOpen(ctx, v.Group.ID, m.Document)
	if errors.Is(err, files.ErrNotFound) || err == nil && r == nil {
		return "", 0, nil, access.ErrNoAccess
	}
	return path.Base(m.Document), n.Size, r, err
}

// minutesPath is the address of minutes on their group's pages.
func minutesPath(slug string, id int64) string {
	return fmt.Sprintf("/groups/%s/minutes/%d", url.PathEscape(slug), id)
}

// newToken is a public link's token: 128 random bits, URL-safe.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
