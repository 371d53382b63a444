package ui

import "github.com/gofiber/fiber/v2"

// listRoutes lists the pages of the mailing lists.
func (h *handler) listRoutes(app *fiber.App) {
	app.Get("/groups/:slug/lists", h.listsPage)
	app.Get("/groups/:slug/lists/new", h.listNew)
	app.Post("/groups/:slug/lists", h.listCreate)
	app.Get("/groups/:slug/lists/:address", h.listPage)
	app.Post("/groups/:slug/lists/:address", h.listUpdate)
	app.Get("/groups/:slug/lists/:address/edit", h.listEdit)
	app.Post("/groups/:slug/lists/:address/delete", h.listDelete)
	app.Post("/groups/:slug/lists/:address/post", h.listPost)
	app.Post("/groups/:slug/lists/:address/mode", h.listMode)
	app.Get("/groups/:slug/lists/:address/held", h.listHeld)
	app.Post("/groups/:slug/lists/:address/held/:id/:decision", h.listDecide)
	app.Get("/groups/:slug/lists/:address/messages/:id", h.listMessage)
	app.Get("/groups/:slug/lists/:address/messages/:id/attachments/:n", h.listAttachment)
	app.Get("/lists/feed/:address", h.listFeed)
	app.Get("/lists/unsubscribe/:token", h.unsubscribePage)
	app.Post("/lists/unsubscribe/:token", h.unsubscribe)
}
