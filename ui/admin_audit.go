package ui

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"parvis/locale"
	"parvis/storage/db"
)

// auditRow is a line of the audit log as shown.
type auditRow struct {
	At, Actor, Action, Label, Target, Detail string
}

// auditLabel is what an action of the log is in words, in the page's language; the code itself for
// one the catalogue does not name (the search field still takes codes, as the command line does).
func auditLabel(lang, action string) string {
	if key := "audit.action." + action; locale.Has("fr", key) {
		return locale.Text(lang, key)
	}
	return action
}

// adminAudit shows the audit log, newest first, filtered by actor, action and target (contained
// text) and a date range (?from=, ?to=, both days included), one page at a time (?page=).
func (h *handler) adminAudit(c *fiber.Ctx) error {
	form := map[string]string{"actor": c.Query("actor"), "action": c.Query("action"), "target": c.Query("target"),
		"from": c.Query("from"), "to": c.Query("to")}
	f := db.AuditFilter{Actor: form["actor"], Action: form["action"], Target: form["target"]}
	errs := map[string]string{}
	if v := form["from"]; v != "" {
		if d, err := h.dayIn(v); err == nil {
			f.From = d
		} else {
			errs["from"] = "admin.error.date"
		}
	}
	if v := form["to"]; v != "" {
		if d, err := h.dayIn(v); err == nil {
			f.To = d.AddDate(0, 0, 1)
		} else {
			errs["to"] = "admin.error.date"
		}
	}
	status := fiber.StatusOK
	if len(errs) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	pageNo := max(c.QueryInt("page", 0), 0)
	entries, more, err := h.Access.SearchAudit(c.UserContext(), adminActor(c), f, pageNo)
	if err != nil {
		return err
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{At: h.momentOf(c, e.At), Actor: e.Actor, Action: e.Action, Label: auditLabel(pageLanguage(c), e.Action), Target: e.Target, Detail: e.Detail}
	}
	data := map[string]any{"Entries": rows}
	if pageNo > 0 {
		data["Newer"] = auditLink(form, pageNo-1)
	}
	if more {
		data["Older"] = auditLink(form, pageNo+1)
	}
	return h.adminPage(c, status, "admin_audit.html", "admin.audit.title", data, errs, form)
}

// auditLink is the address of another page of the same search.
func auditLink(form map[string]string, page int) string {
	q := url.Values{}
	for k, v := range form {
		if v != "" {
			q.Set(k, v)
		}
	}
	q.Set("page", strconv.Itoa(page))
	return "/admin/audit?" + q.Encode()
}
