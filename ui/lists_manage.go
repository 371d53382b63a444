package ui

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/lists"
	"parvis/storage/db"
)

// A group's animators create its lists and set their rules: who they reach, who posts freely
// (everyone they reach, the animators, or named people such as an announcement list's president
// and IT lead), what becomes of everyone else's messages, and where replies go. They approve or
// reject the messages held for them. access decides and audits each of these.

// listForm is the form's fields with their defaults: a discussion list of the group's members.
func listForm(c *fiber.Ctx, l *db.List, named []string) map[string]string {
	f := map[string]string{"audience": "members", "posters": "audience", "others": "moderate", "reply_to": "list"}
	if l != nil {
		f = map[string]string{"address": l.Address, "name": l.Name, "description": l.Description, "audience": l.Audience,
			"posters": l.Posters, "others": l.Others, "reply_to": l.ReplyTo, "named": strings.Join(named, "\n")}
	}
	if c.Method() == fiber.MethodPost {
		for _, k := range []string{"address", "name", "description", "audience", "posters", "others", "reply_to", "named"} {
			f[k] = strings.TrimSpace(c.FormValue(k))
		}
	}
	return f
}

func (h *handler) renderListForm(c *fiber.Ctx, status int, p db.Person, g db.Group, l *db.List, form, errs map[string]string) error {
	choices := func(field string, values []string) []choice {
		out := make([]choice, len(values))
		for i, v := range values {
			out[i] = choice{Value: v, Label: "lists." + field + "." + v, Checked: form[field] == v}
		}
		return out
	}
	data := map[string]any{"Group": g, "Tab": "lists", "Domain": h.Lists.Domain(),
		"Audiences": choices("audience", access.ListAudiences), "Posters": choices("posters", access.ListPosters),
		"Others": choices("others", access.ListOthers), "ReplyTo": choices("reply_to", []string{"list", "author"})}
	title := "lists.new"
	if l != nil {
		data["List"], data["Href"], title = *l, listPath(g.Slug, l.Address), "lists.edit"
	}
	return h.render(c, status, "list_form.html", page{Title: title, Person: p, Form: form, Errors: errs, Data: data})
}

// listNew is the empty form, for the group's animators.
func (h *handler) listNew(c *fiber.Ctx) error {
	if err := h.listsOn(); err != nil {
		return err
	}
	p, g, err := h.groupPageFor(c, access.ListsManage)
	if err != nil {
		return err
	}
	return h.renderListForm(c, fiber.StatusOK, p, g.Group, nil, listForm(c, nil, nil), nil)
}

// newList reads the form as the access service takes it.
func newList(form map[string]string) access.NewList {
	return access.NewList{Address: form["address"], Name: form["name"], Description: form["description"], Audience: form["audience"],
		Posters: form["posters"], Others: form["others"], ReplyTo: form["reply_to"], Named: strings.Fields(strings.ReplaceAll(form["named"], ",", " "))}
}

// listFieldError is the message of a refusal the form can correct, "" for others.
func listFieldError(err error) (field, key string) {
	var fe *access.FieldError
	if !errors.As(err, &fe) {
		return "", ""
	}
	if fe.Field == "address" && errors.Is(err, db.ErrConflict) {
		return fe.Field, "lists.error.address.taken"
	}
	if errors.Is(err, access.ErrListAddressReserved) {
		return fe.Field, "lists.error.address.reserved"
	}
	return fe.Field, "lists.error." + fe.Field
}

// listCreate creates the list from the form; mistakes come back next to their field.
func (h *handler) listCreate(c *fiber.Ctx) error {
	if err := h.listsOn(); err != nil {
		return err
	}
	p, g, err := h.groupPageFor(c, access.ListsManage)
	if err != nil {
		return err
	}
	form := listForm(c, nil, nil)
	l, err := h.Access.CreateList(c.UserContext(), access.Actor{Person: p}, g.Group.Slug, newList(form))
	if field, key := listFieldError(err); field != "" {
		return h.renderListForm(c, fiber.StatusUnprocessableEntity, p, g.Group, nil, form, map[string]string{field: key})
	} else if err != nil {
		return err
	}
	return c.Redirect(listPath(g.Group.Slug, l.Address)+"?done=created", fiber.StatusSeeOther)
}

// managedList is the list a management page names, for those who manage it.
func (h *handler) managedList(c *fiber.Ctx) (db.Person, db.Group, db.List, error) {
	p, g, l, rights, err := h.listOfPage(c)
	if err == nil && !rights.Manage {
		err = access.ErrForbidden
	}
	return p, g, l, err
}

// listEdit is the form of an existing list.
func (h *handler) listEdit(c *fiber.Ctx) error {
	p, g, l, err := h.managedList(c)
	if err != nil {
		return err
	}
	posters, err := h.Lists.Posters(c.UserContext(), l)
	if err != nil {
		return err
	}
	named := make([]string, len(posters))
	for i, pp := range posters {
		named[i] = pp.Email
	}
	return h.renderListForm(c, fiber.StatusOK, p, g, &l, listForm(c, &l, named), nil)
}

// listUpdate changes the list's rules; its address stays, since copies and filters carry it.
func (h *handler) listUpdate(c *fiber.Ctx) error {
	p, g, l, err := h.managedList(c)
	if err != nil {
		return err
	}
	form := listForm(c, &l, nil)
	form["address"] = l.Address
	_, err = h.Access.UpdateList(c.UserContext(), access.Actor{Person: p}, g.Slug, l.ID, newList(form))
	if field, key := listFieldError(err); field != "" {
		return h.renderListForm(c, fiber.StatusUnprocessableEntity, p, g, &l, form, map[string]string{field: key})
	} else if err != nil {
		return err
	}
	return c.Redirect(listPath(g.Slug, l.Address)+"?done=updated", fiber.StatusSeeOther)
}

// listDelete removes the list and its archive.
func (h *handler) listDelete(c *fiber.Ctx) error {
	p, g, l, err := h.managedList(c)
	if err != nil {
		return err
	}
	if err := h.Access.DeleteList(c.UserContext(), access.Actor{Person: p}, g.Slug, l.ID); err != nil {
		return err
	}
	return c.Redirect("/groups/"+g.Slug+"/lists?done=deleted", fiber.StatusSeeOther)
}

// listHeld is the moderation queue: each held message whole, with its two buttons. The mail that
// tells moderators of a held message links here.
func (h *handler) listHeld(c *fiber.Ctx) error {
	p, g, l, rights, err := h.listOfPage(c)
	if err != nil {
		return err
	}
	if !rights.Moderate {
		return access.ErrForbidden
	}
	held, err := h.Lists.Held(c.UserContext(), p, l)
	if err != nil {
		return err
	}
	type row struct {
		ID                        int64
		Href, Subject, From, When string
		Text                      string
		Member                    bool // the sender has an account here
	}
	rows := make([]row, len(held))
	for i, m := range held {
		rows[i] = row{ID: m.ID, Href: listPath(g.Slug, l.Address) + "/messages/" + strconv.FormatInt(m.ID, 10), Subject: m.Subject,
			From: senderName(m) + " <" + m.Sender + ">", When: h.momentOf(c, m.ReceivedAt), Text: m.Text, Member: m.AuthorID != 0}
	}
	return h.render(c, fiber.StatusOK, "list_held.html", page{Title: "lists.held", Person: p,
		Data: map[string]any{"Group": g, "Tab": "lists", "List": l, "Href": listPath(g.Slug, l.Address), "Held": rows,
			"Done": listsDone[c.Query("done")]}})
}

// listDecide approves or rejects a held message. A message another moderator decided first is
// said so, not decided twice.
func (h *handler) listDecide(c *fiber.Ctx) error {
	p, g, l, _, err := h.listOfPage(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	decision := c.Params("decision")
	if decision != "approve" && decision != "reject" {
		return fiber.ErrNotFound
	}
	done := map[string]string{"approve": "approved", "reject": "rejected"}[decision]
	if _, err := h.Lists.Decide(c.UserContext(), p, l, id, decision == "approve"); errors.Is(err, lists.ErrDecided) {
		done = "decided"
	} else if err != nil {
		return err
	}
	return c.Redirect(listPath(g.Slug, l.Address)+"/held?done="+done, fiber.StatusSeeOther)
}
