package ui

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// personRow is a line of the people list.
type personRow struct {
	ID                                         int64
	Email, Name, PasswordAge                   string
	Admin, Suspended, TwoFactor, Dues, Renewal bool
	NoPassword                                 bool
}

// adminPeople lists the accounts (?q= searches e-mail and name; ?pending=1 keeps those who owe a
// new password), with the forms to create one and to require new passwords.
func (h *handler) adminPeople(c *fiber.Ctx) error {
	return h.adminPeoplePage(c, fiber.StatusOK, nil, map[string]string{"q": c.Query("q")}, "")
}

// adminPeoplePage renders the list; link, when set, is the set-password link of an account just made,
// to hand over.
func (h *handler) adminPeoplePage(c *fiber.Ctx, status int, errs, form map[string]string, link string) error {
	year := db.Now().In(h.Zone).Year()
	people, err := h.Access.People(c.UserContext(), adminActor(c), c.Query("q"), year)
	if err != nil {
		return err
	}
	pending := c.Query("pending") == "1"
	rows := make([]personRow, 0, len(people))
	for _, p := range people {
		if pending && !p.MustChangePassword {
			continue
		}
		rows = append(rows, personRow{ID: p.ID, Email: p.Email, Name: p.Name, Admin: p.IsAdmin, Suspended: p.Suspended,
			TwoFactor: p.TwoFactor, Dues: p.DuesPaid, Renewal: p.MustChangePassword, NoPassword: p.PasswordHash == "",
			PasswordAge: passwordAge(p.PasswordChangedAt)})
	}
	if form == nil {
		form = map[string]string{}
	}
	return h.adminPage(c, status, "admin_people.html", "admin.people.title", map[string]any{"People": rows, "Year": year,
		"Pending": pending, "Link": link, "Done": notice(c)}, errs, form)
}

// passwordAge says how many days ago a password was set, "" without one.
func passwordAge(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.Itoa(int(db.Now().Sub(t).Hours() / 24))
}

// adminPersonCreate creates an account without a password. Someone who reads mail at the address
// gets the set-password link by mail; for someone who does not (an address the association gives),
// the link is shown here, to hand over in person.
func (h *handler) adminPersonCreate(c *fiber.Ctx) error {
	np := access.NewPerson{Email: c.FormValue("email"), Name: c.FormValue("name"), Admin: c.FormValue("admin") == "1"}
	form := map[string]string{"email": np.Email, "name": np.Name}
	p, err := h.Access.CreatePerson(c.UserContext(), adminActor(c), np)
	if key, ok := adminErrorKey(err); ok {
		return h.adminPeoplePage(c, fiber.StatusUnprocessableEntity, map[string]string{"email": key}, form, "")
	} else if err != nil {
		return err
	}
	if c.FormValue("mail") == "1" {
		if _, err := h.Access.MailPasswordLink(c.UserContext(), adminActor(c), p.Email); err != nil {
			return err
		}
		return c.Redirect("/admin/people/"+itoa(p.ID)+"?done=linkmailed", fiber.StatusSeeOther)
	}
	_, raw, err := h.Access.PasswordLink(c.UserContext(), adminActor(c), p.Email)
	if err != nil {
		return err
	}
	return h.adminPeoplePage(c, fiber.StatusCreated, nil, nil, h.PublicURL+"/password/"+raw)
}

// adminForceRenewal requires a new password from the accounts the form selects: never changed,
// and/or older than a number of days.
func (h *handler) adminForceRenewal(c *fiber.Ctx) error {
	rule := access.RenewalRule{NeverChanged: c.FormValue("never") == "1"}
	if d := c.FormValue("days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return h.adminPeoplePage(c, fiber.StatusUnprocessableEntity, map[string]string{"days": "admin.error.days"}, map[string]string{"days": d}, "")
		}
		rule.OlderThan = time.Duration(n) * 24 * time.Hour
	}
	if !rule.NeverChanged && rule.OlderThan == 0 {
		return h.adminPeoplePage(c, fiber.StatusUnprocessableEntity, map[string]string{"days": "admin.error.renewalrule"}, nil, "")
	}
	if _, err := h.Access.ForceRenewal(c.UserContext(), adminActor(c), rule); err != nil {
		return err
	}
	return c.Redirect("/admin/people?pending=1&done=renewal", fiber.StatusSeeOther)
}
