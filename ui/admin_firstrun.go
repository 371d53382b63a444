package ui

import (
	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// The administrator's first steps, on the dashboard until every one is done: what makes the server
// useful to an association, in the order it is done, each with where to do it.

// firstStep is one step of the checklist: its message keys, where it is done, and whether it is.
type firstStep struct {
	Title, How, Href string
	Done             bool
}

// firstSteps lists the steps as the instance stands now.
func (h *handler) firstSteps(c *fiber.Ctx, counts db.Counts, roles []access.KeyRoleWarning) []firstStep {
	unled := false
	for _, r := range roles {
		unled = unled || (r.Group != "" && r.Count == 0)
	}
	partner := h.Monitor != nil && h.Monitor.Status().Enabled
	return []firstStep{
		{Title: "firstrun.mail", How: "firstrun.mail.how", Href: "/admin/outbox", Done: h.Mail != nil && h.Mail.Sends()},
		{Title: "firstrun.partner", How: "firstrun.partner.how", Href: "/admin/storage", Done: partner},
		{Title: "firstrun.group", How: "firstrun.group.how", Href: "/admin/groups", Done: counts.Groups > 0},
		{Title: "firstrun.animators", How: "firstrun.animators.how", Href: "/admin/groups", Done: counts.Groups > 0 && !unled},
		{Title: "firstrun.people", How: "firstrun.people.how", Href: "/admin/people", Done: counts.People > counts.Admins},
	}
}

// allDone tells whether the checklist has nothing left.
func allDone(steps []firstStep) bool {
	for _, s := range steps {
		if !s.Done {
			return false
		}
	}
	return true
}
