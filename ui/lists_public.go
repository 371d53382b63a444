package ui

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"parvis/lists"
)

// The unsubscribe link every copy of a list carries (List-Unsubscribe), signed out. Opening it
// only asks (mail scanners open links); the button, or a mail client's one-click POST (RFC 8058),
// mutes the list for its person. Muting keeps the archive: the list follows membership, so
// leaving it for good is leaving the group.

func (h *handler) unsubscribePage(c *fiber.Ctx) error {
	if err := h.listsOn(); err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusOK, "unsubscribe.html", page{Title: "lists.unsubscribe.title",
		Data: map[string]any{"Token": c.Params("token")}})
}

// unsubscribe mutes the list; the form needs no CSRF token (mail clients post without a page),
// the token itself is the proof.
func (h *handler) unsubscribe(c *fiber.Ctx) error {
	if err := h.listsOn(); err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	l, err := h.Lists.Unsubscribe(c.UserContext(), c.Params("token"))
	if errors.Is(err, lists.ErrBadToken) {
		return h.render(c, fiber.StatusNotFound, "unsubscribe.html", page{Title: "lists.unsubscribe.title",
			Data: map[string]any{"Bad": true}})
	} else if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "unsubscribe.html", page{Title: "lists.unsubscribe.title",
		Data: map[string]any{"Done": true, "Name": l.Name, "Email": h.Lists.Address(l)}})
}

// adminBounces lists the addresses the lists found wrong, for administrators to correct.
func (h *handler) adminBounces(c *fiber.Ctx) error {
	bounces, err := h.Access.Bounces(c.UserContext(), adminActor(c))
	if err != nil {
		return err
	}
	type row struct {
		ID                        int64
		Name, Email, When, Reason string
		Count                     int
	}
	rows := make([]row, len(bounces))
	for i, b := range bounces {
		rows[i] = row{ID: b.Person.ID, Name: b.Person.DisplayName(), Email: b.Person.Email, When: h.momentOf(c, b.At),
			Reason: b.Reason, Count: b.Count}
	}
	return h.adminPage(c, fiber.StatusOK, "admin_bounces.html", "bounces.title",
		map[string]any{"Bounces": rows, "Done": notice(c)}, nil, nil)
}

// adminBounceClear clears a person's bounce flag, audited.
func (h *handler) adminBounceClear(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := h.Access.ClearBounce(c.UserContext(), adminActor(c), id); err != nil {
		return err
	}
	return c.Redirect("/admin/bounces?done=bounce", fiber.StatusSeeOther)
}
