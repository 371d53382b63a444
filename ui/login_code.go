package ui

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// The second step of a sign-in with two-factor on: the password was right, the browser holds a
// short-lived token (never a session), and this page asks for the app's code or a recovery code.

const codeCookie = "parvis_2fa"

// askCode gives the browser the second-step token and sends it to the code page.
func (h *handler) askCode(c *fiber.Ctx, p db.Person, next string) error {
	raw, err := h.Access.BeginSecondFactor(c.UserContext(), p)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: codeCookie, Value: raw, Path: "/login", HTTPOnly: true, Secure: h.secure,
		SameSite: "Strict", Expires: time.Now().Add(5 * time.Minute)})
	if next = localPath(next); next != "/" { // the page asked for, once the code is given
		c.Cookie(&fiber.Cookie{Name: nextCookie, Value: next, Path: "/login", HTTPOnly: true, Secure: h.secure,
			SameSite: "Strict", Expires: time.Now().Add(5 * time.Minute)})
	}
	return c.Redirect("/login/code", fiber.StatusSeeOther)
}

// nextCookie keeps, between the password and the second factor, the page asked for before
// signing in.
const nextCookie = "parvis_next"

// codeForm shows the code page, or the sign-in page when there is no password step to finish.
func (h *handler) codeForm(c *fiber.Ctx) error {
	if c.Cookies(codeCookie) == "" {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return h.render(c, fiber.StatusOK, "login_code.html", page{Title: "code.title"})
}

// code checks the code and opens the session.
func (h *handler) code(c *fiber.Ctx) error {
	p, err := h.Access.FinishSecondFactor(c.UserContext(), c.Cookies(codeCookie), c.FormValue("code"), c.IP())
	key := ""
	switch {
	case errors.Is(err, access.ErrInvalidLink), errors.Is(err, access.ErrBadCredentials):
		c.ClearCookie(codeCookie)
		return c.Redirect("/login", fiber.StatusSeeOther)
	case errors.Is(err, access.ErrThrottled):
		key = "login.throttled"
	case errors.Is(err, access.ErrBadCode):
		key = "code.bad"
	case err != nil:
		return err
	}
	if key != "" {
		return h.render(c, fiber.StatusUnauthorized, "login_code.html", page{Title: "code.title", Errors: map[string]string{"code": key}})
	}
	c.Cookie(&fiber.Cookie{Name: codeCookie, Path: "/login", Expires: time.Unix(1, 0), HTTPOnly: true, Secure: h.secure})
	next := c.Cookies(nextCookie)
	c.Cookie(&fiber.Cookie{Name: nextCookie, Path: "/login", Expires: time.Unix(1, 0), HTTPOnly: true, Secure: h.secure})
	return h.startSession(c, p, next)
}
