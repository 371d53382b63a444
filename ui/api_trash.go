package ui

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
)

// trashItem is a trash entry as the pages show it.
type trashItem struct {
	ID        int64     `json:"id"`
	Path      string    `json:"path"`
	IsDir     bool      `json:"is_dir"`
	Size      int64     `json:"size"`
	DeletedAt time.Time `json:"deleted_at"`
	PurgeAt   time.Time `json:"purge_at"`
}

func (h *handler) trashList(c *fiber.Ctx) error {
	_, g, err := h.grant(c, access.TrashRead)
	if err != nil {
		return err
	}
	items, err := h.Files.Trash(c.UserContext(), g.Group.ID)
	if err != nil {
		return err
	}
	out := make([]trashItem, len(items))
	for i, it := range items {
		out[i] = trashItem{ID: it.ID, Path: it.OriginalPath, IsDir: it.IsDir, Size: it.Size, DeletedAt: it.DeletedAt,
			PurgeAt: it.DeletedAt.Add(h.Files.Retention().Trash)}
	}
	return c.JSON(fiber.Map{"items": out, "trash_bytes": g.Group.TrashBytes})
}

func (h *handler) trashRestore(c *fiber.Ctx) error {
	p, g, err := h.grant(c, access.FilesRestore)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("id")
	if err != nil {
		return apiError(c, fiber.StatusNotFound, "not found")
	}
	var body struct {
		Dest string `json:"dest"`
	}
	if len(c.Body()) > 0 {
		if err := c.BodyParser(&body); err != nil {
			return apiError(c, fiber.StatusBadRequest, "invalid body")
		}
	}
	item, err := h.Files.Restore(c.UserContext(), g.Group.ID, int64(id), body.Dest)
	if err != nil {
		return err
	}
	dest := body.Dest
	if dest == "" {
		dest = item.OriginalPath
	}
	h.audit(c, access.Actor{Person: p}, "trash.restore", g.Group.Slug+" "+item.OriginalPath, dest)
	return c.JSON(fiber.Map{"restored": dest})
}

func (h *handler) trashPurge(c *fiber.Ctx) error {
	p, g, err := h.grant(c, access.TrashPurge)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("id")
	if err != nil {
		return apiError(c, fiber.StatusNotFound, "not found")
	}
	if err := h.Files.Purge(c.UserContext(), g.Group.ID, int64(id)); err != nil {
		return err
	}
	h.audit(c, access.Actor{Person: p}, "trash.purge", g.Group.Slug, c.Params("id"))
	return c.SendStatus(fiber.StatusNoContent)
}

// trashEmpty deletes the whole trash of a group: animators only, and it is audited.
func (h *handler) trashEmpty(c *fiber.Ctx) error {
	p, g, err := h.grant(c, access.TrashPurge)
	if err != nil {
		return err
	}
	n, err := h.Files.EmptyTrash(c.UserContext(), g.Group.ID)
	if err != nil {
		return err
	}
	h.audit(c, access.Actor{Person: p}, "trash.empty", g.Group.Slug, "")
	return c.JSON(fiber.Map{"purged": n})
}

// basicCredentials decodes an HTTP Basic value.
func basicCredentials(enc string) (string, string, bool) {
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", "", false
	}
	user, pass, ok := strings.Cut(string(b), ":")
	return user, pass, ok
}
