package ui

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/locale"
)

// groupRow is a line of the groups list.
type groupRow struct {
	Slug, Name, Animators, Used, Quota, QuotaInput string
	Members, Percent                               int
	Requires                                       bool
}

// adminGroups lists the groups with their members, animators, quota and usage, and the forms to
// create one, set a quota and say whether joining needs membership.
func (h *handler) adminGroups(c *fiber.Ctx) error {
	return h.adminGroupsPage(c, fiber.StatusOK, nil, nil)
}

func (h *handler) adminGroupsPage(c *fiber.Ctx, status int, errs, form map[string]string) error {
	groups, err := h.Access.GroupsOverview(c.UserContext(), adminActor(c))
	if err != nil {
		return err
	}
	lang := pageLanguage(c)
	rows := make([]groupRow, len(groups))
	for i, g := range groups {
		rows[i] = groupRow{Slug: g.Slug, Name: g.Name, Animators: strings.Join(g.Animators, ", "), Members: g.Members,
			Used: locale.Bytes(lang, g.UsedBytes), Requires: g.RequiresMembership}
		if g.QuotaBytes > 0 {
			rows[i].Quota, rows[i].QuotaInput = locale.Bytes(lang, g.QuotaBytes), locale.Bytes(lang, g.QuotaBytes)
			rows[i].Percent = int(min(100, g.UsedBytes*100/g.QuotaBytes))
		}
	}
	if form == nil {
		form = map[string]string{}
	}
	return h.adminPage(c, status, "admin_groups.html", "admin.groups.title", map[string]any{"Groups": rows, "Done": notice(c)}, errs, form)
}

// adminGroupCreate creates a group, open (validation alone) when the box is ticked.
func (h *handler) adminGroupCreate(c *fiber.Ctx) error {
	slug, name := strings.TrimSpace(c.FormValue("slug")), c.FormValue("name")
	var opts []access.GroupOption
	if c.FormValue("open") == "1" {
		opts = append(opts, access.Open())
	}
	_, err := h.Access.CreateGroup(c.UserContext(), adminActor(c), slug, name, opts...)
	if key, ok := adminErrorKey(err); ok {
		if key == "admin.error.invalid" {
			key = "admin.error.slug"
		}
		return h.adminGroupsPage(c, fiber.StatusUnprocessableEntity, map[string]string{"slug": key}, map[string]string{"slug": slug, "name": name})
	} else if err != nil {
		return err
	}
	return c.Redirect("/admin/groups?done=group", fiber.StatusSeeOther)
}

// adminGroupQuota sets a group's quota from a size like "20 GB" (0 or empty: none).
func (h *handler) adminGroupQuota(c *fiber.Ctx) error {
	text := strings.TrimSpace(c.FormValue("quota"))
	if text == "" {
		text = "0"
	}
	bytes, err := locale.ParseBytes(text)
	if err == nil {
		err = h.Access.SetQuota(c.UserContext(), adminActor(c), c.Params("slug"), int64(bytes))
	} else {
		err = access.ErrInvalid
	}
	if key, ok := adminErrorKey(err); ok {
		if key == "admin.error.invalid" {
			key = "admin.error.quota"
		}
		return h.adminGroupsPage(c, fiber.StatusUnprocessableEntity, map[string]string{"quota-" + c.Params("slug"): key}, nil)
	} else if err != nil {
		return err
	}
	return c.Redirect("/admin/groups?done=quota", fiber.StatusSeeOther)
}

// adminGroupMembership sets whether joining the group needs membership after validation.
func (h *handler) adminGroupMembership(c *fiber.Ctx) error {
	err := h.Access.SetRequiresMembership(c.UserContext(), adminActor(c), c.Params("slug"), c.FormValue("requires") == "1")
	if _, ok := adminErrorKey(err); ok {
		return fiber.ErrNotFound
	} else if err != nil {
		return err
	}
	return c.Redirect("/admin/groups?done=flag", fiber.StatusSeeOther)
}
