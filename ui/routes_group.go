package ui

import "github.com/gofiber/fiber/v2"

// groupRoutes lists the pages of this area.
func (h *handler) groupRoutes(app *fiber.App) {
	h.agendaRoutes(app)
}
