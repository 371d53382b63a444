package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// listFeed serves a list's members in force to a list server (Sympa's include_remote_file): one
// address per line, then the person's name, the format Sympa reads; lines starting with # are
// comments. access decides, with the feed password, before the list is even looked up.
func (h *handler) listFeed(c *fiber.Ctx) error {
	if err := h.listsOn(); err != nil {
		return err
	}
	user, pass, _ := basicCredentials(strings.TrimPrefix(c.Get("Authorization"), "Basic "))
	l, people, err := h.Access.ListFeed(c.UserContext(), strings.ToLower(c.Params("address")), user, pass, c.IP())
	switch {
	case errors.Is(err, db.ErrNotFound):
		return fiber.ErrNotFound
	case errors.Is(err, access.ErrThrottled):
		c.Set("Retry-After", "900")
		return fiber.ErrTooManyRequests
	case errors.Is(err, access.ErrBadCredentials):
		if user != "" {
			h.signInFailed(c, user)
		}
		c.Set("WWW-Authenticate", `Basic realm="Parvis lists", charset="UTF-8"`)
		return fiber.ErrUnauthorized
	case err != nil:
		return err
	}
	c.Set("Content-Type", "text/plain; charset=utf-8")
	c.Set("Cache-Control", "no-store")
	var b strings.Builder
	fmt.Fprintf(&b, "# %s, members in force on %s: %d\n", h.Lists.Address(l), time.Now().UTC().Format(time.RFC3339), len(people))
	for _, p := range people {
		b.WriteString(p.Email)
		if name := feedName(p); name != "" {
			b.WriteString(" " + name)
		}
		b.WriteByte('\n')
	}
	return c.SendString(b.String())
}

// feedName is a person's name on one line ("" when they gave none: the address alone).
func feedName(p db.Person) string { return strings.Join(strings.Fields(p.Name), " ") }
