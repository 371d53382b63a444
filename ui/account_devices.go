package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// The devices page: app passwords, one per phone, computer or sync tool, each revocable alone. A
// new one is shown once, on the page that answers its creation.

// deviceView is an app password as the page lists it (never the secret).
type deviceView struct {
	ID                int64
	Name              string
	Created, LastUsed string // LastUsed "" when never used
}

func (h *handler) devicesPage(c *fiber.Ctx) error {
	return h.renderDevices(c, fiber.StatusOK, nil)
}

// renderDevices lists the person's app passwords, with the errors of the creation form.
func (h *handler) renderDevices(c *fiber.Ctx, status int, errs map[string]string) error {
	p := c.Locals("person").(db.Person)
	list, err := h.Access.AppPasswords(c.UserContext(), p)
	if err != nil {
		return err
	}
	views := make([]deviceView, len(list))
	for i, a := range list {
		views[i] = deviceView{ID: a.ID, Name: a.Name, Created: h.momentOf(c, a.CreatedAt)}
		if !a.LastUsedAt.IsZero() {
			views[i].LastUsed = h.momentOf(c, a.LastUsedAt)
		}
	}
	return h.render(c, status, "account_devices.html", page{Title: "devices.title", Person: p, Errors: errs,
		Data: map[string]any{"Devices": views}, Form: map[string]string{"name": c.FormValue("name")}})
}

// deviceCreate makes an app password and shows it, once, with what the chosen client needs
// (the form's "client": see connectClients).
func (h *handler) deviceCreate(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	a, secret, err := h.Access.CreateAppPassword(c.UserContext(), p, c.FormValue("name"))
	if errors.Is(err, access.ErrInvalid) {
		return h.renderDevices(c, fiber.StatusUnprocessableEntity, map[string]string{"name": "devices.name.invalid"})
	} else if err != nil {
		return err
	}
	data := map[string]any{"Name": a.Name, "Password": secret, "User": p.Email}
	if cl, ok := h.connectClient(c.FormValue("client")); ok {
		data["Client"] = cl
	}
	if c.FormValue("client") == "rclone" {
		conf, err := rcloneConfig(h.PublicURL, p.Email, secret)
		if err != nil {
			return err
		}
		data["Rclone"] = conf
	}
	noStore(c)
	return h.render(c, fiber.StatusCreated, "account_device_created.html", page{Title: "devices.created", Person: p, Data: data})
}

// deviceRevoke ends one app password at once.
func (h *handler) deviceRevoke(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := h.Access.RevokeAppPassword(c.UserContext(), c.Locals("person").(db.Person), int64(id)); errors.Is(err, db.ErrNotFound) {
		return fiber.ErrNotFound
	} else if err != nil {
		return err
	}
	return c.Redirect("/account/devices", fiber.StatusSeeOther)
}

// noStore keeps a page carrying a secret (a new password, recovery codes) out of every cache.
func noStore(c *fiber.Ctx) { c.Set("Cache-Control", "no-store") }
