package ui

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parvis/storage/db"
)

// outbox shows administrators the latest mails, sent or waiting: without a mail server it is how
// links reach people (an administrator copies them), and with one it shows what failed and why.
func (h *handler) outbox(c *fiber.Ctx) error {
	mails, err := h.Mail.Outbox(c.UserContext(), 100)
	if err != nil {
		return err
	}
	rows := make([]outboxRow, len(mails))
	for i, m := range mails {
		rows[i] = outboxRow{Mail: m, Links: linksIn(m.Body)}
	}
	return h.adminPage(c, fiber.StatusOK, "outbox.html", "outbox.title", rows, nil, nil)
}

// outboxRow is a queued mail with the links in it, shown whole with a copy button: without a mail
// server, an administrator hands these links over another way.
type outboxRow struct {
	db.Mail
	Links []string
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// linksIn lists the distinct links of a mail's text that lead to a page, in order: the site's own
// address, which mails name as a signature, is not one to hand over.
func linksIn(body string) []string {
	var out []string
	for _, l := range linkRE.FindAllString(body, -1) {
		l = strings.TrimRight(l, ".,;:)»")
		if u, err := url.Parse(l); err != nil || strings.Trim(u.Path, "/") == "" && u.RawQuery == "" {
			continue
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}
