package ui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar"
	"parvis/meeting"
	"parvis/storage/db"
)

// The page of an invitation's mailed link (/invitation/:token), signed out, and the answers from
// the home page. A link answers one invitation for its attendee: it shows the meeting and three
// buttons. Opening the link never answers by itself, since mail filters open the links of the
// mails they check: the answer of the link followed is the highlighted button, one click away.

// invitationAnswers are the answers in the order the buttons show them.
var invitationAnswers = []string{"accepted", "tentative", "declined"}

// invitationNotices are the confirmations an answer redirects with.
var invitationNotices = map[string]string{"answered": "invitation.answered", "same": "invitation.same"}

func (h *handler) invitationLinkPage(c *fiber.Ctx) error {
	v, err := h.Meetings.InvitationByLink(c.UserContext(), c.Params("token"))
	if err != nil {
		return h.invitationInvalid(c, err)
	}
	return h.renderInvitation(c, fiber.StatusOK, v, strings.ToLower(c.Query("r")), nil)
}

// invitationLinkAnswer records the answer of a link's button.
func (h *handler) invitationLinkAnswer(c *fiber.Ctx) error {
	v, changed, err := h.Meetings.AnswerInvitationByLink(c.UserContext(), c.Params("token"), c.FormValue("answer"))
	switch {
	case errors.Is(err, meeting.ErrInvitationOver):
		return h.renderInvitation(c, fiber.StatusConflict, v, "", nil)
	case errors.Is(err, access.ErrInvalid):
		return h.renderInvitation(c, fiber.StatusUnprocessableEntity, v, "", map[string]string{"form": "invitation.error.answer"})
	case err != nil:
		return h.invitationInvalid(c, err)
	}
	done := "same"
	if changed {
		done = "answered"
	}
	return c.Redirect("/invitation/"+c.Params("token")+"?done="+done, fiber.StatusSeeOther)
}

// invitationAnswer records the answer given on the home page to one of the person's invitations.
func (h *handler) invitationAnswer(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return errSignedOut
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	_, _, err = h.Meetings.AnswerInvitation(c.UserContext(), p, id, c.FormValue("answer"))
	switch {
	case errors.Is(err, access.ErrNoAccess):
		return fiber.ErrNotFound
	case errors.Is(err, meeting.ErrInvitationOver), errors.Is(err, access.ErrInvalid):
		return c.Redirect("/?done=invitation-over#invitations", fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	return c.Redirect("/?done=invitation#invitations", fiber.StatusSeeOther)
}

func (h *handler) renderInvitation(c *fiber.Ctx, status int, v meeting.Invitation, preselect string, errs map[string]string) error {
	c.Set("Referrer-Policy", "no-referrer") // the link is the attendee's key to their answer
	lang := pageLanguage(c)
	data := invitationData(lang, v)
	data["Action"] = "/invitation/" + c.Params("token")
	data["Done"] = invitationNotices[c.Query("done")]
	who := v.Email
	if v.Name != "" && v.Email != "" {
		who = v.Name + " (" + v.Email + ")" // the address too: a forwarded mail answers for its first reader
	}
	data["Who"] = who
	type choice struct {
		Value, Label string
		Preselected  bool
	}
	if preselect == "" {
		preselect = answerWord(v.PartStat) // the answer given shows as the one chosen
	}
	var choices []choice
	for _, a := range invitationAnswers {
		choices = append(choices, choice{Value: a, Label: "invitation.answer." + a, Preselected: a == preselect})
	}
	data["Choices"] = choices
	if !v.Open(time.Now()) {
		data["Over"] = "invitation.over"
		if !v.CancelledAt.IsZero() {
			data["Over"] = "invitation.cancelled"
		}
	}
	return h.render(c, status, "invitation.html", page{Title: "invitation.title", Errors: errs, Data: data})
}

// invitationData is what the link's page and the home page show of an invitation.
func invitationData(lang string, v meeting.Invitation) map[string]any {
	title := v.Event.Summary
	if title == "" {
		title = v.Summary
	}
	when := ""
	if !v.At.IsZero() {
		when = dayText(lang, v.At)
		if !v.Event.AllDay {
			when += " " + v.At.Format("15:04")
		}
	}
	organizer := v.Organizer.DisplayName()
	if v.Organizer.ID == 0 {
		organizer = ""
	}
	return map[string]any{"ID": v.ID, "Title": title, "When": when, "Place": v.Event.Location, "Visio": webLink(v.Event.URL),
		"Organizer": organizer, "Group": v.Group.Name, "Current": "invitation.answer." + answerWord(v.PartStat)}
}

// answerWord is the link's word of a PARTSTAT: accepted, tentative, declined, or none yet.
func answerWord(partstat string) string {
	switch partstat {
	case calendar.PartAccepted, calendar.PartTentative, calendar.PartDeclined:
		return strings.ToLower(partstat)
	}
	return "none"
}

// invitationInvalid is the page of a link that opens nothing.
func (h *handler) invitationInvalid(c *fiber.Ctx, err error) error {
	if !errors.Is(err, access.ErrNoAccess) {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusNotFound, "error.html", page{Title: "invitation.invalid"})
}

// homeInvitations are the person's open invitations, for the home page.
func (h *handler) homeInvitations(c *fiber.Ctx, p db.Person) ([]map[string]any, error) {
	list, err := h.Meetings.MyInvitations(c.UserContext(), p)
	if err != nil {
		return nil, err
	}
	lang := pageLanguage(c)
	out := make([]map[string]any, len(list))
	for i, v := range list {
		out[i] = invitationData(lang, v)
	}
	return out, nil
}

// webLink is u when it is a web address, "" otherwise: a client may have written anything as URL.
func webLink(u string) string {
	if isWebLink(u) {
		return u
	}
	return ""
}
