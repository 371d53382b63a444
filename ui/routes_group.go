package ui

import "github.com/gofiber/fiber/v2"

// groupRoutes lists the pages of this area.
func (h *handler) groupRoutes(app *fiber.App) {

	app.Get("/groups/:slug/links", h.linksPage)
	app.Post("/groups/:slug/links", h.linkSave)
	app.Get("/groups/:slug/links/:id/edit", h.linkEdit)
	app.Post("/groups/:slug/links/:id", h.linkSave)
	app.Post("/groups/:slug/links/:id/delete", h.linkDelete)
}
