package ui

import "github.com/gofiber/fiber/v2"

// accountRoutes lists the pages of this area: a person's own account, signed in only.
func (h *handler) accountRoutes(app *fiber.App) {
	a := app.Group("/account", h.requireSignIn)
	a.Get("/", h.accountPage)
	a.Post("/name", h.accountRename)
	a.Post("/invitations", h.accountInvitations)
	a.Post("/password", h.accountPassword)
	a.Get("/devices", h.devicesPage)
	a.Post("/devices", h.deviceCreate)
	a.Post("/devices/:id/revoke", h.deviceRevoke)
	a.Get("/2fa", h.twoFactorPage)
	a.Post("/2fa/start", h.twoFactorPageStart)
	a.Get("/2fa/qr.png", h.twoFactorQR)
	a.Post("/2fa/confirm", h.twoFactorPageConfirm)
	a.Post("/2fa/disable", h.twoFactorPageDisable)
	a.Get("/sessions", h.sessionsPage)
	a.Post("/sessions/:id/revoke", h.sessionPageRevoke)
	a.Post("/sessions/revoke-others", h.sessionPageRevokeOthers)
	a.Get("/data", h.dataPage)
	a.Get("/data/erase", h.erasureConfirm)
	a.Post("/data/erase", h.erasurePageRequest)
	a.Get("/connect", h.connectPage)
	a.Get("/connect/qr.png", h.connectQR)
	a.Post("/connect/apple.mobileconfig", h.appleProfile)
}

// requireSignIn (middleware form of signedIn) lets a signed-in person through, with them in Locals("person"); anyone else goes to
// the sign-in page.
func (h *handler) requireSignIn(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return errSignedOut
	}
	c.Locals("person", p)
	return c.Next()
}
