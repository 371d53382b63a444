package ui

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/files"
	"parvis/storage/db"
)

// apiErrors is the JSON API's one error table, as dav/errors.go is WebDAV's: the domain's typed
// errors, most specific first, each with its status and the stable code a page or a script reads
// (never the internal text). Handlers return the domain's error; apiErrorHandler answers it.
var apiErrors = []struct {
	err    error
	status int
	code   string
}{
	{access.ErrNoAccess, fiber.StatusNotFound, "not found"},
	{db.ErrNotFound, fiber.StatusNotFound, "not found"},
	{access.ErrForbidden, fiber.StatusForbidden, "forbidden"},
	{access.ErrThrottled, fiber.StatusTooManyRequests, "throttled"},
	{access.ErrBadCode, fiber.StatusBadRequest, "wrong code"},
	{access.ErrTwoFactorOn, fiber.StatusConflict, "two-factor already on"},
	{access.ErrTwoFactorOff, fiber.StatusConflict, "two-factor not started"},
	{access.ErrNoPendingEnrol, fiber.StatusConflict, "two-factor not started"},
	{access.ErrDuesMissing, fiber.StatusConflict, "dues missing"},
	{access.ErrLastKeyRole, fiber.StatusConflict, "last key role"},
	{access.ErrLastAdmin, fiber.StatusConflict, "last key role"},
	{access.ErrExists, fiber.StatusConflict, "already"},
	{access.ErrWeakPassword, fiber.StatusBadRequest, "weak password"},
	{access.ErrInvalid, fiber.StatusBadRequest, "invalid"},
	{files.ErrNotFound, fiber.StatusNotFound, "not found"},
	{files.ErrExists, fiber.StatusConflict, "destination exists"},
	{files.ErrForbidden, fiber.StatusBadRequest, "invalid path"},
	{files.ErrIsDir, fiber.StatusBadRequest, "invalid path"},
	{files.ErrNoParent, fiber.StatusConflict, "parent missing"},
}

// apiErrorHandler answers errors under /api in JSON, from apiErrors, with the field an
// access.FieldError names; anything it does not know is logged and answered 500.
func (h *handler) apiErrorHandler(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return apiError(c, fe.Code, strings.ToLower(fe.Message))
	}
	var field *access.FieldError
	for _, e := range apiErrors {
		if !errors.Is(err, e.err) {
			continue
		}
		if errors.As(err, &field) {
			return c.Status(e.status).JSON(fiber.Map{"error": e.code, "field": field.Field})
		}
		return apiError(c, e.status, e.code)
	}
	h.Log.Error("api", "path", c.Path(), "err", err)
	return apiError(c, fiber.StatusInternalServerError, "internal error")
}

// apiError answers a JSON error with a stable code a page can translate.
func apiError(c *fiber.Ctx, status int, code string) error {
	return c.Status(status).JSON(fiber.Map{"error": code})
}
