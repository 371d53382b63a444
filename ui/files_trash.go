package ui

import (
	"parvis/access"
	"parvis/locale"

	"github.com/gofiber/fiber/v2"
)

// trashLine is a deleted file or folder on the trash page.
type trashLine struct {
	ID                            int64
	Path, Size, Deleted, By, Ends string
	IsDir                         bool
}

// trashPage lists what was deleted in a group, where it was, when and by whom, and until when it can
// be restored. Restoring (members) and emptying (animators) go from the page's script to the JSON API.
func (h *handler) trashPage(c *fiber.Ctx) error {
	p, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	if err := g.Allow(access.TrashRead, ""); err != nil {
		return err
	}
	items, err := h.Files.Trash(c.UserContext(), g.Group.ID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	lines := make([]trashLine, len(items))
	for i, it := range items {
		if _, ok := names[it.DeletedBy]; !ok && it.DeletedBy != 0 {
			if who, err := h.Access.PersonByID(c.UserContext(), it.DeletedBy); err == nil {
				names[it.DeletedBy] = who.Email
			}
		}
		lines[i] = trashLine{ID: it.ID, Path: it.OriginalPath, IsDir: it.IsDir, Size: locale.Bytes(pageLanguage(c), it.Size),
			Deleted: h.momentOf(c, it.DeletedAt), By: names[it.DeletedBy],
			Ends: h.dateOf(c, it.DeletedAt.Add(h.Files.Retention().Trash))}
	}
	return h.render(c, fiber.StatusOK, "trash.html", page{Title: "trash.title", Person: p, Data: map[string]any{
		"Group": g.Group, "Tab": "files", "Items": lines, "Manager": g.Allows(access.TrashPurge, ""), "Files": folderHref(g.Group.Slug, "/")}})
}
