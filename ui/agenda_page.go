package ui

import (
	"errors"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar"
	"parvis/calendar/icsfeed"
	"parvis/storage/db"
)

// upcomingDays is how far the agenda's plain list looks ahead: what shows without JavaScript, and
// under the calendar with it.
const upcomingDays = 60

// agendaPage shows a group's agenda: FullCalendar's month, week and list views when scripts run
// (static/agenda.js, fed by agendaEvents), and always the server-rendered list of the coming
// upcomingDays days, with the public subscription link for those who may write.
func (h *handler) agendaPage(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collAgenda, false)
	if err != nil {
		return err
	}
	today := startOfDay(time.Now(), gc.zone.Loc)
	occs, err := occurrences(c.UserContext(), h.DB, gc.coll, gc.zone, today, today.AddDate(0, 0, upcomingDays))
	if err != nil {
		return err
	}
	data := map[string]any{"Upcoming": occs, "Days": upcomingDays, "TZ": gc.zone.Loc.String(),
		"Manage": gc.grant.Allows(access.CalendarPublish, "")}
	if gc.grant.Allows(access.CalendarPublish, "") { // the link is the publication: animators only
		l, err := calendar.Link(c.UserContext(), h.DB, gc.coll)
		if err == nil {
			data["ICS"] = icsfeed.URL(h.PublicURL, l.Token)
		} else if !errors.Is(err, db.ErrNotFound) {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "agenda.html", page{Title: "agenda.title", Person: p, Data: groupData(gc, "agenda", data)})
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// eventJSON is an event as FullCalendar reads it. Times are wall-clock times in the agenda's zone,
// without offset: the page gives FullCalendar that zone's name, which, without a time-zone plugin,
// makes it show them as they are, so everyone sees the association's times.
type eventJSON struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Start      string   `json:"start"`
	End        string   `json:"end,omitempty"`
	AllDay     bool     `json:"allDay"`
	URL        string   `json:"url"`
	ClassNames []string `json:"classNames,omitempty"`
}

// maxFeedRange caps what one JSON request may ask: FullCalendar's views ask for six weeks at most.
const maxFeedRange = 366 * 24 * time.Hour

// agendaEvents answers FullCalendar's requests: the instances between start and end, read from the
// time-range index with recurrences expanded.
func (h *handler) agendaEvents(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collAgenda, false)
	if err != nil {
		return err
	}
	from, ok1 := parseFeedTime(c.Query("start"), gc.zone.Loc)
	to, ok2 := parseFeedTime(c.Query("end"), gc.zone.Loc)
	if !ok1 || !ok2 || !to.After(from) || to.Sub(from) > maxFeedRange {
		return fiber.ErrBadRequest
	}
	occs, err := occurrences(c.UserContext(), h.DB, gc.coll, gc.zone, from, to)
	if err != nil {
		return err
	}
	base := "/groups/" + url.PathEscape(gc.grant.Group.Slug) + "/agenda/"
	out := make([]eventJSON, len(occs))
	for i, o := range occs {
		out[i] = eventJSON{ID: o.UID, Title: o.Summary, AllDay: o.AllDay, URL: base + url.PathEscape(o.UID)}
		layout := "2006-01-02T15:04:05"
		if o.AllDay {
			layout = "2006-01-02"
		}
		out[i].Start, out[i].End = o.Start.Format(layout), o.End.Format(layout)
		if o.Kind != "" {
			out[i].ClassNames = []string{"kind-" + kindClass(o.Kind)}
		}
	}
	c.Set("Cache-Control", "no-store")
	return c.JSON(out)
}

// kindClass is the CSS class suffix of a meeting kind.
func kindClass(kind string) string {
	switch kind {
	case calendar.KindAG:
		return "ag"
	case calendar.KindCollectif:
		return "collectif"
	}
	return "other"
}

// parseFeedTime reads FullCalendar's start and end: ISO 8601 with an offset, without one (then in
// the agenda's zone), or a date.
func parseFeedTime(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// agendaLinkCreate gives the agenda its public subscription link (the same as CalDAV's
// publish-calendar), or keeps the one in force. Animators decide what the group publishes.
func (h *handler) agendaLinkCreate(c *fiber.Ctx, p db.Person) error {
	gc, err := h.agendaManaged(c, p)
	if err != nil {
		return err
	}
	if _, _, err := calendar.Publish(c.UserContext(), h.DB, gc.coll, p); err != nil {
		return err
	}
	return c.Redirect("/groups/"+url.PathEscape(gc.grant.Group.Slug)+"/agenda#ics", fiber.StatusSeeOther)
}

// agendaLinkRevoke ends the agenda's public link: it answers 404 from then on.
func (h *handler) agendaLinkRevoke(c *fiber.Ctx, p db.Person) error {
	gc, err := h.agendaManaged(c, p)
	if err != nil {
		return err
	}
	if _, err := calendar.Unpublish(c.UserContext(), h.DB, gc.coll, p); err != nil {
		return err
	}
	return c.Redirect("/groups/"+url.PathEscape(gc.grant.Group.Slug)+"/agenda#ics", fiber.StatusSeeOther)
}

// agendaManaged is the agenda for its animators: members 403, outsiders 404.
func (h *handler) agendaManaged(c *fiber.Ctx, p db.Person) (groupCal, error) {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collAgenda, true)
	if err == nil {
		err = gc.grant.Allow(access.CalendarPublish, "")
	}
	return gc, err
}
