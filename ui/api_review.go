package ui

import (
	"encoding/csv"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// accessReview answers GET /api/admin/groups/SLUG/access-review.csv: the group's members, their
// role, who granted it and when, until when, and the dues of the year (?year=, default this one).
func (h *handler) accessReview(c *fiber.Ctx) error {
	year := c.QueryInt("year", db.Now().In(h.Zone).Year())
	by := access.Actor{Person: c.Locals("person").(db.Person)}
	rows, err := h.Access.AccessReview(c.UserContext(), by, c.Params("slug"), year)
	if err != nil {
		return err
	}
	c.Set("Content-Type", "text/csv; charset=utf-8")
	c.Set("Content-Disposition", `attachment; filename="`+c.Params("slug")+`-access-review.csv"`)
	// A spreadsheet opens it as its people read it: a byte order mark so that accents come out
	// right, and in French the semicolon French spreadsheets separate with, headings and values in
	// words. In English, the codes scripts read.
	lang := pageLanguage(c)
	out := c.Response().BodyWriter()
	out.Write([]byte("\ufeff"))
	w := csv.NewWriter(out)
	if lang == "fr" {
		w.Comma = ';'
	}
	head := []string{"email", "name", "role", "granted_by", "granted_at", "expires_at", "dues_" + itoa(int64(year))}
	if lang == "fr" {
		head = []string{"e-mail", "nom", "rôle", "rôle donné par", "le", "jusqu'au", "cotisation " + itoa(int64(year))}
	}
	w.Write(head)
	for _, r := range rows {
		role := string(r.Role)
		if lang == "fr" {
			role = translate(lang, "role."+role)
		}
		w.Write([]string{csvSafe(r.Email), csvSafe(r.Name), role, csvSafe(r.GrantedBy), day(r.GrantedAt), day(r.ExpiresAt), duesStatus(lang, r)})
	}
	w.Flush()
	return w.Error()
}

// duesStatus is the CSV's dues column, in words.
func duesStatus(lang string, r access.ReviewRow) string {
	if lang == "fr" {
		return map[access.Dues]string{access.DuesNone: "non requise", access.DuesPaid: "payée", access.DuesUnpaid: "non payée"}[r.Dues]
	}
	if r.Dues == access.DuesNone {
		return "not required"
	}
	return string(r.Dues)
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// csvSafe keeps a spreadsheet from reading a cell as a formula (a name chosen by its owner could
// start with "=").
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
