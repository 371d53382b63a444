package ui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// invitationCreate answers POST /api/groups/SLUG/invitations {email, name, role, expires, handover}:
// animators and administrators invite; the person gets a mail with a set-password link if they have
// no password yet. An administrator may ask for the link itself (handover) for a member without an
// e-mail address of their own, to give it in person.
func (h *handler) invitationCreate(c *fiber.Ctx) error {
	person := c.Locals("person").(db.Person)
	var body struct {
		Email, Name, Role, Expires string
		Handover                   bool
	}
	if err := c.BodyParser(&body); err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid body")
	}
	role, err := access.ParseRole(body.Role)
	if err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid role")
	}
	var expires time.Time
	if body.Expires != "" {
		day, err := h.dayIn(body.Expires)
		if err != nil {
			return apiError(c, fiber.StatusBadRequest, "invalid expiry")
		}
		expires = day.AddDate(0, 0, 1)
	}
	inv, err := h.Access.Invite(c.UserContext(), access.Actor{Person: person}, c.Params("slug"),
		access.Invitee{Email: body.Email, Name: body.Name, Role: role, Expires: expires, Handover: body.Handover})
	if err != nil {
		return err
	}
	out := fiber.Map{"email": inv.Person.Email, "created": inv.Created, "mailed": inv.Mailed}
	if inv.Link != "" {
		out["link"] = h.PublicURL + "/password/" + inv.Link
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}
