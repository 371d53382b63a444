package ui

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/files"
	"parvis/lists"
	"parvis/locale"
	"parvis/storage/db"
)

// A group's mailing lists: the index of its lists, each list's page (its archive, searchable, the
// form that posts to it from the page, how one receives it), a message with its attachments.
// Who reads, posts, moderates and manages a list is access's answer (lists.Service.Find); these
// pages only show it. A list's page answers whoever its audience reaches, even from another
// group (a list to every member of the association).

// listsDone are the confirmations a list's redirect may ask for.
var listsDone = map[string]string{"posted": "lists.done.posted", "held": "lists.done.held", "mode": "lists.done.mode",
	"created": "lists.done.created", "updated": "lists.done.updated", "approved": "lists.done.approved",
	"rejected": "lists.done.rejected", "deleted": "lists.done.deleted", "decided": "lists.done.decided"}

// listsOn refuses the lists' pages when the instance has no lists domain.
func (h *handler) listsOn() error {
	if h.Lists == nil || !h.Lists.Enabled() {
		return fiber.ErrNotFound
	}
	return nil
}

// listRow is a list as the index shows it.
type listRow struct {
	Href, Name, Description, Email string
	Audience, Posters              string // message keys
	Held                           int    // messages waiting, for its moderators
	Group                          string // another group's name, for the association's lists
}

// listSection is a heading of the index and its lists.
type listSection struct {
	Title string
	Rows  []listRow
}

// listsPage is a group's lists, then those of other groups that reach every member.
func (h *handler) listsPage(c *fiber.Ctx) error {
	if err := h.listsOn(); err != nil {
		return err
	}
	p, g, err := h.groupPageFor(c, access.ListsRead)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	own, rights, err := h.Access.ListsOf(ctx, p, g.Group.ID)
	if err != nil {
		return err
	}
	rows := make([]listRow, len(own))
	for i, l := range own {
		if rows[i], err = h.listRow(c, g.Group, l, rights[i]); err != nil {
			return err
		}
	}
	wide, wideRights, err := h.Access.ListsOf(ctx, p, 0)
	if err != nil {
		return err
	}
	var others []listRow
	for i, l := range wide {
		if l.GroupID == g.Group.ID {
			continue
		}
		lg, err := h.Lists.Group(ctx, l)
		if err != nil {
			return err
		}
		row, err := h.listRow(c, lg, l, wideRights[i])
		if err != nil {
			return err
		}
		row.Group = lg.Name
		others = append(others, row)
	}
	return h.render(c, fiber.StatusOK, "lists.html", page{Title: "lists.title", Person: p,
		Data: map[string]any{"Group": g.Group, "Tab": "lists",
			"Sections":  []listSection{{"lists.list", rows}, {"lists.wide", others}},
			"CanCreate": g.Allows(access.ListsManage, ""), "Domain": h.Lists.Domain(), "Done": listsDone[c.Query("done")]}})
}

func (h *handler) listRow(c *fiber.Ctx, g db.Group, l db.List, rights access.ListRights) (listRow, error) {
	row := listRow{Href: listPath(g.Slug, l.Address), Name: l.Name, Description: l.Description, Email: h.Lists.Address(l),
		Audience: "lists.audience." + l.Audience, Posters: "lists.posters." + l.Posters}
	if rights.Moderate {
		held, err := h.Lists.Held(c.UserContext(), h.mustPerson(c), l)
		if err != nil {
			return row, err
		}
		row.Held = len(held)
	}
	return row, nil
}

// mustPerson is the signed-in person of a page that already checked there is one.
func (h *handler) mustPerson(c *fiber.Ctx) db.Person {
	p, _ := h.person(c)
	return p
}

func listPath(slug, address string) string {
	return "/groups/" + url.PathEscape(slug) + "/lists/" + url.PathEscape(address)
}

// listOfPage is the list a page names, with what the signed-in person may do with it.
func (h *handler) listOfPage(c *fiber.Ctx) (db.Person, db.Group, db.List, access.ListRights, error) {
	if err := h.listsOn(); err != nil {
		return db.Person{}, db.Group{}, db.List{}, access.ListRights{}, err
	}
	p, ok := h.person(c)
	if !ok {
		return p, db.Group{}, db.List{}, access.ListRights{}, errSignedOut
	}
	g, l, rights, err := h.Lists.Find(c.UserContext(), p, c.Params("slug"), c.Params("address"))
	return p, g, l, rights, err
}

// listPage is a list's archive, newest first (or the messages matching the search), with the form
// that posts to it and the choice of how to receive it.
func (h *handler) listPage(c *fiber.Ctx) error {
	p, g, l, rights, err := h.listOfPage(c)
	if err != nil {
		return err
	}
	return h.renderList(c, fiber.StatusOK, p, g, l, rights, nil, nil)
}

func (h *handler) renderList(c *fiber.Ctx, status int, p db.Person, g db.Group, l db.List, rights access.ListRights, form, errs map[string]string) error {
	ctx := c.UserContext()
	q := strings.TrimSpace(c.Query("q"))
	msgs, err := h.Lists.Messages(ctx, p, l, q, 200)
	if err != nil {
		return err
	}
	type msgRow struct{ Href, Subject, From, When string }
	rows := make([]msgRow, len(msgs))
	for i, m := range msgs {
		rows[i] = msgRow{Href: listPath(g.Slug, l.Address) + "/messages/" + strconv.FormatInt(m.ID, 10), Subject: m.Subject,
			From: senderName(m), When: h.momentOf(c, m.ReceivedAt)}
	}
	mode, err := h.Lists.Mode(ctx, p, l)
	if err != nil {
		return err
	}
	reach, err := h.Lists.Reach(ctx, l)
	if err != nil {
		return err
	}
	held := 0
	if rights.Moderate {
		hm, err := h.Lists.Held(ctx, p, l)
		if err != nil {
			return err
		}
		held = len(hm)
	}
	_, outside := h.Access.GroupAccess(ctx, p, g.Slug)
	return h.render(c, status, "list.html", page{Title: "lists.title", Person: p, Form: form, Errors: errs,
		Data: map[string]any{"Group": g, "Tab": "lists", "Outsider": outside != nil, "List": l, "Email": h.Lists.Address(l),
			"Href": listPath(g.Slug, l.Address), "Rights": rights, "Moderated": rights.Rule == access.PostModerated,
			"Messages": rows, "Query": q, "Mode": mode, "Modes": lists.Modes, "Reach": reach, "Held": held,
			"NoEmail": p.Email == "", "Done": listsDone[c.Query("done")]}})
}

// senderName is who sent a message, as people name them.
func senderName(m db.ListMessage) string {
	if m.SenderName != "" {
		return m.SenderName
	}
	return m.Sender
}

// listPost posts to the list from the page: held for the moderators or distributed, as a mail
// from the same person would be.
func (h *handler) listPost(c *fiber.Ctx) error {
	p, g, l, rights, err := h.listOfPage(c)
	if err != nil {
		return err
	}
	form := map[string]string{"subject": strings.TrimSpace(c.FormValue("subject")), "text": c.FormValue("text")}
	errs := map[string]string{}
	for _, k := range []string{"subject", "text"} {
		if strings.TrimSpace(form[k]) == "" {
			errs[k] = "lists.error." + k
		}
	}
	if len(errs) > 0 {
		return h.renderList(c, fiber.StatusUnprocessableEntity, p, g, l, rights, form, errs)
	}
	got, err := h.Lists.Post(c.UserContext(), p, l, form["subject"], form["text"])
	switch {
	case errors.Is(err, lists.ErrNotAllowed):
		return access.ErrForbidden
	case errors.Is(err, lists.ErrTooBig):
		return h.renderList(c, fiber.StatusRequestEntityTooLarge, p, g, l, rights, form, map[string]string{"text": "lists.error.toobig"})
	case errors.Is(err, lists.ErrTooMany):
		return h.renderList(c, fiber.StatusTooManyRequests, p, g, l, rights, form, map[string]string{"text": "lists.error.toomany"})
	case err != nil:
		return err
	}
	done := "posted"
	if got.Rule == access.PostModerated {
		done = "held"
	}
	return c.Redirect(listPath(g.Slug, l.Address)+"?done="+done, fiber.StatusSeeOther)
}

// listMode records how the person receives the list: every message, a daily digest, or none.
func (h *handler) listMode(c *fiber.Ctx) error {
	p, g, l, _, err := h.listOfPage(c)
	if err != nil {
		return err
	}
	mode := c.FormValue("mode")
	if !slices.Contains(lists.Modes, mode) {
		return fiber.ErrBadRequest
	}
	if err := h.Lists.SetMode(c.UserContext(), p, l, mode); err != nil {
		return err
	}
	return c.Redirect(listPath(g.Slug, l.Address)+"?done=mode", fiber.StatusSeeOther)
}

// listMessage shows one message of the archive with its attachments (a moderator reads a held
// one too, from the moderation page).
func (h *handler) listMessage(c *fiber.Ctx) error {
	p, g, l, rights, err := h.listOfPage(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	m, err := h.Lists.Read(c.UserContext(), p, l, id)
	if err != nil {
		return err
	}
	lang := pageLanguage(c)
	type att struct{ Href, Name, Size string }
	atts := make([]att, len(m.Attachments))
	for i, a := range m.Attachments {
		atts[i] = att{Href: listPath(g.Slug, l.Address) + "/messages/" + c.Params("id") + "/attachments/" + strconv.Itoa(a.Index),
			Name: a.Name, Size: locale.Bytes(lang, a.Size)}
	}
	_, outside := h.Access.GroupAccess(c.UserContext(), p, g.Slug)
	return h.render(c, fiber.StatusOK, "list_message.html", page{Title: "lists.title", Person: p,
		Data: map[string]any{"Group": g, "Tab": "lists", "Outsider": outside != nil, "List": l, "Href": listPath(g.Slug, l.Address),
			"Message": m, "From": senderName(m.ListMessage), "When": h.momentOf(c, m.Date), "Attachments": atts,
			"Held": m.Status == db.MessageHeld && rights.Moderate}})
}

// listAttachment downloads an attachment of a message, never shown in our origin.
func (h *handler) listAttachment(c *fiber.Ctx) error {
	p, _, l, _, err := h.listOfPage(c)
	if err != nil {
		return err
	}
	id, err1 := strconv.ParseInt(c.Params("id"), 10, 64)
	n, err2 := strconv.Atoi(c.Params("n"))
	if err1 != nil || err2 != nil {
		return fiber.ErrNotFound
	}
	a, body, err := h.Lists.AttachmentOf(c.UserContext(), p, l, id, n)
	if err != nil {
		return err
	}
	ctype := a.Type
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	c.Set("Content-Type", ctype)
	c.Set("Content-Disposition", files.Attachment(a.Name))
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Content-Security-Policy", "sandbox")
	return c.Send(body)
}
