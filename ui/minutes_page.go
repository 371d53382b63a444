package ui

import (
	"errors"
	"fmt"
	"mime"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/files"
	"parvis/meeting"
	"parvis/storage/db"
)

// The minutes of a group's meetings: written in the page (Markdown, with a preview), submitted,
// validated by an animator, corrected by a new draft, published as far as the animators decide.
// Readers outside the group find what is published to them under /minutes, and anyone the public
// ones under /m/TOKEN. Decisions and writes are the meeting service's.

// actionRows is how many empty action rows the form adds to those written.
const actionRows = 3

// minutesDone are the confirmations a step's redirect may ask for, by a fixed list so that a
// crafted link cannot put arbitrary text on the page.
var minutesDone = map[string]string{"submitted": "minutes.done.submitted", "validated": "minutes.done.validated",
	"published": "minutes.done.published"}

// minutesNew shows the form of new minutes, started from the template (and the meeting they are
// of: a poll's, or an event's with its attendance).
func (h *handler) minutesNew(c *fiber.Ctx) error {
	p, g, err := h.groupPageFor(c, access.MinutesWrite)
	if err != nil {
		return err
	}
	of := minutesOf(c.Query("poll"), c.Query("event"))
	var d meeting.Draft
	var errs map[string]string
	if key := c.Query("template"); key != "" {
		d, err = h.Meetings.TemplateFromFile(c.UserContext(), p, g, key, of, pageLanguage(c))
		if errors.Is(err, access.ErrInvalid) {
			errs, err = map[string]string{"template": "minutes.error.template"}, nil
		}
	}
	if err == nil && errs == nil && c.Query("template") == "" || errs != nil {
		d, err = h.Meetings.Template(c.UserContext(), g, of, pageLanguage(c))
	}
	if err != nil {
		return err
	}
	zone, err := h.agendaZone(c, g.Group)
	if err != nil {
		return err
	}
	form := map[string]string{"title": d.Title, "body": d.Body, "held_on": d.HeldOn.In(zone.Loc).Format(dateLayout),
		"poll": fmt.Sprint(of.Poll), "event": of.Event, "template": c.Query("template")}
	return h.renderMinutesForm(c, fiber.StatusOK, p, g, 0, form, errs, nil, "")
}

// minutesOf reads the meeting new minutes are of, as the form carries it.
func minutesOf(poll, event string) meeting.Of {
	id, _ := strconv.ParseInt(poll, 10, 64)
	return meeting.Of{Poll: id, Event: event}
}

// actionForm is one row of the actions table, as typed.
type actionForm struct{ What, Who, Due string }

func (h *handler) renderMinutesForm(c *fiber.Ctx, status int, p db.Person, g access.Grant, id int64, form, errs map[string]string,
	actions []actionForm, preview string) error {
	people, err := h.Access.ActiveMembers(c.UserContext(), g.Group)
	if err != nil {
		return err
	}
	for range actionRows {
		actions = append(actions, actionForm{})
	}
	action := "/groups/" + url.PathEscape(g.Group.Slug) + "/minutes"
	if id != 0 {
		action += "/" + fmt.Sprint(id)
	}
	data := map[string]any{"Group": g.Group, "Tab": "polls", "Action": action, "People": people, "Actions": actions}
	if id == 0 {
		templates, err := h.Meetings.TemplateFiles(c.UserContext(), p, g)
		if err != nil {
			return err
		}
		data["Templates"] = templates
	}
	if preview != "" {
		data["Preview"] = markdownHTML(preview)
	}
	return h.render(c, status, "minutes_form.html", page{Title: "minutes.edit", Person: p, Form: form, Errors: errs, Data: data})
}

// readMinutesForm reads the text and the actions; the day is in the agenda's zone.
func (h *handler) readMinutesForm(c *fiber.Ctx, g access.Grant) (meeting.Draft, map[string]string, []actionForm, map[string]string, error) {
	zone, err := h.agendaZone(c, g.Group)
	if err != nil {
		return meeting.Draft{}, nil, nil, nil, err
	}
	form := map[string]string{"title": strings.TrimSpace(c.FormValue("title")), "held_on": c.FormValue("held_on"),
		"body": strings.ReplaceAll(c.FormValue("body"), "\r\n", "\n"), "poll": c.FormValue("poll"), "event": c.FormValue("event"), "document": strings.TrimSpace(c.FormValue("document"))}
	errs := map[string]string{}
	d := meeting.Draft{Title: form["title"], Body: form["body"], Document: form["document"]}
	if d.HeldOn, err = time.ParseInLocation(dateLayout, form["held_on"], zone.Loc); err != nil {
		errs["held_on"] = "minutes.error.held_on"
	}
	values := func(k string) []string { return formValues(c, k) }
	whats, whos, dues := values("action_what"), values("action_who"), values("action_due")
	var typed []actionForm
	for i, what := range whats {
		f := actionForm{What: what, Who: at(whos, i), Due: at(dues, i)}
		if f.What == "" && f.Who == "" && f.Due == "" {
			continue
		}
		typed = append(typed, f)
		a := db.MinutesAction{What: f.What, Assignee: f.Who}
		if f.Due != "" {
			if a.Due, err = time.ParseInLocation(dateLayout, f.Due, zone.Loc); err != nil {
				errs["actions"] = "minutes.error.actions"
			}
		}
		d.Actions = append(d.Actions, a)
	}
	return d, form, typed, errs, nil
}

// minutesSave creates minutes (POST …/minutes) or changes a draft (POST …/minutes/ID); the preview
// button shows the rendered text without saving.
func (h *handler) minutesSave(c *fiber.Ctx) error {
	p, g, err := h.groupPageFor(c, access.MinutesWrite)
	if err != nil {
		return err
	}
	var id int64
	if c.Params("id") != "" {
		if id, err = strconv.ParseInt(c.Params("id"), 10, 64); err != nil {
			return fiber.ErrNotFound
		}
	}
	d, form, actions, errs, err := h.readMinutesForm(c, g)
	if err != nil {
		return err
	}
	if c.FormValue("preview") != "" || len(errs) > 0 {
		status := fiber.StatusOK
		if len(errs) > 0 {
			status = fiber.StatusUnprocessableEntity
		}
		return h.renderMinutesForm(c, status, p, g, id, form, errs, actions, d.Body)
	}
	if id == 0 {
		var m db.Minutes
		if m, err = h.Meetings.StartMinutes(c.UserContext(), p, g, minutesOf(form["poll"], form["event"]), d); err == nil {
			id = m.ID
		}
	} else {
		err = h.Meetings.SaveMinutes(c.UserContext(), p, g, id, d)
	}
	var fe *access.FieldError
	switch {
	case errors.As(err, &fe):
		return h.renderMinutesForm(c, fiber.StatusUnprocessableEntity, p, g, id, form, map[string]string{fe.Field: "minutes.error." + fe.Field}, actions, "")
	case errors.Is(err, meeting.ErrValidated):
		return h.renderMinutesForm(c, fiber.StatusConflict, p, g, id, form, map[string]string{"form": "minutes.validated.locked"}, actions, "")
	case err != nil:
		return err
	}
	return c.Redirect(minutesPage(g.Group.Slug, id), fiber.StatusSeeOther)
}

// minutesEdit shows the form of minutes not yet validated.
func (h *handler) minutesEdit(c *fiber.Ctx) error {
	p, g, err := h.groupPageFor(c, access.MinutesWrite)
	if err != nil {
		return err
	}
	v, err := h.minutesOfURL(c, g)
	if err != nil {
		return err
	}
	if v.Minutes.Status == db.MinutesValidated || v.Minutes.Status == db.MinutesSuperseded {
		return h.renderMinutes(c, fiber.StatusConflict, p, g, v, "minutes.validated.locked")
	}
	zone, err := h.agendaZone(c, g.Group)
	if err != nil {
		return err
	}
	form := map[string]string{"title": v.Minutes.Title, "body": v.Minutes.Body, "held_on": v.Minutes.HeldOn.In(zone.Loc).Format(dateLayout),
		"document": v.Minutes.Document}
	var actions []actionForm
	for _, a := range v.Actions {
		f := actionForm{What: a.What, Who: a.Assignee}
		if !a.Due.IsZero() {
			f.Due = a.Due.In(zone.Loc).Format(dateLayout)
		}
		actions = append(actions, f)
	}
	return h.renderMinutesForm(c, fiber.StatusOK, p, g, v.Minutes.ID, form, nil, actions, "")
}

// minutesOfURL reads the minutes of the URL's id in the group of g.
func (h *handler) minutesOfURL(c *fiber.Ctx, g access.Grant) (meeting.MinutesView, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return meeting.MinutesView{}, fiber.ErrNotFound
	}
	return h.Meetings.ViewMinutes(c.UserContext(), g, id)
}

// minutesView shows minutes to the group's people, with what each may do next.
func (h *handler) minutesView(c *fiber.Ctx) error {
	p, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	v, err := h.minutesOfURL(c, g)
	if err != nil {
		return err
	}
	return h.renderMinutes(c, fiber.StatusOK, p, g, v, "")
}

func (h *handler) renderMinutes(c *fiber.Ctx, status int, p db.Person, g access.Grant, v meeting.MinutesView, problem string) error {
	data, err := h.minutesData(c, v)
	if err != nil {
		return err
	}
	m := v.Minutes
	base := minutesPage(g.Group.Slug, m.ID)
	open := m.Status == db.MinutesDraft || m.Status == db.MinutesSubmitted
	data["Group"], data["Tab"], data["Base"] = g.Group, "polls", base
	if m.Document != "" {
		data["DocumentLink"] = base + "/document"
	}
	data["CanEdit"] = open && g.Allows(access.MinutesWrite, "")
	data["CanSubmit"] = m.Status == db.MinutesDraft && g.Allows(access.MinutesWrite, "")
	data["CanValidate"] = m.Status == db.MinutesSubmitted && g.Allows(access.MinutesValidate, "")
	data["CanCorrect"] = m.Status == db.MinutesValidated && g.Allows(access.MinutesWrite, "")
	data["CanPublish"] = m.Status == db.MinutesValidated && g.Allows(access.MinutesValidate, "")
	if m.PublicToken != "" {
		data["PublicLink"] = h.PublicURL + "/m/" + m.PublicToken
	}
	if v.Corrected != 0 {
		data["Correction"] = minutesPage(g.Group.Slug, v.Corrected)
	}
	if m.Revises != 0 {
		data["Revises"] = minutesPage(g.Group.Slug, m.Revises)
	}
	if problem != "" {
		data["Problem"] = problem
	}
	return h.render(c, status, "minutes.html", page{Title: "minutes.title", Person: p, Data: data})
}

// minutesData is what every view of minutes shows: the text, who did what and when, the actions.
func (h *handler) minutesData(c *fiber.Ctx, v meeting.MinutesView) (map[string]any, error) {
	lang := pageLanguage(c)
	zone, err := h.agendaZone(c, v.Group)
	if err != nil {
		return nil, err
	}
	m := v.Minutes
	type actionLine struct{ What, Who, Due, Task string }
	var actions []actionLine
	for _, a := range v.Actions {
		l := actionLine{What: a.What, Who: a.Assignee}
		if !a.Due.IsZero() {
			l.Due = dayText(lang, a.Due.In(zone.Loc))
		}
		if a.TaskUID != "" {
			l.Task = "/groups/" + url.PathEscape(v.Group.Slug) + "/tasks/" + url.PathEscape(a.TaskUID) + "/edit"
		}
		actions = append(actions, l)
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		t = t.In(zone.Loc)
		return dayText(lang, t) + " " + t.Format("15:04")
	}
	return map[string]any{"Minutes": m, "HTML": markdownHTML(m.Body), "Status": "minutes.status." + m.Status,
		"HeldOn": dayText(lang, m.HeldOn.In(zone.Loc)), "Author": v.Name(m.CreatedBy), "Submitter": v.Name(m.SubmittedBy), "Submitted": when(m.SubmittedAt),
		"Validator": v.Name(m.ValidatedBy), "Validated": when(m.ValidatedAt), "Actions": actions, "GroupName": v.Group.Name,
		"Perimeters": access.Perimeters, "Done": minutesDone[c.Query("done")], "DocumentName": path.Base(m.Document)}, nil
}

// minutesStep runs one step of the minutes' life from its button: submit, validate, correct, publish.
func (h *handler) minutesStep(c *fiber.Ctx) error {
	p, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	ctx, target, done := c.UserContext(), id, ""
	switch c.Params("step") {
	case "submit":
		err, done = h.Meetings.Submit(ctx, p, g, id), "submitted"
	case "validate":
		err, done = h.Meetings.Validate(ctx, p, g, id), "validated"
	case "correct":
		var m db.Minutes
		m, err = h.Meetings.Correct(ctx, p, g, id)
		target = m.ID
	case "publish":
		_, err = h.Meetings.Publish(ctx, p, g, id, access.Perimeter(c.FormValue("perimeter")))
		done = "published"
	default:
		return fiber.ErrNotFound
	}
	problems := []struct {
		err    error
		status int
		key    string
	}{
		{meeting.ErrValidated, fiber.StatusConflict, "minutes.validated.locked"},
		{meeting.ErrNotSubmitted, fiber.StatusConflict, "minutes.error.notsubmitted"},
		{meeting.ErrNotValidated, fiber.StatusConflict, "minutes.error.notvalidated"},
		{access.ErrForbidden, fiber.StatusForbidden, "minutes.error.forbidden." + c.Params("step")},
	}
	for _, pb := range problems {
		if errors.Is(err, pb.err) {
			v, verr := h.Meetings.ViewMinutes(ctx, g, id)
			if verr != nil {
				return verr
			}
			return h.renderMinutes(c, pb.status, p, g, v, pb.key)
		}
	}
	if errors.Is(err, access.ErrInvalid) {
		return fiber.ErrBadRequest
	} else if err != nil {
		return err
	}
	to := minutesPage(g.Group.Slug, target)
	if done != "" {
		to += "?done=" + done
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// minutesPage is the address of minutes on their group's pages.
func minutesPage(slug string, id int64) string {
	return fmt.Sprintf("/groups/%s/minutes/%d", url.PathEscape(slug), id)
}

// publishedMinutes lists the minutes other groups publish to the person.
func (h *handler) publishedMinutes(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return errSignedOut
	}
	list, err := h.Meetings.Published(c.UserContext(), p)
	if err != nil {
		return err
	}
	lang := pageLanguage(c)
	rows := make([]map[string]string, len(list))
	for i, v := range list {
		rows[i] = map[string]string{"Href": fmt.Sprintf("/minutes/%d", v.Minutes.ID), "Title": v.Minutes.Title, "Group": v.Group.Name,
			"Day": dayText(lang, v.Minutes.HeldOn)}
	}
	return h.render(c, fiber.StatusOK, "minutes_published.html", page{Title: "minutes.published.title", Person: p, Data: map[string]any{"Rows": rows}})
}

// publishedMinutesView shows minutes published to the person from outside their group.
func (h *handler) publishedMinutesView(c *fiber.Ctx) error {
	p, v, err := h.publishedOfURL(c)
	if err != nil {
		return err
	}
	data, err := h.minutesData(c, v)
	if err != nil {
		return err
	}
	if v.Minutes.Document != "" {
		data["DocumentLink"] = fmt.Sprintf("/minutes/%d/document", v.Minutes.ID)
	}
	return h.render(c, fiber.StatusOK, "minutes.html", page{Title: "minutes.title", Person: p, Data: data})
}

// publishedOfURL reads the minutes of the URL's id as published to the signed-in person.
func (h *handler) publishedOfURL(c *fiber.Ctx) (db.Person, meeting.MinutesView, error) {
	p, ok := h.person(c)
	if !ok {
		return p, meeting.MinutesView{}, errSignedOut
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return p, meeting.MinutesView{}, fiber.ErrNotFound
	}
	v, err := h.Meetings.ReadPublished(c.UserContext(), p, id)
	return p, v, err
}

// publicMinutes shows minutes published to anyone holding their link, signed out.
func (h *handler) publicMinutes(c *fiber.Ctx) error {
	c.Set("Referrer-Policy", "no-referrer")
	v, err := h.Meetings.ByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	data, err := h.minutesData(c, v)
	if err != nil {
		return err
	}
	if v.Minutes.Document != "" {
		data["DocumentLink"] = "/m/" + c.Params("token") + "/document"
	}
	return h.render(c, fiber.StatusOK, "minutes.html", page{Title: "minutes.title", Data: data})
}

// minutesDocument downloads the document of minutes, to the group's people.
func (h *handler) minutesDocument(c *fiber.Ctx) error {
	_, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	v, err := h.minutesOfURL(c, g)
	if err != nil {
		return err
	}
	return h.sendDocument(c, v)
}

// publishedMinutesDocument downloads the document of minutes published to the person.
func (h *handler) publishedMinutesDocument(c *fiber.Ctx) error {
	_, v, err := h.publishedOfURL(c)
	if err != nil {
		return err
	}
	return h.sendDocument(c, v)
}

// publicMinutesDocument downloads the document of public minutes, signed out.
func (h *handler) publicMinutesDocument(c *fiber.Ctx) error {
	c.Set("Referrer-Policy", "no-referrer")
	v, err := h.Meetings.ByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return h.sendDocument(c, v)
}

// sendDocument streams the document of minutes that a decision of access gave the view of: the
// content validated, or the file as it is while the minutes are a draft.
func (h *handler) sendDocument(c *fiber.Ctx, v meeting.MinutesView) error {
	name, size, rd, err := h.Meetings.Document(c.UserContext(), v)
	if err != nil {
		return err
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	c.Set("Content-Type", ctype)
	c.Set("Content-Disposition", files.Attachment(name))
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Content-Security-Policy", "sandbox") // a member's HTML file runs nothing in our origin
	return c.SendStream(rd, int(size))
}

// awaitingMinutes are the submitted minutes waiting for p's validation, for the home page.
func (h *handler) awaitingMinutes(c *fiber.Ctx, p db.Person) ([]map[string]string, error) {
	list, err := h.Meetings.AwaitingValidation(c.UserContext(), p)
	lang := pageLanguage(c)
	out := make([]map[string]string, len(list))
	for i, v := range list {
		out[i] = map[string]string{"Href": minutesPage(v.Group.Slug, v.Minutes.ID), "Title": v.Minutes.Title, "Group": v.Group.Name,
			"Day": dayText(lang, v.Minutes.HeldOn)}
	}
	return out, err
}
