package ui

import (
	"github.com/gofiber/fiber/v2"

	"parvis/storage/db"
)

// erasureRow is a request to be erased.
type erasureRow struct {
	ID                   int64
	Email, Created, Done string
}

// adminErasure lists the erasure requests, waiting ones first.
func (h *handler) adminErasure(c *fiber.Ctx) error {
	reqs, err := h.Access.ErasureRequests(c.UserContext(), adminActor(c))
	if err != nil {
		return err
	}
	rows := make([]erasureRow, len(reqs))
	for i, r := range reqs {
		rows[i] = erasureRow{ID: r.ID, Email: r.Email, Created: h.dateOf(c, r.CreatedAt), Done: h.dateOf(c, r.DoneAt)}
	}
	return h.adminPage(c, fiber.StatusOK, "admin_erasure.html", "admin.erasure.title", map[string]any{"Requests": rows, "Done": notice(c)}, nil, nil)
}

// erasureOf finds the waiting request of the URL's :id; 404 when there is none.
func (h *handler) erasureOf(c *fiber.Ctx) (db.ErasureRequest, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return db.ErasureRequest{}, fiber.ErrNotFound
	}
	reqs, err := h.Access.ErasureRequests(c.UserContext(), adminActor(c))
	if err != nil {
		return db.ErasureRequest{}, err
	}
	for _, r := range reqs {
		if r.ID == int64(id) && r.DoneAt.IsZero() {
			return r, nil
		}
	}
	return db.ErasureRequest{}, fiber.ErrNotFound
}

// adminErasureConfirm asks for confirmation: erasing cannot be undone.
func (h *handler) adminErasureConfirm(c *fiber.Ctx) error {
	r, err := h.erasureOf(c)
	if err != nil {
		return err
	}
	return h.adminPage(c, fiber.StatusOK, "admin_erasure_confirm.html", "admin.erasure.confirm", r, nil, nil)
}

// adminErasureDo erases the person; a refusal (last administrator, a group's last animator) is
// shown on the confirmation page.
func (h *handler) adminErasureDo(c *fiber.Ctx) error {
	r, err := h.erasureOf(c)
	if err != nil {
		return err
	}
	err = h.Access.ErasePerson(c.UserContext(), adminActor(c), r.Email)
	if key, ok := adminErrorKey(err); ok {
		return h.adminPage(c, fiber.StatusConflict, "admin_erasure_confirm.html", "admin.erasure.confirm", r, map[string]string{"form": key}, nil)
	} else if err != nil {
		return err
	}
	return c.Redirect("/admin/erasure?done=erased", fiber.StatusSeeOther)
}
