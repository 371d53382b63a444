package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/files"
)

// publicationItem is a published folder as the pages show it.
type publicationItem struct {
	ID       int64  `json:"id"`
	Path     string `json:"path"`
	Audience string `json:"audience"` // a group's slug, or "all"
}

// publicationCreate answers POST /api/groups/SLUG/publications {path, audience}: animators only.
func (h *handler) publicationCreate(c *fiber.Ctx) error {
	person, g, err := h.grant(c, access.Publish)
	if err != nil {
		return err
	}
	var body struct {
		Path     string `json:"path"`
		Audience string `json:"audience"`
	}
	if err := c.BodyParser(&body); err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid body")
	}
	p, err := files.Clean(body.Path)
	if err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid path")
	}
	pub, err := h.Access.Publish(c.UserContext(), access.Actor{Person: person}, g.Group.Slug, p, body.Audience)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(publicationItem{ID: pub.ID, Path: p, Audience: body.Audience})
}

// publicationList answers GET /api/groups/SLUG/publications.
func (h *handler) publicationList(c *fiber.Ctx) error {
	_, g, err := h.grant(c, access.PubsRead)
	if err != nil {
		return err
	}
	pubs, err := h.Access.Publications(c.UserContext(), g.Group)
	if err != nil {
		return err
	}
	out := make([]publicationItem, len(pubs))
	for i, p := range pubs {
		out[i] = publicationItem{ID: p.ID, Path: p.Path, Audience: access.AudienceAll}
		if p.AudienceID != 0 {
			if a, err := h.Access.GroupByID(c.UserContext(), p.AudienceID); err == nil {
				out[i].Audience = a.Slug
			}
		}
	}
	return c.JSON(fiber.Map{"publications": out})
}

// publicationDelete answers DELETE /api/groups/SLUG/publications/ID: animators only.
func (h *handler) publicationDelete(c *fiber.Ctx) error {
	person, g, err := h.grant(c, access.Publish)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("id")
	if err != nil {
		return apiError(c, fiber.StatusNotFound, "not found")
	}
	err = h.Access.Unpublish(c.UserContext(), access.Actor{Person: person}, g.Group.Slug, int64(id))
	switch {
	case errors.Is(err, access.ErrInvalid):
		return apiError(c, fiber.StatusNotFound, "not found")
	case err != nil:
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
