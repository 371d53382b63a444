package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// The sessions page: the browsers where the person is signed in, to sign out one left somewhere,
// or all but this one.

// sessionView is a signed-in browser as the page lists it.
type sessionView struct {
	ID, Summary, UserAgent, Created, LastSeen string
	Current                                   bool
}

func (h *handler) sessionsPage(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	list, err := h.Access.Sessions(c.UserContext(), p)
	if err != nil {
		return err
	}
	current := access.SessionID(c.Cookies(sessionCookie))
	views := make([]sessionView, len(list))
	for i, s := range list {
		views[i] = sessionView{ID: s.ID(), Summary: agentSummary(s.UserAgent), UserAgent: s.UserAgent, Created: h.momentOf(c, s.CreatedAt),
			LastSeen: h.momentOf(c, s.LastSeenAt), Current: s.ID() == current}
	}
	return h.render(c, fiber.StatusOK, "account_sessions.html", page{Title: "sessions.title", Person: p,
		Data: map[string]any{"Sessions": views, "Others": len(list) > 1}})
}

// sessionPageRevoke signs one browser out (this one too, if asked: then the sign-in page follows).
func (h *handler) sessionPageRevoke(c *fiber.Ctx) error {
	err := h.Access.RevokeSession(c.UserContext(), c.Locals("person").(db.Person), c.Params("id"))
	if errors.Is(err, db.ErrNotFound) {
		return fiber.ErrNotFound
	} else if err != nil {
		return err
	}
	return c.Redirect("/account/sessions", fiber.StatusSeeOther)
}

// sessionPageRevokeOthers signs out every browser but this one.
func (h *handler) sessionPageRevokeOthers(c *fiber.Ctx) error {
	if _, err := h.Access.RevokeOtherSessions(c.UserContext(), c.Locals("person").(db.Person), c.Cookies(sessionCookie)); err != nil {
		return err
	}
	return c.Redirect("/account/sessions", fiber.StatusSeeOther)
}
