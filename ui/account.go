package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// The account page: the person's name and e-mail, a password change, and links to the other
// account pages.

func (h *handler) accountPage(c *fiber.Ctx) error {
	return h.renderAccount(c, fiber.StatusOK, c.Locals("person").(db.Person), nil, "")
}

// renderAccount shows the account page, with the errors of a form or a confirmation ("done": a
// message key).
func (h *handler) renderAccount(c *fiber.Ctx, status int, p db.Person, errs map[string]string, done string) error {
	byMail, err := h.Meetings.InvitationsByMail(c.UserContext(), p)
	if err != nil {
		return err
	}
	return h.render(c, status, "account.html", page{Title: "account.title", Person: p, Errors: errs,
		Data: map[string]any{"Done": done, "InvitationsByMail": byMail}, Form: map[string]string{"name": p.Name}})
}

// accountInvitations sets whether invitations come by mail too.
func (h *handler) accountInvitations(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	if err := h.Meetings.SetInvitationsByMail(c.UserContext(), p, c.FormValue("by_mail") == "on"); err != nil {
		return err
	}
	return h.renderAccount(c, fiber.StatusOK, p, nil, "account.invitations.done")
}

// accountRename changes the person's name.
func (h *handler) accountRename(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	renamed, err := h.Access.Rename(c.UserContext(), p, c.FormValue("name"))
	if errors.Is(err, access.ErrInvalid) {
		return h.renderAccount(c, fiber.StatusUnprocessableEntity, p, map[string]string{"name": "account.name.invalid"}, "")
	} else if err != nil {
		return err
	}
	return h.renderAccount(c, fiber.StatusOK, renamed, nil, "account.name.done")
}

// accountPassword changes the password: the current one first, then a new one as strong as the
// set-password page asks.
func (h *handler) accountPassword(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	err := h.Access.ChangePassword(c.UserContext(), p, c.FormValue("current"), c.FormValue("password"), c.Cookies(sessionCookie), c.IP())
	field, key := "", ""
	switch {
	case errors.Is(err, access.ErrThrottled):
		field, key = "current", "login.throttled"
	case errors.Is(err, access.ErrBadCredentials):
		field, key = "current", "account.password.wrong"
	case errors.Is(err, access.ErrWeakPassword):
		field, key = "password", weakPasswordKey(err)
	case err != nil:
		return err
	}
	if key != "" {
		return h.renderAccount(c, fiber.StatusUnprocessableEntity, p, map[string]string{field: key}, "")
	}
	return h.renderAccount(c, fiber.StatusOK, p, nil, "account.password.done")
}
