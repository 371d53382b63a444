package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// An event opens on its details: what, when, where, the visio link to click, its agenda, who is
// invited and their answers. Changing it is one link further, for those who write in the agenda.

// eventPerson is an attendee as the details list them: a name and their answer's message key.
type eventPerson struct{ Name, Answer string }

// eventView shows an event of a group's agenda.
func (h *handler) eventView(c *fiber.Ctx, p db.Person) error {
	ge, err := h.groupEvent(c, p, false)
	if err != nil {
		return err
	}
	gc, o, e := ge.cal, ge.obj, ge.event
	lang, base := pageLanguage(c), groupBase(gc)+"/agenda/"+url.PathEscape(e.UID)
	when := occurrence{Start: e.Start, End: e.End, AllDay: e.AllDay}
	if e.AllDay {
		when.End = e.End.AddDate(0, 0, 1) // the form's last day, inclusive; occurrences end the day after
	}
	sched, _ := calendar.ReadScheduled(o.Data)
	people := make([]eventPerson, 0, len(sched.Listed))
	for _, a := range sched.Listed {
		if a.Group {
			people = append(people, eventPerson{Name: displayName(a)})
		} else {
			people = append(people, eventPerson{Name: displayName(a), Answer: "event.answer." + answerWord(a.PartStat)})
		}
	}
	data := map[string]any{"Event": e, "When": when.When(lang), "People": people, "Organizer": e.Organizer.Name,
		"Kind": occurrence{Kind: e.Kind}.KindLabel(), "Visio": ""}
	if e.Organizer.Name == "" {
		data["Organizer"] = e.Organizer.Email
	}
	if isWebLink(e.URL) {
		data["Visio"] = e.URL
	}
	if gc.writable() {
		data["Edit"] = base + "/edit"
	}
	if len(people) > 0 {
		data["Attendance"] = attendanceBase(gc.grant.Group.Slug, e.UID)
	}
	if gc.grant.Allows(access.MinutesWrite, "") {
		data["Minutes"] = groupBase(gc) + "/minutes/new?event=" + url.QueryEscape(e.UID)
	}
	return h.render(c, fiber.StatusOK, "event.html", page{Title: "event.view", Person: p, Data: groupData(gc, "agenda", data)})
}
