package ui

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// The JSON API behind the file pages: trash, versions, share links, publications. Downloads are not here: they stream from
// the DAV endpoint (…?version=ID), which Fiber's buffering never sees.

// apiRoutes lists the API.
func (h *handler) apiRoutes(app *fiber.App) {
	api := app.Group("/api", h.apiAuth)
	api.Get("/groups/:slug/trash", h.trashList)
	api.Post("/groups/:slug/trash/:id/restore", h.trashRestore)
	api.Delete("/groups/:slug/trash/:id", h.trashPurge)
	api.Delete("/groups/:slug/trash", h.trashEmpty)
	api.Get("/groups/:slug/versions", h.versionList)
	api.Post("/groups/:slug/versions/:id/restore", h.versionRestore)
	api.Get("/groups/:slug/shares", h.shareList)
	api.Post("/groups/:slug/shares", h.shareCreate)
	api.Delete("/groups/:slug/shares/:id", h.shareRevoke)
	api.Get("/groups/:slug/publications", h.publicationList)
	api.Post("/groups/:slug/publications", h.publicationCreate)
	api.Delete("/groups/:slug/publications/:id", h.publicationDelete)
	api.Post("/groups/:slug/invitations", h.invitationCreate)
	api.Post("/groups/:slug/requests", h.requestCreate)
	api.Get("/groups/:slug/requests", h.requestList)
	api.Post("/requests/:id/decision", h.requestDecide)
	admin := api.Group("/admin", h.apiAdminOnly)
	admin.Get("/requests", h.activationQueue)
	admin.Post("/requests/:id/activate", h.requestActivate)
	admin.Post("/dues", h.duesRecord)
	admin.Post("/dues/import", h.duesImport)
	admin.Get("/erasure-requests", h.erasureRequests)
	admin.Get("/groups/:slug/access-review.csv", h.accessReview)
	api.Get("/me/app-passwords", h.appPasswordList)
	api.Post("/me/app-passwords", h.appPasswordCreate)
	api.Delete("/me/app-passwords/:id", h.appPasswordRevoke)
	api.Get("/me/2fa", h.twoFactorStatus)
	api.Post("/me/2fa", h.twoFactorStart)
	api.Post("/me/2fa/confirm", h.twoFactorConfirm)
	api.Delete("/me/2fa", h.twoFactorDisable)
	api.Get("/me/sessions", h.sessionList)
	api.Delete("/me/sessions/:id", h.sessionRevoke)
	api.Post("/me/sessions/revoke-others", h.sessionRevokeOthers)
	api.Get("/me/export", h.personalExport)
	api.Post("/me/erasure-request", h.erasureRequest)
}

// apiAuth accepts a signed-in browser or HTTP Basic credentials (scripts), and answers 401 in JSON.
func (h *handler) apiAuth(c *fiber.Ctx) error {
	if p, ok := h.person(c); ok {
		c.Locals("person", p)
		return c.Next()
	}
	auth := c.Get("Authorization")
	if enc, ok := strings.CutPrefix(auth, "Basic "); ok {
		if user, pass, ok := basicCredentials(enc); ok {
			p, err := h.Access.Authenticate(c.UserContext(), user, pass, c.IP())
			if err == nil {
				c.Locals("person", p)
				return c.Next()
			}
			if errors.Is(err, access.ErrThrottled) {
				c.Set("Retry-After", "900")
				return apiError(c, fiber.StatusTooManyRequests, "throttled")
			}
			if errors.Is(err, access.ErrBadCredentials) {
				h.signInFailed(c, user)
			}
		}
	}
	c.Set("WWW-Authenticate", `Basic realm="Parvis", charset="UTF-8"`)
	return apiError(c, fiber.StatusUnauthorized, "sign-in required")
}

// apiAdminOnly refuses the administration's API to everyone else, before anything is read.
func (h *handler) apiAdminOnly(c *fiber.Ctx) error {
	if !access.Administers(c.Locals("person").(db.Person)) {
		return apiError(c, fiber.StatusForbidden, "forbidden")
	}
	return c.Next()
}

// grant returns the caller's grant on the group of the URL once access allows them the action:
// 404 when they must not learn the group exists, 403 when they see it but may not do this.
func (h *handler) grant(c *fiber.Ctx, a access.Action) (db.Person, access.Grant, error) {
	p := c.Locals("person").(db.Person)
	g, err := h.Access.GroupAccess(c.UserContext(), p, c.Params("slug"))
	if err == nil {
		err = g.Allow(a, "")
	}
	return p, g, err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// audit records an API action; a failure to record it is logged, not shown: the action is done.
func (h *handler) audit(c *fiber.Ctx, by access.Actor, action, target, detail string) {
	if err := h.Access.Audit(c.UserContext(), by, action, target, detail); err != nil {
		h.Log.Error("audit", "action", action, "err", err)
	}
}
