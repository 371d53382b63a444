package ui

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// The actions of the people page: each one is a form that comes back to the page, with a
// confirmation, or the page again with the error next to the field.

// peopleDecide validates or refuses a pending request of the group (animators).
func (h *handler) peopleDecide(c *fiber.Ctx) error {
	p, g, err := h.peopleAction(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	pending, err := h.Access.GroupRequests(c.UserContext(), g.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(pending, func(r db.AccessRequest) bool { return r.ID == id }) {
		return fiber.ErrNotFound // another group's request, or one already answered
	}
	accept, reason := c.FormValue("decision") == "accept", c.FormValue("reason")
	if !accept && reason == "" {
		return h.renderPeople(c, fiber.StatusUnprocessableEntity, p, peopleView{
			Errors: map[string]string{"reason-" + c.Params("id"): "people.reason.required"}})
	}
	_, err = h.Access.Decide(c.UserContext(), access.Actor{Person: p}, id, accept, reason)
	if err != nil {
		return err
	}
	return h.backToPeople(c, g, "decided")
}

// peopleInvite adds a person by e-mail with a role (and a guest's end of access), creating the
// account if needed. A new account gets a set-password link by mail, or the link is shown to hand
// over in person: when an administrator says the person has no mail of their own, or when the
// server sends no mail at all.
func (h *handler) peopleInvite(c *fiber.Ctx) error {
	p, g, err := h.peopleAction(c)
	if err != nil {
		return err
	}
	form := map[string]string{"email": c.FormValue("email"), "name": c.FormValue("name"), "role": c.FormValue("role"), "expires": c.FormValue("expires")}
	fail := func(field, key string) error {
		return h.renderPeople(c, fiber.StatusUnprocessableEntity, p, peopleView{Errors: map[string]string{field: key}, Form: form})
	}
	role, err := access.ParseRole(form["role"])
	if err != nil {
		return fail("role", "people.role.invalid")
	}
	expires, err := h.parseExpiry(form["expires"])
	if err != nil {
		return fail("expires", "people.expires.invalid")
	}
	inv, err := h.Access.Invite(c.UserContext(), access.Actor{Person: p}, g.Slug, access.Invitee{Email: form["email"],
		Name: form["name"], Role: role, Expires: expires, Handover: c.FormValue("handover") != "", Unsent: !h.Mail.Sends()})
	var field *access.FieldError
	switch {
	case errors.As(err, &field) && field.Field == "expires":
		return fail("expires", "people.expires.invalid")
	case errors.Is(err, access.ErrExists):
		return fail("email", "people.invite.already")
	case errors.Is(err, access.ErrInvalid):
		return fail("email", "field.email.invalid")
	case err != nil:
		return err
	}
	if inv.Link != "" {
		return h.renderPeople(c, fiber.StatusOK, p, peopleView{Handover: h.PublicURL + "/password/" + inv.Link})
	}
	switch {
	case !inv.Mailed:
		return h.backToPeople(c, g, "invited")
	case !h.Mail.Sends():
		return h.backToPeople(c, g, "unsent") // the link waits in the outbox, for an administrator to hand over
	}
	return h.backToPeople(c, g, "mailed")
}

// peopleChange changes a person's role and a guest's end of access.
func (h *handler) peopleChange(c *fiber.Ctx) error {
	p, g, err := h.peopleAction(c)
	if err != nil {
		return err
	}
	who, err := h.member(c, g)
	if err != nil {
		return err
	}
	field := "change-" + c.Params("pid")
	role, err := access.ParseRole(c.FormValue("role"))
	if err != nil {
		return h.renderPeople(c, fiber.StatusUnprocessableEntity, p, peopleView{Errors: map[string]string{field: "people.role.invalid"}})
	}
	expires, err := h.parseExpiry(c.FormValue("expires"))
	if err != nil {
		return h.renderPeople(c, fiber.StatusUnprocessableEntity, p, peopleView{Errors: map[string]string{field: "people.expires.invalid"}})
	}
	err = h.Access.Grant(c.UserContext(), access.Actor{Person: p}, g.Slug, who.Email, role, expires)
	return h.peopleResult(c, p, g, field, err, "changed")
}

// peopleRemove takes a person out of the group; the last animator stays.
func (h *handler) peopleRemove(c *fiber.Ctx) error {
	p, g, err := h.peopleAction(c)
	if err != nil {
		return err
	}
	who, err := h.member(c, g)
	if err != nil {
		return err
	}
	err = h.Access.Remove(c.UserContext(), access.Actor{Person: p}, g.Slug, who.Email)
	return h.peopleResult(c, p, g, "change-"+c.Params("pid"), err, "removed")
}

// peopleResult answers a change of role or a removal: the confirmation, or the refusal next to the
// person's line.
func (h *handler) peopleResult(c *fiber.Ctx, p db.Person, g db.Group, field string, err error, done string) error {
	switch {
	case err == nil:
		return h.backToPeople(c, g, done)
	case errors.Is(err, access.ErrLastKeyRole):
		return h.renderPeople(c, fiber.StatusConflict, p, peopleView{Errors: map[string]string{field: "people.last.animator"}})
	case errors.Is(err, access.ErrInvalid):
		return fiber.ErrNotFound
	}
	return err
}

// peopleAction returns the person acting and the group, refusing those who may not manage it:
// 404 to outsiders, 403 to its members.
func (h *handler) peopleAction(c *fiber.Ctx) (db.Person, db.Group, error) {
	p, ok := h.person(c)
	if !ok {
		return p, db.Group{}, errSignedOut
	}
	g, manage, err := h.Access.PeopleAccess(c.UserContext(), p, c.Params("slug"))
	if err == nil && !manage {
		err = fiber.ErrForbidden
	}
	return p, g, err
}

// member returns the person of the URL (:pid), who must be in the group.
func (h *handler) member(c *fiber.Ctx, g db.Group) (db.Person, error) {
	id, err := strconv.ParseInt(c.Params("pid"), 10, 64)
	if err != nil {
		return db.Person{}, fiber.ErrNotFound
	}
	ms, err := h.Access.Members(c.UserContext(), g.ID)
	if err != nil {
		return db.Person{}, err
	}
	for _, m := range ms {
		if m.Person.ID == id {
			return m.Person, nil
		}
	}
	return db.Person{}, fiber.ErrNotFound
}

func (h *handler) backToPeople(c *fiber.Ctx, g db.Group, done string) error {
	return c.Redirect("/groups/"+g.Slug+"/people?done="+done, fiber.StatusSeeOther)
}
