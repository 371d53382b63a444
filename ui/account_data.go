package ui

import (
	"github.com/gofiber/fiber/v2"

	"parvis/storage/db"
)

// The personal data page: download everything the server holds about the person (the export of
// /api/me/export, which a signed-in browser may fetch), and ask for erasure after a confirmation.

func (h *handler) dataPage(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "account_data.html", page{Title: "data.title", Person: c.Locals("person").(db.Person),
		Data: map[string]any{}})
}

// erasureConfirm asks once more: an erasure request is not undone from this page.
func (h *handler) erasureConfirm(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "account_erase.html", page{Title: "data.erase.title", Person: c.Locals("person").(db.Person)})
}

// erasurePageRequest records the request for an administrator, who carries it out.
func (h *handler) erasurePageRequest(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	if c.FormValue("confirm") != "yes" {
		return c.Redirect("/account/data/erase", fiber.StatusSeeOther)
	}
	if err := h.Access.RequestErasure(c.UserContext(), p); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "account_data.html", page{Title: "data.title", Person: p,
		Data: map[string]any{"Requested": true}})
}
