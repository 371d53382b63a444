package ui

import (
	"archive/zip"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// GDPR: a person downloads their data and asks for erasure; administrators see the requests.

// exportFiles turns the data into the archive's files, each field chosen here so that no secret
// (password hash, two-factor secret) ever reaches it.
func exportFiles(d access.PersonalData) map[string]any {
	p := d.Person
	files := map[string]any{
		"profile.json": fiber.Map{"email": p.Email, "name": p.Name, "created_at": p.CreatedAt, "password_changed_at": optTime(p.PasswordChangedAt),
			"administrator": p.IsAdmin, "suspended": p.Suspended, "two_factor": d.TwoFactor},
	}
	var ms []fiber.Map
	for _, m := range d.Memberships {
		ms = append(ms, fiber.Map{"group": m.Group.Slug, "role": m.Role, "granted_by": d.GrantedByEmail[m.GrantedBy],
			"granted_at": m.GrantedAt, "expires_at": optTime(m.ExpiresAt)})
	}
	files["memberships.json"] = ms
	files["access_requests.json"] = d.Requests
	var dues []fiber.Map
	for _, x := range d.Dues {
		dues = append(dues, fiber.Map{"year": x.Year, "amount_cents": x.AmountCents, "paid_at": x.PaidAt, "source": x.Source})
	}
	files["dues.json"] = dues
	var apps []fiber.Map
	for _, a := range d.AppPasswords {
		apps = append(apps, fiber.Map{"name": a.Name, "created_at": a.CreatedAt, "last_used_at": optTime(a.LastUsedAt)})
	}
	files["app_passwords.json"] = apps
	var sessions []fiber.Map
	for _, s := range d.Sessions {
		sessions = append(sessions, fiber.Map{"created_at": s.CreatedAt, "last_seen_at": s.LastSeenAt, "user_agent": s.UserAgent})
	}
	files["sessions.json"] = sessions
	var audit []fiber.Map
	for _, e := range d.Audit {
		audit = append(audit, fiber.Map{"at": e.At, "actor": e.Actor, "action": e.Action, "target": e.Target, "detail": e.Detail})
	}
	files["audit.json"] = audit
	return files
}

// exportOrder fixes the order of the archive's files.
var exportOrder = []string{"profile.json", "memberships.json", "access_requests.json", "dues.json", "app_passwords.json", "sessions.json", "audit.json"}

// personalExport answers GET /api/me/export with a zip of JSON files. A person's data is a few
// kilobytes; the archive is written straight into the response.
func (h *handler) personalExport(c *fiber.Ctx) error {
	d, err := h.Access.Export(c.UserContext(), c.Locals("person").(db.Person))
	if err != nil {
		return err
	}
	files := exportFiles(d)
	c.Set("Content-Type", "application/zip")
	c.Set("Content-Disposition", `attachment; filename="parvis-export.zip"`)
	z := zip.NewWriter(c.Response().BodyWriter())
	for _, name := range exportOrder {
		w, err := z.Create(name)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(files[name]); err != nil {
			return err
		}
	}
	return z.Close()
}

// erasureRequest answers POST /api/me/erasure-request.
func (h *handler) erasureRequest(c *fiber.Ctx) error {
	if err := h.Access.RequestErasure(c.UserContext(), c.Locals("person").(db.Person)); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"requested": true})
}

// erasureRequests answers GET /api/admin/erasure-requests.
func (h *handler) erasureRequests(c *fiber.Ctx) error {
	list, err := h.Access.ErasureRequests(c.UserContext(), access.Actor{Person: c.Locals("person").(db.Person)})
	if err != nil {
		return apiError(c, fiber.StatusForbidden, "forbidden")
	}
	return c.JSON(fiber.Map{"requests": list})
}
