package ui

import "github.com/gofiber/fiber/v2"

// adminRoutes lists the pages of this area; adminOnly guards them all.
func (h *handler) adminRoutes(app *fiber.App) {
	a := app.Group("/admin", h.adminOnly)
	a.Get("/", h.adminDashboard)
	a.Get("/people", h.adminPeople)
	a.Post("/people", h.adminPersonCreate)
	a.Post("/people/renewal", h.adminForceRenewal)
	a.Get("/people/:id", h.adminPerson)
	a.Post("/people/:id/suspend", h.adminPersonSuspend)
	a.Post("/people/:id/dues", h.adminPersonDues)
	a.Post("/people/:id/link", h.adminPersonLink)
	a.Post("/people/:id/renewal", h.adminPersonRenewal)
	a.Post("/people/:id/admin", h.adminPersonAdmin)
	a.Get("/groups", h.adminGroups)
	a.Post("/groups", h.adminGroupCreate)
	a.Post("/groups/:slug/quota", h.adminGroupQuota)
	a.Post("/groups/:slug/membership", h.adminGroupMembership)
	a.Get("/requests", h.adminRequests)
	a.Post("/requests/:id/activate", h.adminRequestActivate)
	a.Get("/dues", h.adminDues)
	a.Post("/dues", h.adminDuesRecord)
	a.Post("/dues/import", h.adminDuesImport)
	a.Get("/review", h.adminReview)
	a.Get("/audit", h.adminAudit)
	a.Get("/erasure", h.adminErasure)
	a.Get("/erasure/:id", h.adminErasureConfirm)
	a.Post("/erasure/:id", h.adminErasureDo)
	a.Get("/outbox", h.outbox)
	a.Get("/bounces", h.adminBounces)
	a.Post("/bounces/:id/clear", h.adminBounceClear)
}
