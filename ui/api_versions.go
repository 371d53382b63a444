package ui

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/files"
)

// versionItem is a previous content of a file as the pages show it.
type versionItem struct {
	ID         int64     `json:"id"`
	Size       int64     `json:"size"`
	ModifiedAt time.Time `json:"modified_at"`
	ReplacedAt time.Time `json:"replaced_at"`
	Download   string    `json:"download"`
}

// versionList answers GET /api/groups/SLUG/versions?path=/a/b.odt.
func (h *handler) versionList(c *fiber.Ctx) error {
	_, g, err := h.grant(c, access.FilesHistory)
	if err != nil {
		return err
	}
	p, err := files.Clean(c.Query("path"))
	if err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid path")
	}
	_, vs, err := h.Files.Versions(c.UserContext(), g.Group.ID, p)
	if err != nil {
		return err
	}
	href := "/dav/files/" + url.PathEscape(g.Group.Slug) + (&url.URL{Path: p}).EscapedPath()
	out := make([]versionItem, len(vs))
	for i, v := range vs {
		out[i] = versionItem{ID: v.ID, Size: v.Size, ModifiedAt: v.ModifiedAt, ReplacedAt: v.ReplacedAt,
			Download: href + "?version=" + url.QueryEscape(itoa(v.ID))}
	}
	return c.JSON(fiber.Map{"path": p, "versions": out})
}

// versionRestore answers POST /api/groups/SLUG/versions/ID/restore?path=/a/b.odt.
func (h *handler) versionRestore(c *fiber.Ctx) error {
	person, g, err := h.grant(c, access.FilesRestore)
	if err != nil {
		return err
	}
	p, err := files.Clean(c.Query("path"))
	if err != nil {
		return apiError(c, fiber.StatusBadRequest, "invalid path")
	}
	id, err := c.ParamsInt("id")
	if err != nil {
		return apiError(c, fiber.StatusNotFound, "not found")
	}
	n, err := h.Files.RestoreVersion(c.UserContext(), g.Group.ID, p, int64(id), person.ID, nil)
	if err != nil {
		return err
	}
	h.audit(c, access.Actor{Person: person}, "version.restore", g.Group.Slug+" "+p, itoa(int64(id)))
	return c.JSON(fiber.Map{"path": p, "etag": n.ETag})
}
