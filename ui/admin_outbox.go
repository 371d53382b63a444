package ui

import (
	"github.com/gofiber/fiber/v2"
)

// outbox shows administrators the latest mails, sent or waiting: without a mail server it is how
// links reach people (an administrator copies them), and with one it shows what failed and why.
func (h *handler) outbox(c *fiber.Ctx) error {
	mails, err := h.Mail.Outbox(c.UserContext(), 100)
	if err != nil {
		return err
	}
	return h.adminPage(c, fiber.StatusOK, "outbox.html", "outbox.title", mails, nil, nil)
}
