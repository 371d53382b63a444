package ui

import (
	"github.com/gofiber/fiber/v2"
)

// adminDashboard shows the instance at a glance: the first steps while some remain, the figures,
// what waits for an administrator, and the key roles resting on fewer than two people (the same
// list as `parvis admin check`).
func (h *handler) adminDashboard(c *fiber.Ctx) error {
	counts, err := h.Access.Counts(c.UserContext(), adminActor(c))
	if err != nil {
		return err
	}
	roles, err := h.Access.KeyRoles(c.UserContext())
	if err != nil {
		return err
	}
	steps := h.firstSteps(c, counts, roles)
	data := map[string]any{"Counts": counts, "KeyRoles": roles}
	if !allDone(steps) {
		data["FirstSteps"] = steps
	}
	return h.adminPage(c, fiber.StatusOK, "admin_dashboard.html", "admin.title", data, nil, nil)
}
