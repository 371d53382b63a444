package ui

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// linksPage shows a group's bookmarks, with the form to add one for those who may write.
func (h *handler) linksPage(c *fiber.Ctx) error {
	p, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	return h.renderLinks(c, fiber.StatusOK, p, g, nil, nil)
}

func (h *handler) renderLinks(c *fiber.Ctx, status int, p db.Person, g access.Grant, errs, form map[string]string) error {
	links, err := h.Access.Links(c.UserContext(), g)
	if err != nil {
		return err
	}
	return h.render(c, status, "links.html", page{Title: "links.title", Person: p, Errors: errs, Form: form,
		Data: map[string]any{"Group": g.Group, "Tab": "links", "Writable": g.Allows(access.LinksWrite, ""), "Links": links}})
}

// linkEdit shows the form that changes one bookmark.
func (h *handler) linkEdit(c *fiber.Ctx) error {
	p, g, err := h.groupPageFor(c, access.LinksWrite)
	if err != nil {
		return err
	}
	l, err := h.findLink(c, g)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "link_edit.html", page{Title: "links.edit", Person: p,
		Form: map[string]string{"title": l.Title, "url": l.URL, "note": l.Note},
		Data: map[string]any{"Group": g.Group, "Tab": "links", "Link": l}})
}

// linkSave adds a bookmark (POST …/links) or changes one (POST …/links/ID).
func (h *handler) linkSave(c *fiber.Ctx) error {
	p, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	l := db.Link{Title: c.FormValue("title"), URL: c.FormValue("url"), Note: c.FormValue("note")}
	if c.Params("id") != "" {
		if l.ID, err = strconv.ParseInt(c.Params("id"), 10, 64); err != nil {
			return fiber.ErrNotFound
		}
	}
	_, err = h.Access.SaveLink(c.UserContext(), access.Actor{Person: p}, g, l)
	key := ""
	switch {
	case errors.Is(err, access.ErrLinkURL):
		key = "links.url.invalid"
	case errors.Is(err, access.ErrLinkLong):
		key = "links.too.long"
	case err != nil:
		return err
	}
	if key != "" {
		form := map[string]string{"title": l.Title, "url": l.URL, "note": l.Note}
		errs := map[string]string{"url": key}
		if l.ID != 0 {
			return h.render(c, fiber.StatusUnprocessableEntity, "link_edit.html", page{Title: "links.edit", Person: p, Form: form, Errors: errs,
				Data: map[string]any{"Group": g.Group, "Tab": "links", "Link": l}})
		}
		return h.renderLinks(c, fiber.StatusUnprocessableEntity, p, g, errs, form)
	}
	return c.Redirect("/groups/"+g.Group.Slug+"/links", fiber.StatusSeeOther)
}

// linkDelete removes a bookmark.
func (h *handler) linkDelete(c *fiber.Ctx) error {
	p, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := h.Access.DeleteLink(c.UserContext(), access.Actor{Person: p}, g, id); err != nil {
		return err
	}
	return c.Redirect("/groups/"+g.Group.Slug+"/links", fiber.StatusSeeOther)
}

// findLink returns the bookmark of the URL's id in the group of g.
func (h *handler) findLink(c *fiber.Ctx, g access.Grant) (db.Link, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return db.Link{}, fiber.ErrNotFound
	}
	links, err := h.Access.Links(c.UserContext(), g)
	if err != nil {
		return db.Link{}, fiber.ErrNotFound
	}
	for _, l := range links {
		if l.ID == id {
			return l, nil
		}
	}
	return db.Link{}, fiber.ErrNotFound
}
