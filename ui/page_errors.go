package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/files"
	"parvis/storage/db"
)

// pageErrors is the pages' one table of the domain's errors that end a request: each with its
// status and the message the error page shows, in the person's language. Errors a form can
// correct are not here: the page shows them next to their field.
var pageErrors = []struct {
	err    error
	status int
	key    string
}{
	{access.ErrNoAccess, fiber.StatusNotFound, "error.notfound"}, // never reveal what one may not see
	{files.ErrNotFound, fiber.StatusNotFound, "error.notfound"},
	{db.ErrNotFound, fiber.StatusNotFound, "error.notfound"},
	{access.ErrForbidden, fiber.StatusForbidden, "error.forbidden"},
}

// pageError is the status and message key of err on a page: from pageErrors, from a fiber.Error,
// or 500.
func pageError(err error) (int, string) {
	for _, e := range pageErrors {
		if errors.Is(err, e.err) {
			return e.status, e.key
		}
	}
	code := fiber.StatusInternalServerError
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code = fe.Code
	}
	switch code {
	case fiber.StatusNotFound:
		return code, "error.notfound"
	case fiber.StatusForbidden:
		return code, "error.forbidden"
	}
	return code, "error.internal"
}
