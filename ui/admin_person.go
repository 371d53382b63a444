package ui

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// One account seen by an administrator, and what they may do with it: suspend or restore, record
// dues, send a new set-password link, require a new password, make or unmake administrator.

// personOf reads the account of the URL's :id, with its dues of the year; 404 when there is none.
func (h *handler) personOf(c *fiber.Ctx) (db.PersonOverview, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return db.PersonOverview{}, fiber.ErrNotFound
	}
	p, err := h.Access.PersonByID(c.UserContext(), int64(id))
	if err != nil {
		return db.PersonOverview{}, fiber.ErrNotFound
	}
	matches, err := h.Access.People(c.UserContext(), adminActor(c), p.Email, db.Now().In(h.Zone).Year())
	if err != nil {
		return db.PersonOverview{}, err
	}
	for _, m := range matches {
		if m.ID == p.ID {
			return m, nil
		}
	}
	return db.PersonOverview{}, fiber.ErrNotFound
}

// adminPerson shows one account and its actions.
func (h *handler) adminPerson(c *fiber.Ctx) error {
	return h.personPage(c, fiber.StatusOK, nil, nil, "")
}

func (h *handler) personPage(c *fiber.Ctx, status int, errs, form map[string]string, link string) error {
	p, err := h.personOf(c)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"year": strconv.Itoa(db.Now().In(h.Zone).Year())}
	}
	return h.adminPage(c, status, "admin_person.html", "admin.person.title", map[string]any{"P": p,
		"PasswordAge": passwordAge(p.PasswordChangedAt), "Year": db.Now().In(h.Zone).Year(), "Link": link, "Done": notice(c)}, errs, form)
}

// personAction runs an action on the URL's account and goes back to its page with a notice, or
// shows the refusal next to the form field it concerns.
func (h *handler) personAction(c *fiber.Ctx, field, done string, act func(p db.PersonOverview) error) error {
	p, err := h.personOf(c)
	if err != nil {
		return err
	}
	err = act(p)
	if key, ok := adminErrorKey(err); ok {
		return h.personPage(c, fiber.StatusUnprocessableEntity, map[string]string{field: key}, nil, "")
	} else if err != nil {
		return err
	}
	return c.Redirect("/admin/people/"+itoa(p.ID)+"?done="+done, fiber.StatusSeeOther)
}

func (h *handler) adminPersonSuspend(c *fiber.Ctx) error {
	suspend := c.FormValue("suspend") == "1"
	done := map[bool]string{true: "suspended", false: "restored"}[suspend]
	return h.personAction(c, "suspend", done, func(p db.PersonOverview) error {
		return h.Access.Suspend(c.UserContext(), adminActor(c), p.Email, suspend)
	})
}

func (h *handler) adminPersonAdmin(c *fiber.Ctx) error {
	admin := c.FormValue("admin") == "1"
	done := map[bool]string{true: "admin", false: "unadmin"}[admin]
	return h.personAction(c, "admin", done, func(p db.PersonOverview) error {
		return h.Access.SetAdmin(c.UserContext(), adminActor(c), p.Email, admin)
	})
}

func (h *handler) adminPersonRenewal(c *fiber.Ctx) error {
	return h.personAction(c, "renewal", "renewal", func(p db.PersonOverview) error {
		_, err := h.Access.ForceRenewal(c.UserContext(), adminActor(c), access.RenewalRule{Email: p.Email})
		return err
	})
}

// adminPersonDues records a year's dues from the person's page.
func (h *handler) adminPersonDues(c *fiber.Ctx) error {
	year, cents, key := duesForm(c)
	if key != "" {
		return h.personPage(c, fiber.StatusUnprocessableEntity, map[string]string{"dues": key},
			map[string]string{"year": c.FormValue("year"), "amount": c.FormValue("amount")}, "")
	}
	return h.personAction(c, "dues", "dues", func(p db.PersonOverview) error {
		return h.Access.RecordDues(c.UserContext(), adminActor(c), p.Email, year, cents, "manual")
	})
}

// duesForm reads the year and amount fields; key names what is wrong, "" when both are right.
func duesForm(c *fiber.Ctx) (year int, cents int64, key string) {
	year, err := strconv.Atoi(strings.TrimSpace(c.FormValue("year")))
	if err != nil || year < 2000 || year > 2100 {
		return 0, 0, "admin.error.year"
	}
	cents, ok := access.ParseAmount(c.FormValue("amount"))
	if !ok {
		return 0, 0, "admin.error.amount"
	}
	return year, cents, ""
}

// adminPersonLink makes a new set-password link (earlier ones stop working): mailed, or shown to be
// handed over to someone who reads no mail at the address.
func (h *handler) adminPersonLink(c *fiber.Ctx) error {
	p, err := h.personOf(c)
	if err != nil {
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
	return h.personPage(c, fiber.StatusOK, nil, nil, h.PublicURL+"/password/"+raw)
}
