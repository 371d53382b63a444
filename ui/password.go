package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
)

// passwordForm shows the form of a set-password link (invitation, new account, forgotten password).
func (h *handler) passwordForm(c *fiber.Ctx) error {
	p, err := h.Access.CheckPasswordLink(c.UserContext(), c.Params("token"))
	if err != nil {
		return h.render(c, fiber.StatusNotFound, "error.html", page{Title: "password.invalid"})
	}
	return h.render(c, fiber.StatusOK, "password.html", page{Title: "password.title", Form: map[string]string{"email": p.Email},
		Data: map[string]bool{"Renewal": p.MustChangePassword}})
}

// passwordSet uses the link, then signs the person in.
func (h *handler) passwordSet(c *fiber.Ctx) error {
	p, err := h.Access.SetPasswordWithLink(c.UserContext(), c.Params("token"), c.FormValue("password"))
	switch {
	case errors.Is(err, access.ErrInvalidLink):
		return h.render(c, fiber.StatusNotFound, "error.html", page{Title: "password.invalid"})
	case errors.Is(err, access.ErrWeakPassword):
		who, _ := h.Access.CheckPasswordLink(c.UserContext(), c.Params("token"))
		return h.render(c, fiber.StatusUnprocessableEntity, "password.html", page{Title: "password.title",
			Errors: map[string]string{"password": weakPasswordKey(err)}, Form: map[string]string{"email": who.Email},
			Data: map[string]bool{"Renewal": who.MustChangePassword}})
	case err != nil:
		return err
	}
	return h.signIn(c, p, "/")
}

func (h *handler) forgotForm(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "forgot.html", page{Title: "forgot.title"})
}

// forgot mails a set-password link if the address has an account, and says the same either way.
func (h *handler) forgot(c *fiber.Ctx) error {
	if err := h.Access.ForgottenPassword(c.UserContext(), c.FormValue("email"), pageLanguage(c)); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "forgot.html", page{Title: "forgot.title", Data: map[string]any{"Sent": h.sentKey("forgot.sent")}})
}
