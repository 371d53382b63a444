package ui

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// sessionItem is a signed-in browser as the account page lists it.
type sessionItem struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	UserAgent  string    `json:"user_agent"`
	Current    bool      `json:"current"`
}

// sessionList answers GET /api/me/sessions, marking the browser asking.
func (h *handler) sessionList(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	list, err := h.Access.Sessions(c.UserContext(), p)
	if err != nil {
		return err
	}
	current := access.SessionID(c.Cookies(sessionCookie))
	out := make([]sessionItem, len(list))
	for i, s := range list {
		out[i] = sessionItem{ID: s.ID(), CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, UserAgent: s.UserAgent, Current: s.ID() == current}
	}
	return c.JSON(fiber.Map{"sessions": out})
}

// sessionRevoke answers DELETE /api/me/sessions/ID.
func (h *handler) sessionRevoke(c *fiber.Ctx) error {
	err := h.Access.RevokeSession(c.UserContext(), c.Locals("person").(db.Person), c.Params("id"))
	if errors.Is(err, db.ErrNotFound) {
		return apiError(c, fiber.StatusNotFound, "not found")
	} else if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// sessionRevokeOthers answers POST /api/me/sessions/revoke-others: "sign out everywhere else".
func (h *handler) sessionRevokeOthers(c *fiber.Ctx) error {
	n, err := h.Access.RevokeOtherSessions(c.UserContext(), c.Locals("person").(db.Person), c.Cookies(sessionCookie))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"signed_out": n})
}
