package ui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/files"
)

// shareItem is a share link as the pages show it.
type shareItem struct {
	ID          int64      `json:"id"`
	URL         string     `json:"url"`
	Path        string     `json:"path"`
	Kind        string     `json:"kind"`
	MadeBy      string     `json:"made_by"` // the maker's name or e-mail: the link stops with their access
	HasPassword bool       `json:"has_password"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
	Downloads   int64      `json:"downloads"`
	Uploads     int64      `json:"uploads"`
}

// shareCreate answers POST /api/groups/SLUG/shares {path, kind, password, expires (YYYY-MM-DD)}.
func (h *handler) shareCreate(c *fiber.Ctx) error {
	person, g, err := h.grant(c, access.SharesWrite)
	if err != nil {
		return err
	}
	var body struct {
		Path     string `json:"path"`
		Kind     string `json:"kind"`
		Password string `json:"password"`
		Expires  string `json:"expires"`
	}
	if err := c.BodyParser(&body); err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid body")
	}
	p, err := files.Clean(body.Path)
	if err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid path")
	}
	if body.Kind == "" {
		body.Kind = files.ShareRead
	}
	var expires time.Time
	if body.Expires != "" {
		day, err := h.dayIn(body.Expires)
		if err != nil {
			return apiError(c, fiber.StatusBadRequest, "invalid expiry")
		}
		expires = day.AddDate(0, 0, 1) // the link works through the given day
	}
	l, err := h.Files.CreateShare(c.UserContext(), g.Group.ID, p, files.ShareOptions{Kind: body.Kind, Password: body.Password, Expires: expires, By: person.ID})
	if err != nil {
		return err
	}
	h.audit(c, access.Actor{Person: person}, "share.create", g.Group.Slug+" "+p, body.Kind)
	return c.Status(fiber.StatusCreated).JSON(shareItem{ID: l.ID, URL: h.PublicURL + "/s/" + l.Token, Path: p, Kind: l.Kind,
		MadeBy: person.DisplayName(), HasPassword: l.PasswordHash != "", ExpiresAt: optTime(l.ExpiresAt)})
}

// shareList answers GET /api/groups/SLUG/shares: the links in force.
func (h *handler) shareList(c *fiber.Ctx) error {
	_, g, err := h.grant(c, access.SharesRead)
	if err != nil {
		return err
	}
	links, err := h.Files.Shares(c.UserContext(), g.Group.ID)
	if err != nil {
		return err
	}
	out := make([]shareItem, len(links))
	for i, l := range links {
		out[i] = shareItem{ID: l.ID, URL: h.PublicURL + "/s/" + l.Token, Path: l.Path, Kind: l.Kind, MadeBy: l.Maker,
			HasPassword: l.PasswordHash != "", ExpiresAt: optTime(l.ExpiresAt), Downloads: l.Downloads, Uploads: l.Uploads}
	}
	return c.JSON(fiber.Map{"shares": out})
}

// shareRevoke answers DELETE /api/groups/SLUG/shares/ID.
func (h *handler) shareRevoke(c *fiber.Ctx) error {
	person, g, err := h.grant(c, access.SharesWrite)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("id")
	if err != nil {
		return apiError(c, fiber.StatusNotFound, "not found")
	}
	if err := h.Files.RevokeShare(c.UserContext(), g.Group.ID, int64(id)); err != nil {
		return err
	}
	h.audit(c, access.Actor{Person: person}, "share.revoke", g.Group.Slug, itoa(int64(id)))
	return c.SendStatus(fiber.StatusNoContent)
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
