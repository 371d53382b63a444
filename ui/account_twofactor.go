package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// The two-factor page: off (a button starts the enrolment), waiting for its first code (the secret
// as text and as a QR code), or on (recovery codes left, and turning it off with a code).

func (h *handler) twoFactorPage(c *fiber.Ctx) error {
	return h.renderTwoFactor(c, fiber.StatusOK, nil, "")
}

// renderTwoFactor shows the page in the state the account is in.
func (h *handler) renderTwoFactor(c *fiber.Ctx, status int, errs map[string]string, done string) error {
	p := c.Locals("person").(db.Person)
	on, left, err := h.Access.TwoFactorStatus(c.UserContext(), p)
	if err != nil {
		return err
	}
	data := map[string]any{"On": on, "Left": left, "Done": done}
	if !on {
		secret, _, err := h.Access.PendingTwoFactor(c.UserContext(), p)
		if err == nil {
			data["Secret"] = secret
			noStore(c)
		} else if !errors.Is(err, access.ErrNoPendingEnrol) {
			return err
		}
	}
	return h.render(c, status, "account_2fa.html", page{Title: "twofa.title", Person: p, Errors: errs, Data: data})
}

// twoFactorPageStart makes a new secret (replacing one never confirmed) and shows it.
func (h *handler) twoFactorPageStart(c *fiber.Ctx) error {
	_, _, err := h.Access.StartTwoFactor(c.UserContext(), c.Locals("person").(db.Person))
	if err != nil && !errors.Is(err, access.ErrTwoFactorOn) {
		return err
	}
	return c.Redirect("/account/2fa", fiber.StatusSeeOther)
}

// twoFactorQR is the pending enrolment's otpauth:// URI as a QR code for the authenticator app.
func (h *handler) twoFactorQR(c *fiber.Ctx) error {
	_, uri, err := h.Access.PendingTwoFactor(c.UserContext(), c.Locals("person").(db.Person))
	if errors.Is(err, access.ErrNoPendingEnrol) || errors.Is(err, access.ErrTwoFactorOn) {
		return fiber.ErrNotFound
	} else if err != nil {
		return err
	}
	return sendQR(c, uri)
}

// twoFactorPageConfirm turns two-factor on with a first code and shows the recovery codes, once.
func (h *handler) twoFactorPageConfirm(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	codes, err := h.Access.ConfirmTwoFactor(c.UserContext(), p, c.FormValue("code"))
	if key := twoFactorFormError(err); key != "" {
		return h.renderTwoFactor(c, fiber.StatusUnprocessableEntity, map[string]string{"code": key}, "")
	} else if err != nil {
		return err
	}
	noStore(c)
	return h.render(c, fiber.StatusOK, "account_2fa_codes.html", page{Title: "twofa.title", Person: p, Data: map[string]any{"Codes": codes}})
}

// twoFactorPageDisable turns two-factor off; it takes a code, so a browser left open is not enough.
func (h *handler) twoFactorPageDisable(c *fiber.Ctx) error {
	err := h.Access.DisableTwoFactor(c.UserContext(), c.Locals("person").(db.Person), c.FormValue("code"))
	if key := twoFactorFormError(err); key != "" {
		return h.renderTwoFactor(c, fiber.StatusUnprocessableEntity, map[string]string{"disable": key}, "")
	} else if err != nil {
		return err
	}
	return h.renderTwoFactor(c, fiber.StatusOK, nil, "twofa.off.done")
}

// twoFactorFormError picks the message for a refused code; "" for any other outcome.
func twoFactorFormError(err error) string {
	switch {
	case errors.Is(err, access.ErrBadCode):
		return "code.bad"
	case errors.Is(err, access.ErrThrottled):
		return "login.throttled"
	case errors.Is(err, access.ErrNoPendingEnrol), errors.Is(err, access.ErrTwoFactorOff), errors.Is(err, access.ErrTwoFactorOn):
		return "twofa.state.changed"
	}
	return ""
}
