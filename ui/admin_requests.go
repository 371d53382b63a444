package ui

import (
	"github.com/gofiber/fiber/v2"
)

// requestRow is a validated request waiting for an administrator.
type requestRow struct {
	ID                             int64
	Email, Group, Message, Created string
	Error                          string // message key of a refused activation
}

// adminRequests shows the activation queue.
func (h *handler) adminRequests(c *fiber.Ctx) error {
	return h.requestsPage(c, fiber.StatusOK, 0, "")
}

// requestsPage renders the queue; failedID's line shows errKey (no dues this year…).
func (h *handler) requestsPage(c *fiber.Ctx, status int, failedID int64, errKey string) error {
	ctx := c.UserContext()
	reqs, err := h.Access.ActivationQueue(ctx)
	if err != nil {
		return err
	}
	groups, err := h.Access.GroupsOverview(ctx, adminActor(c))
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, g := range groups {
		names[g.ID] = g.Name
	}
	rows := make([]requestRow, 0, len(reqs))
	for _, r := range reqs {
		row := requestRow{ID: r.ID, Group: names[r.GroupID], Message: r.Message, Created: h.dateOf(c, r.CreatedAt)}
		if p, err := h.Access.PersonByID(ctx, r.PersonID); err == nil {
			row.Email = p.Email
		}
		if r.ID == failedID {
			row.Error = errKey
		}
		rows = append(rows, row)
	}
	return h.adminPage(c, status, "admin_requests.html", "admin.requests.title", map[string]any{"Requests": rows, "Done": notice(c)}, nil, nil)
}

// adminRequestActivate activates a validated request; a refusal is shown on its line.
func (h *handler) adminRequestActivate(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	_, err = h.Access.Activate(c.UserContext(), adminActor(c), int64(id))
	if key, ok := adminErrorKey(err); ok {
		return h.requestsPage(c, fiber.StatusConflict, int64(id), key)
	} else if err != nil {
		return err
	}
	return c.Redirect("/admin/requests?done=activated", fiber.StatusSeeOther)
}
