package ui

import "github.com/gofiber/fiber/v2"

// adminRoutes lists the pages of this area.
func (h *handler) adminRoutes(app *fiber.App) {
}
