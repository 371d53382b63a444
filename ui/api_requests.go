package ui

import (
	"bytes"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// The joining workflow: a person asks, the group's animators validate or refuse, an administrator
// activates (with dues) when the group requires membership. Each step tells the people concerned.

func (h *handler) requestCreate(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	var body struct{ Message string }
	if len(c.Body()) > 0 {
		if err := c.BodyParser(&body); err != nil {
			return apiError(c, fiber.StatusBadRequest, "invalid body")
		}
	}
	req, err := h.Access.Request(c.UserContext(), p, c.Params("slug"), body.Message)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": req.ID, "status": req.Status})
}

func (h *handler) requestList(c *fiber.Ctx) error {
	_, g, err := h.grant(c, access.RequestsDecide)
	if err != nil {
		return err
	}
	reqs, err := h.Access.GroupRequests(c.UserContext(), g.Group.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"requests": reqs})
}

func (h *handler) requestDecide(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	id, err := c.ParamsInt("id")
	if err != nil {
		return apiError(c, fiber.StatusNotFound, "not found")
	}
	var body struct {
		Accept bool
		Reason string
	}
	if err := c.BodyParser(&body); err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid body")
	}
	req, err := h.Access.Decide(c.UserContext(), access.Actor{Person: p}, int64(id), body.Accept, body.Reason)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": req.ID, "status": req.Status})
}

func (h *handler) activationQueue(c *fiber.Ctx) error {
	reqs, err := h.Access.ActivationQueue(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"requests": reqs})
}

func (h *handler) requestActivate(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	id, err := c.ParamsInt("id")
	if err != nil {
		return apiError(c, fiber.StatusNotFound, "not found")
	}
	req, err := h.Access.Activate(c.UserContext(), access.Actor{Person: p}, int64(id))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": req.ID, "status": req.Status})
}

func (h *handler) duesRecord(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	var body struct {
		Email  string
		Year   int
		Amount float64 // euros
	}
	if err := c.BodyParser(&body); err != nil || body.Year < 2000 || body.Amount < 0 {
		return apiError(c, fiber.StatusBadRequest, "invalid body")
	}
	err := h.Access.RecordDues(c.UserContext(), access.Actor{Person: p}, body.Email, body.Year, int64(body.Amount*100+0.5), "manual")
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// duesImport answers POST /api/admin/dues/import with a CSV body (a payment platform's export): the
// report says, line by line, what was recorded and why a line was not.
func (h *handler) duesImport(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	rep, err := h.Access.ImportDues(c.UserContext(), access.Actor{Person: p}, bytes.NewReader(c.Body()), "import web "+time.Now().Format(time.DateOnly))
	if errors.Is(err, access.ErrInvalid) {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "invalid file", "detail": err.Error()})
	}
	if err != nil {
		return err
	}
	return c.JSON(rep)
}
