package ui

import (
	"github.com/gofiber/fiber/v2"
)

// outbox shows administrators the latest mails, sent or waiting: without a mail server it is how
// links reach people (an administrator copies them), and with one it shows what failed and why.
func (h *handler) outbox(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	if !p.IsAdmin {
		return fiber.ErrForbidden
	}
	mails, err := h.Mail.Outbox(c.UserContext(), 100)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "outbox.html", page{Title: "outbox.title", Person: p, Data: mails})
}
