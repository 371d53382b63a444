package ui

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar"
	"parvis/meeting"
	"parvis/storage/db"
)

// A group's date polls: the list, the form that opens one, the table of answers where each person
// answers and an animator closes the poll on a date. The same table answers a mailed link, signed
// out (pollLinkPage). Decisions and writes are the meeting service's.

// slotRows is how many date rows an empty form offers; the page's script adds more.
const slotRows = 5

// responses are the form's values of the three answers, and back.
var responses = map[string]int{"yes": db.ResponseYes, "maybe": db.ResponseIfNeedBe, "no": db.ResponseNo}

func responseName(r int) string {
	for k, v := range responses {
		if v == r {
			return k
		}
	}
	return ""
}

// pollsPage lists a group's polls, open ones first.
func (h *handler) pollsPage(c *fiber.Ctx) error {
	p, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	polls, err := h.Meetings.Polls(c.UserContext(), g)
	if err != nil {
		return err
	}
	lang := pageLanguage(c)
	type row struct {
		ID              int64
		Title, Deadline string
		Open            bool
	}
	rows := make([]row, len(polls))
	for i, poll := range polls {
		rows[i] = row{ID: poll.ID, Title: poll.Title, Open: poll.Open(time.Now()), Deadline: dayText(lang, poll.Deadline.Add(-time.Second))}
	}
	minutes, err := h.Meetings.Minutes(c.UserContext(), g)
	if err != nil {
		return err
	}
	mrows := make([]map[string]string, len(minutes))
	for i, m := range minutes {
		mrows[i] = map[string]string{"Href": minutesPage(g.Group.Slug, m.ID), "Title": m.Title, "Day": dayText(lang, m.HeldOn),
			"Status": "minutes.status." + m.Status}
	}
	return h.render(c, fiber.StatusOK, "polls.html", page{Title: "polls.title", Person: p,
		Data: map[string]any{"Group": g.Group, "Tab": "polls", "Polls": rows, "CanOpen": g.Allows(access.PollsWrite, ""),
			"Minutes": mrows, "CanWrite": g.Allows(access.MinutesWrite, "")}})
}

// pollNew shows the form that opens a poll: empty date rows, the deadline a week away.
func (h *handler) pollNew(c *fiber.Ctx) error {
	p, g, err := h.groupPageFor(c, access.PollsWrite)
	if err != nil {
		return err
	}
	form := map[string]string{"deadline": time.Now().AddDate(0, 0, 7).Format(dateLayout), "kind": calendar.KindCollectif}
	return h.renderPollForm(c, fiber.StatusOK, p, g, form, nil, make([]slotForm, slotRows))
}

// slotForm is one date row of the form, as typed.
type slotForm struct{ Date, Start, End, Place string }

func (h *handler) renderPollForm(c *fiber.Ctx, status int, p db.Person, g access.Grant, form, errs map[string]string, slots []slotForm) error {
	kinds := []choice{}
	for _, k := range calendar.EventKinds {
		kinds = append(kinds, choice{Value: k, Label: "event.kind." + strings.ToLower(k)})
	}
	zone, err := h.agendaZone(c, g.Group)
	if err != nil {
		return err
	}
	return h.render(c, status, "poll_form.html", page{Title: "polls.new", Person: p, Form: form, Errors: errs,
		Data: map[string]any{"Group": g.Group, "Tab": "polls", "Kinds": kinds, "Slots": slots, "TZ": zone.Loc.String()}})
}

// agendaZone is the zone of the group's agenda, in which poll dates are typed and shown.
func (h *handler) agendaZone(c *fiber.Ctx, g db.Group) (calendar.Zone, error) {
	coll, err := calendar.Collection(c.UserContext(), h.DB, g.ID, 0, db.KindCalendar, collAgenda)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return calendar.Zone{}, err
	}
	return calendar.CollectionZone(coll, h.Zone), nil
}

// pollCreate opens a poll from the form; mistakes come back next to their field.
func (h *handler) pollCreate(c *fiber.Ctx) error {
	p, g, err := h.groupPageFor(c, access.PollsWrite)
	if err != nil {
		return err
	}
	zone, err := h.agendaZone(c, g.Group)
	if err != nil {
		return err
	}
	form := map[string]string{}
	for _, k := range []string{"title", "kind", "location", "visio", "description", "deadline"} {
		form[k] = strings.TrimSpace(c.FormValue(k))
	}
	pr, slots, errs := readPollForm(c, form, zone.Loc)
	if len(errs) == 0 {
		var poll db.Poll
		poll, err = h.Meetings.Open(c.UserContext(), p, g, pr)
		var fe *access.FieldError
		switch {
		case errors.As(err, &fe):
			errs = map[string]string{fe.Field: "polls.error." + fe.Field}
		case err != nil:
			return err
		default:
			return c.Redirect(pollPath(g.Group.Slug, poll.ID), fiber.StatusSeeOther)
		}
	}
	for len(slots) < slotRows {
		slots = append(slots, slotForm{})
	}
	return h.renderPollForm(c, fiber.StatusUnprocessableEntity, p, g, form, errs, slots)
}

// readPollForm reads the proposal: the dates typed (empty rows skipped), times in the agenda's zone,
// the deadline's day included.
func readPollForm(c *fiber.Ctx, form map[string]string, loc *time.Location) (meeting.Proposal, []slotForm, map[string]string) {
	errs := map[string]string{}
	pr := meeting.Proposal{Title: form["title"], Kind: form["kind"], Location: form["location"], Visio: form["visio"],
		Description: strings.ReplaceAll(c.FormValue("description"), "\r\n", "\n")}
	if !slices.Contains(calendar.EventKinds, pr.Kind) {
		pr.Kind = calendar.KindOther
	}
	if d, err := time.ParseInLocation(dateLayout, form["deadline"], loc); err == nil {
		pr.Deadline = d.AddDate(0, 0, 1)
	} else {
		errs["deadline"] = "polls.error.deadline"
	}
	values := func(k string) []string { return formValues(c, k) }
	dates, starts, ends, places := values("slot_date"), values("slot_start"), values("slot_end"), values("slot_place")
	var typed []slotForm
	for i, d := range dates {
		f := slotForm{Date: d, Start: at(starts, i), End: at(ends, i), Place: at(places, i)}
		if f == (slotForm{}) {
			continue
		}
		typed = append(typed, f)
		start, err1 := time.ParseInLocation(dateLayout+" "+timeLayout, f.Date+" "+f.Start, loc)
		end, err2 := time.ParseInLocation(dateLayout+" "+timeLayout, f.Date+" "+f.End, loc)
		if err1 != nil || err2 != nil || !end.After(start) {
			errs["slots"] = "polls.error.slot"
			continue
		}
		pr.Slots = append(pr.Slots, db.Slot{Start: start, End: end, Place: f.Place})
	}
	if len(typed) == 0 {
		errs["slots"] = "polls.error.slots"
	}
	return pr, typed, errs
}

// formValues are the values of a repeated form field (a table's column), trimmed, in order.
func formValues(c *fiber.Ctx, key string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(key) {
		out = append(out, strings.TrimSpace(string(v)))
	}
	return out
}

// at is s[i], or "" past its end.
func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// pollPage shows a poll: its dates, everyone's answers, the person's own to change, and for
// animators the means to close it on a date.
func (h *handler) pollPage(c *fiber.Ctx) error {
	p, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	return h.renderPoll(c, fiber.StatusOK, p, g, nil)
}

func (h *handler) renderPoll(c *fiber.Ctx, status int, p db.Person, g access.Grant, errs map[string]string) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	v, err := h.Meetings.View(c.UserContext(), g, id)
	if err != nil {
		return err
	}
	data := h.pollData(c, v, p.ID, g.Allows(access.PollsAnswer, ""))
	data["Group"], data["Tab"] = g.Group, "polls"
	data["Action"] = pollPath(g.Group.Slug, id) + "/answer"
	data["CanClose"] = g.Allows(access.PollsWrite, "") && v.Poll.ClosedAt.IsZero()
	data["CloseAction"] = pollPath(g.Group.Slug, id) + "/close"
	if v.Poll.EventUID != "" {
		data["Event"] = "/groups/" + url.PathEscape(g.Group.Slug) + "/agenda/" + url.PathEscape(v.Poll.EventUID)
		minutes, err := h.Meetings.MinutesOfPoll(c.UserContext(), g, id)
		if err != nil {
			return err
		}
		var links []map[string]string
		for _, m := range minutes {
			links = append(links, map[string]string{"Href": minutesPage(g.Group.Slug, m.ID), "Status": "minutes.status." + m.Status})
		}
		data["MinutesLinks"] = links
		if len(minutes) == 0 && g.Allows(access.MinutesWrite, "") {
			data["NewMinutes"] = "/groups/" + url.PathEscape(g.Group.Slug) + "/minutes/new?poll=" + fmt.Sprint(id)
		}
	}
	return h.render(c, status, "poll.html", page{Title: "polls.poll", Person: p, Errors: errs, Data: data})
}

// slotView is a column of the table of answers.
type slotView struct {
	ID                int64
	Day, Hours, Place string
	Yes, Maybe        int
	Best, Chosen      bool
	Mine              string // the person's answer: yes, maybe, no, "" for none
}

// voterRow is a line of the table: a person and their answer to each date.
type voterRow struct {
	Name    string
	Me      bool
	Answers []string // yes, maybe, no or "" per slot
}

// pollData is what the table of a poll shows, for person me (0 for nobody).
func (h *handler) pollData(c *fiber.Ctx, v meeting.View, me int64, mayAnswer bool) map[string]any {
	lang := pageLanguage(c)
	slots := make([]slotView, len(v.Slots))
	best := 0
	for i, sl := range v.Slots {
		start, end := sl.Start.In(v.Zone.Loc), sl.End.In(v.Zone.Loc)
		yes, maybe := v.Tally(sl.ID)
		slots[i] = slotView{ID: sl.ID, Day: dayText(lang, start), Hours: start.Format("15:04") + "–" + end.Format("15:04"),
			Place: sl.Place, Yes: yes, Maybe: maybe, Chosen: sl.ID == v.Poll.ChosenSlot}
		if r, ok := v.Answers[me][sl.ID]; ok {
			slots[i].Mine = responseName(r)
		}
		best = max(best, 2*yes+maybe)
	}
	for i := range slots {
		slots[i].Best = best > 0 && 2*slots[i].Yes+slots[i].Maybe == best
	}
	var rows []voterRow
	answered := 0
	for _, voter := range v.Voters {
		if voter.AnsweredAt.IsZero() {
			continue
		}
		answered++
		r := voterRow{Name: voter.Name, Me: voter.PersonID == me}
		if r.Name == "" {
			r.Name = voter.Email
		}
		for _, sl := range v.Slots {
			a := ""
			if resp, ok := v.Answers[voter.PersonID][sl.ID]; ok {
				a = responseName(resp)
			}
			r.Answers = append(r.Answers, a)
		}
		rows = append(rows, r)
	}
	open := v.Poll.Open(time.Now())
	done := ""
	if c.Query("done") == "answered" {
		done = "polls.done.answered"
	}
	return map[string]any{"Poll": v.Poll, "Slots": slots, "Rows": rows, "Open": open, "MayAnswer": open && mayAnswer,
		"Choices": []string{"yes", "maybe", "no"}, "Done": done,
		"Asked": len(v.Voters), "Answered": answered, "Deadline": dayText(lang, v.Poll.Deadline.Add(-time.Second)),
		"Closed": !v.Poll.ClosedAt.IsZero()}
}

// readAnswers reads the answer form: a-<slot id> = yes, maybe or no.
func readAnswers(c *fiber.Ctx) map[int64]int {
	out := map[int64]int{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		id, ok := strings.CutPrefix(string(k), "a-")
		if !ok {
			return
		}
		slot, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return
		}
		if r, ok := responses[string(v)]; ok {
			out[slot] = r
		} else {
			out[slot] = -1 // refused by the service, with its message
		}
	})
	return out
}

// pollOfPage is the signed-in person, their standing in the URL's group and the URL's poll id.
func (h *handler) pollOfPage(c *fiber.Ctx) (db.Person, access.Grant, int64, error) {
	p, g, err := h.groupPage(c)
	if err != nil {
		return p, g, 0, err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return p, g, 0, fiber.ErrNotFound
	}
	return p, g, id, nil
}

// pollAnswer records the person's answers.
func (h *handler) pollAnswer(c *fiber.Ctx) error {
	p, g, id, err := h.pollOfPage(c)
	if err != nil {
		return err
	}
	switch err := h.Meetings.Answer(c.UserContext(), p, g, id, readAnswers(c)); {
	case errors.Is(err, meeting.ErrClosed):
		return h.renderPoll(c, fiber.StatusConflict, p, g, map[string]string{"form": "polls.closed"})
	case errors.Is(err, access.ErrInvalid):
		return h.renderPoll(c, fiber.StatusUnprocessableEntity, p, g, map[string]string{"form": "polls.error.answer"})
	case err != nil:
		return err
	}
	return c.Redirect(pollPath(g.Group.Slug, id)+"?done=answered", fiber.StatusSeeOther)
}

// pollClose closes the poll on the chosen date (slot), or without one (slot 0), then shows the
// event in the agenda.
func (h *handler) pollClose(c *fiber.Ctx) error {
	p, g, id, err := h.pollOfPage(c)
	if err != nil {
		return err
	}
	slot, _ := strconv.ParseInt(c.FormValue("slot"), 10, 64)
	poll, err := h.Meetings.Close(c.UserContext(), p, g, id, slot)
	switch {
	case errors.Is(err, access.ErrForbidden):
		return h.renderPoll(c, fiber.StatusForbidden, p, g, map[string]string{"form": "polls.error.close.forbidden"})
	case errors.Is(err, meeting.ErrClosed):
		return h.renderPoll(c, fiber.StatusConflict, p, g, map[string]string{"form": "polls.closed"})
	case errors.Is(err, access.ErrInvalid):
		return h.renderPoll(c, fiber.StatusUnprocessableEntity, p, g, map[string]string{"form": "polls.error.slot"})
	case err != nil:
		return err
	}
	if poll.EventUID != "" {
		return c.Redirect("/groups/"+url.PathEscape(g.Group.Slug)+"/agenda/"+url.PathEscape(poll.EventUID), fiber.StatusSeeOther)
	}
	return c.Redirect(pollPath(g.Group.Slug, id), fiber.StatusSeeOther)
}

// awaitingPolls are the open polls waiting for p's answer, for the home page.
func (h *handler) awaitingPolls(c *fiber.Ctx, p db.Person) ([]map[string]string, error) {
	waiting, err := h.Meetings.Awaiting(c.UserContext(), p)
	if err != nil {
		return nil, err
	}
	lang := pageLanguage(c)
	out := make([]map[string]string, len(waiting))
	for i, w := range waiting {
		out[i] = map[string]string{"Href": pollPath(w.Group.Slug, w.Poll.ID), "Title": w.Poll.Title, "Group": w.Group.Name,
			"Until": dayText(lang, w.Poll.Deadline.Add(-time.Second))}
	}
	return out, nil
}

// pollPath is the address of a poll's page.
func pollPath(slug string, id int64) string {
	return fmt.Sprintf("/groups/%s/polls/%d", url.PathEscape(slug), id)
}

// pollLinkPage answers a mailed link, signed out: the same table, the link's person answering.
func (h *handler) pollLinkPage(c *fiber.Ctx) error {
	l, err := h.Meetings.ByLink(c.UserContext(), c.Params("token"))
	if err != nil {
		return h.pollLinkInvalid(c, err)
	}
	return h.renderPollLink(c, fiber.StatusOK, l, nil)
}

func (h *handler) renderPollLink(c *fiber.Ctx, status int, l meeting.Link, errs map[string]string) error {
	c.Set("Referrer-Policy", "no-referrer") // the link is the person's key to their answers
	data := h.pollData(c, l.View, l.Person.ID, true)
	who := l.Person.Email
	if l.Person.Name != "" {
		who = l.Person.Name + " (" + l.Person.Email + ")" // the address too: a forwarded mail answers for its first reader
	}
	data["Action"], data["Visitor"], data["Who"] = "/poll/"+c.Params("token"), true, who
	data["GroupName"] = l.Group.Name
	return h.render(c, status, "poll.html", page{Title: "polls.poll", Errors: errs, Data: data})
}

// pollLinkAnswer records answers given through a mailed link.
func (h *handler) pollLinkAnswer(c *fiber.Ctx) error {
	l, err := h.Meetings.AnswerByLink(c.UserContext(), c.Params("token"), readAnswers(c))
	switch {
	case errors.Is(err, meeting.ErrClosed):
		return h.renderPollLink(c, fiber.StatusConflict, l, map[string]string{"form": "polls.closed"})
	case errors.Is(err, access.ErrInvalid):
		return h.renderPollLink(c, fiber.StatusUnprocessableEntity, l, map[string]string{"form": "polls.error.answer"})
	case err != nil:
		return h.pollLinkInvalid(c, err)
	}
	return c.Redirect("/poll/"+c.Params("token")+"?done=answered", fiber.StatusSeeOther)
}

// pollLinkInvalid is the page of a link that opens nothing (unknown, or its person left).
func (h *handler) pollLinkInvalid(c *fiber.Ctx, err error) error {
	if !errors.Is(err, access.ErrNoAccess) {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusNotFound, "error.html", page{Title: "polls.link.invalid"})
}
