package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
)

func (h *handler) signupForm(c *fiber.Ctx) error {
	if !h.SignUp {
		return fiber.ErrNotFound
	}
	return h.render(c, fiber.StatusOK, "signup.html", page{Title: "signup.title"})
}

// signup creates the account and mails the link to choose its password. An address already known
// is told plainly: one e-mail is one account (a couple sharing an address shares it).
func (h *handler) signup(c *fiber.Ctx) error {
	if !h.SignUp {
		return fiber.ErrNotFound
	}
	email, name := c.FormValue("email"), c.FormValue("name")
	_, err := h.Access.SignUp(c.UserContext(), email, name, pageLanguage(c))
	field, key := "", ""
	switch {
	case errors.Is(err, access.ErrInvalid):
		field, key = "email", "field.email.invalid"
	case errors.Is(err, access.ErrExists):
		field, key = "email", "signup.exists"
	case err != nil:
		return err
	}
	if key != "" {
		return h.render(c, fiber.StatusUnprocessableEntity, "signup.html", page{Title: "signup.title",
			Errors: map[string]string{field: key}, Form: map[string]string{"email": email, "name": name}})
	}
	return h.render(c, fiber.StatusOK, "signup.html", page{Title: "signup.title", Data: h.sentKey("signup.sent")})
}

// sentKey is the message that says a link went by mail, or, on a server without a mail server, the
// one that says where it waits: a page never claims a mail was sent that was not.
func (h *handler) sentKey(key string) string {
	if h.Mail == nil || h.Mail.Sends() {
		return key
	}
	return key + ".nomail"
}
