package ui

import "github.com/gofiber/fiber/v2"

// accountRoutes lists the pages of this area.
func (h *handler) accountRoutes(app *fiber.App) {
}
