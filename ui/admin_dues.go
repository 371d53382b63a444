package ui

import (
	"bytes"
	"errors"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// maxDuesFile is what an uploaded export may weigh: Fiber's body limit (1 MiB) holds thousands of
// lines already.
const maxDuesFile = 1 << 20

// adminDues shows the import form (a payment platform's CSV export) and the manual entry.
func (h *handler) adminDues(c *fiber.Ctx) error {
	return h.duesPage(c, fiber.StatusOK, nil, map[string]string{"email": c.Query("email"), "year": strconv.Itoa(db.Now().Year())}, nil)
}

func (h *handler) duesPage(c *fiber.Ctx, status int, errs, form map[string]string, report *access.DuesReport) error {
	return h.adminPage(c, status, "admin_dues.html", "admin.dues.title", map[string]any{"Report": report, "Done": notice(c)}, errs, form)
}

// adminDuesRecord records one person's dues typed in by hand.
func (h *handler) adminDuesRecord(c *fiber.Ctx) error {
	form := map[string]string{"email": c.FormValue("email"), "year": c.FormValue("year"), "amount": c.FormValue("amount")}
	year, cents, key := duesForm(c)
	field := "amount"
	if key == "admin.error.year" {
		field = "year"
	}
	if key == "" {
		err := h.Access.RecordDues(c.UserContext(), adminActor(c), form["email"], year, cents, "manual")
		if k, ok := adminErrorKey(err); ok {
			field, key = "email", k
			if errors.Is(err, access.ErrInvalid) {
				key = "admin.error.noaccount"
			}
		} else if err != nil {
			return err
		}
	}
	if key != "" {
		return h.duesPage(c, fiber.StatusUnprocessableEntity, map[string]string{field: key}, form, nil)
	}
	return c.Redirect("/admin/dues?done=dues", fiber.StatusSeeOther)
}

// adminDuesImport records the dues of an uploaded export and shows the report line by line: what
// was recorded, and why the other lines were not.
func (h *handler) adminDuesImport(c *fiber.Ctx) error {
	form := map[string]string{"year": strconv.Itoa(db.Now().Year())}
	fh, err := c.FormFile("file")
	if err != nil {
		return h.duesPage(c, fiber.StatusUnprocessableEntity, map[string]string{"file": "admin.error.nofile"}, form, nil)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxDuesFile))
	if err != nil {
		return err
	}
	rep, err := h.Access.ImportDues(c.UserContext(), adminActor(c), bytes.NewReader(data), "import web "+fh.Filename)
	if errors.Is(err, access.ErrInvalid) {
		return h.duesPage(c, fiber.StatusUnprocessableEntity, map[string]string{"file": "admin.error.csv"}, form, nil)
	} else if err != nil {
		return err
	}
	return h.duesPage(c, fiber.StatusOK, nil, form, &rep)
}
