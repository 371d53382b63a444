package ui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/locale"
)

// Dates and times on the pages read as people write them ("2 décembre 2026 à 14:05"), in the
// association's time zone whatever the server's clock says. The API and the CSV exports keep ISO
// dates, for programs.

// zone is the association's time zone (the time_zone setting); New makes it Europe/Paris when
// none was given.
func (h *handler) zone() *time.Location { return h.Zone }

// dateOf is t's day in words in the page's language, "" for the zero time.
func (h *handler) dateOf(c *fiber.Ctx, t time.Time) string { return h.dateIn(pageLanguage(c), t) }

// momentOf is t's day and time of day in the page's language, "" for the zero time.
func (h *handler) momentOf(c *fiber.Ctx, t time.Time) string { return h.momentIn(pageLanguage(c), t) }

// dateIn and momentIn are dateOf and momentOf for the templates, which know the page's language.
func (h *handler) dateIn(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return locale.Date(lang, t.In(h.zone()))
}

func (h *handler) momentIn(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return locale.DateTime(lang, t.In(h.zone()))
}

// dayIn reads a form's or a query's date (2026-12-31) as that day in the association's zone.
func (h *handler) dayIn(v string) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, v, h.zone())
}
