package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// groupLine is a group of the instance as the list of groups shows it to one person.
type groupLine struct {
	Group   db.Group
	Role    string // "role.…" when the person is in it
	Pending bool   // the person's request waits for an answer
	Joining access.Joining
}

// groupsPage lists the instance's groups: those the person is in, and the others with a form to
// ask to join; then the person's requests and where each stands.
func (h *handler) groupsPage(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return errSignedOut
	}
	return h.renderGroups(c, fiber.StatusOK, p, nil, map[string]string{"asked": "groups.asked", "asked-noanimator": "groups.asked.noanimator"}[c.Query("done")])
}

func (h *handler) renderGroups(c *fiber.Ctx, status int, p db.Person, errs map[string]string, asked string) error {
	ctx := c.UserContext()
	all, err := h.Access.AllGroups(ctx)
	if err != nil {
		return err
	}
	mine, err := h.Access.Groups(ctx, p)
	if err != nil {
		return err
	}
	reqs, err := h.Access.MyRequests(ctx, p)
	if err != nil {
		return err
	}
	roles := map[int64]string{}
	for _, g := range mine {
		roles[g.Group.ID] = "role." + string(g.Role)
	}
	pending, names := map[int64]bool{}, map[int64]string{}
	for _, g := range all {
		names[g.ID] = g.Name
	}
	for _, r := range reqs {
		pending[r.GroupID] = pending[r.GroupID] || r.Status == db.RequestPending || r.Status == db.RequestValidated
	}
	lines := make([]groupLine, len(all))
	for i, g := range all {
		lines[i] = groupLine{Group: g, Role: roles[g.ID], Pending: pending[g.ID]}
		if lines[i].Joining, err = h.Access.JoiningOf(ctx, g); err != nil {
			return err
		}
	}
	return h.render(c, status, "groups.html", page{Title: "groups.title", Person: p, Errors: errs,
		Data: map[string]any{"Groups": lines, "Requests": reqs, "Names": names, "Asked": asked}})
}

// groupJoin asks to join a group, with a message for its animators, who are told by mail.
func (h *handler) groupJoin(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return errSignedOut
	}
	slug, message := c.Params("slug"), c.FormValue("message")
	_, err := h.Access.Request(c.UserContext(), p, slug, message)
	switch {
	case err == nil:
	case errors.Is(err, access.ErrExists):
		return h.renderGroups(c, fiber.StatusConflict, p, map[string]string{"join-" + slug: "groups.already"}, "")
	default:
		return err
	}
	if animated, err := h.Access.Animated(c.UserContext(), slug); err != nil {
		return err
	} else if !animated {
		return c.Redirect("/groups?done=asked-noanimator", fiber.StatusSeeOther)
	}
	return c.Redirect("/groups?done=asked", fiber.StatusSeeOther)
}
