package ui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/storage/db"
)

// appPasswordItem is a device password as the account page shows it (never the secret).
type appPasswordItem struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// appPasswordList answers GET /api/me/app-passwords.
func (h *handler) appPasswordList(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	list, err := h.Access.AppPasswords(c.UserContext(), p)
	if err != nil {
		return err
	}
	out := make([]appPasswordItem, len(list))
	for i, a := range list {
		out[i] = appPasswordItem{ID: a.ID, Name: a.Name, CreatedAt: a.CreatedAt, LastUsedAt: optTime(a.LastUsedAt)}
	}
	return c.JSON(fiber.Map{"app_passwords": out})
}

// appPasswordCreate answers POST /api/me/app-passwords {name}: the password is in this answer only.
func (h *handler) appPasswordCreate(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	var body struct {
		Name string `json:"name"`
	}
	if err := c.BodyParser(&body); err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid body")
	}
	a, secret, err := h.Access.CreateAppPassword(c.UserContext(), p, body.Name)
	if err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid name")
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": a.ID, "name": a.Name, "password": secret,
		"user": p.Email, "dav": h.PublicURL + "/dav/"})
}

// appPasswordRevoke answers DELETE /api/me/app-passwords/ID.
func (h *handler) appPasswordRevoke(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	id, err := c.ParamsInt("id")
	if err != nil {
		return apiError(c, fiber.StatusNotFound, "not found")
	}
	if err := h.Access.RevokeAppPassword(c.UserContext(), p, int64(id)); err != nil {
		return apiError(c, fiber.StatusNotFound, "not found")
	}
	return c.SendStatus(fiber.StatusNoContent)
}
