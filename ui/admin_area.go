package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// The administration area (/admin/…): one guard for every page, and the helpers its handlers share.

// adminOnly lets administrators through, sends the signed-out to the sign-in page, and answers 404
// to everyone else: the area does not exist for them, as a group does not exist for outsiders.
func (h *handler) adminOnly(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return errSignedOut
	}
	if !access.Administers(p) {
		return fiber.ErrNotFound
	}
	c.Locals("admin", p)
	return c.Next()
}

// adminActor is the signed-in administrator, as the actor of what they do.
func adminActor(c *fiber.Ctx) access.Actor {
	return access.Actor{Person: c.Locals("admin").(db.Person)}
}

// adminPage renders a page of the area with its navigation.
func (h *handler) adminPage(c *fiber.Ctx, status int, name, title string, data any, errs map[string]string, form map[string]string) error {
	return h.render(c, status, name, page{Title: title, Person: c.Locals("admin"), Data: data, Errors: errs, Form: form})
}

// notices are the confirmations an action may redirect with (?done=…): only these keys are shown,
// so a crafted link cannot put arbitrary text on the page.
var notices = map[string]string{
	"suspended": "admin.done.suspended", "restored": "admin.done.restored", "dues": "admin.done.dues",
	"renewal": "admin.done.renewal", "admin": "admin.done.admin", "unadmin": "admin.done.unadmin",
	"linkmailed": "admin.done.linkmailed", "group": "admin.done.group", "quota": "admin.done.quota",
	"flag": "admin.done.flag", "activated": "admin.done.activated", "erased": "admin.done.erased",
	"created": "admin.done.created", "bounce": "admin.done.bounce",
}

// notice reads the confirmation of the last action, "" when none.
func notice(c *fiber.Ctx) string { return notices[c.Query("done")] }

// adminErrorKey names the message for a refusal of the access service; ok is false for errors
// that are not the user's to fix (shown as the internal error page).
func adminErrorKey(err error) (key string, ok bool) {
	switch {
	case errors.Is(err, access.ErrLastAdmin), errors.Is(err, access.ErrLastKeyRole):
		return "admin.error.lastkey", true
	case errors.Is(err, access.ErrDuesMissing):
		return "admin.error.nodues", true
	case errors.Is(err, access.ErrExists):
		return "admin.error.exists", true
	case errors.Is(err, access.ErrInvalid):
		return "admin.error.invalid", true
	}
	return "", false
}
