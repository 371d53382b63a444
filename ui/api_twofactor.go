package ui

import (
	"github.com/gofiber/fiber/v2"

	"parvis/storage/db"
)

// Two-factor enrolment from the account page: start (secret shown once), confirm with a first code
// (recovery codes shown once), disable with a code.

// codeBody is the JSON body carrying a code.
type codeBody struct {
	Code string `json:"code"`
}

// twoFactorStatus answers GET /api/me/2fa.
func (h *handler) twoFactorStatus(c *fiber.Ctx) error {
	on, left, err := h.Access.TwoFactorStatus(c.UserContext(), c.Locals("person").(db.Person))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"enabled": on, "recovery_codes_left": left})
}

// twoFactorStart answers POST /api/me/2fa: a new secret, as an otpauth:// URI for a QR code and as
// text to type; nothing changes at sign-in until it is confirmed.
func (h *handler) twoFactorStart(c *fiber.Ctx) error {
	secret, uri, err := h.Access.StartTwoFactor(c.UserContext(), c.Locals("person").(db.Person))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"secret": secret, "uri": uri})
}

// twoFactorConfirm answers POST /api/me/2fa/confirm {code}: two-factor is on, and the recovery
// codes are in this answer only.
func (h *handler) twoFactorConfirm(c *fiber.Ctx) error {
	var body codeBody
	if err := c.BodyParser(&body); err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid body")
	}
	codes, err := h.Access.ConfirmTwoFactor(c.UserContext(), c.Locals("person").(db.Person), body.Code)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"enabled": true, "recovery_codes": codes})
}

// twoFactorDisable answers DELETE /api/me/2fa {code}.
func (h *handler) twoFactorDisable(c *fiber.Ctx) error {
	var body codeBody
	if err := c.BodyParser(&body); err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid body")
	}
	if err := h.Access.DisableTwoFactor(c.UserContext(), c.Locals("person").(db.Person), body.Code); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
