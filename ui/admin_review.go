package ui

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"parvis/storage/db"
)

// reviewRow is a line of a group's access review.
type reviewRow struct {
	Email, Name, Role, GrantedBy, GrantedAt, ExpiresAt, Dues string
}

// adminReview shows the access review of the group chosen (?group=SLUG; ?year=, this one by
// default): who holds which role, granted by whom and when, until when, dues; with the link to
// the same table as CSV.
func (h *handler) adminReview(c *fiber.Ctx) error {
	groups, err := h.Access.GroupsOverview(c.UserContext(), adminActor(c))
	if err != nil {
		return err
	}
	year := c.QueryInt("year", db.Now().In(h.Zone).Year())
	slug := c.Query("group")
	data := map[string]any{"Groups": groups, "Slug": slug, "Year": year}
	if slug != "" {
		rows, err := h.Access.AccessReview(c.UserContext(), adminActor(c), slug, year)
		if err != nil {
			return err
		}
		view := make([]reviewRow, len(rows))
		for i, r := range rows {
			view[i] = reviewRow{Email: r.Email, Name: r.Name, Role: "role." + string(r.Role), GrantedBy: r.GrantedBy,
				GrantedAt: h.dateOf(c, r.GrantedAt), ExpiresAt: h.dateOf(c, r.ExpiresAt), Dues: "admin.review.dues." + string(r.Dues)}
		}
		data["Rows"] = view
		data["CSV"] = "/api/admin/groups/" + url.PathEscape(slug) + "/access-review.csv?year=" + strconv.Itoa(year)
	}
	return h.adminPage(c, fiber.StatusOK, "admin_review.html", "admin.review.title", data, nil, map[string]string{"year": strconv.Itoa(year)})
}
