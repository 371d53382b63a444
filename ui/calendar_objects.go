package ui

import (
	"slices"
	"strings"

	"github.com/emersion/go-ical"
	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar"
	"parvis/locale"
	"parvis/storage/db"
)

// parsedObject finds and parses the calendar object of the URL's UID.
func (h *handler) parsedObject(c *fiber.Ctx, gc groupCal) (db.Object, calendar.Object, error) {
	o, err := h.objectOf(c, gc)
	if err != nil {
		return o, calendar.Object{}, err
	}
	obj, err := calendar.Parse(o.Data)
	if err != nil {
		return o, obj, fiber.ErrNotFound // stored before a stricter check: the page cannot edit it
	}
	return o, obj, nil
}

// putCalendar encodes cal and stores it through the calendar write path, after check.
func (h *handler) putCalendar(c *fiber.Ctx, gc groupCal, name string, cal *ical.Calendar, check func(db.Read) error) error {
	data, err := calendar.Encode(cal)
	if err != nil {
		return err
	}
	p, _ := h.person(c)
	_, _, err = calendar.Put(c.UserContext(), h.DB, gc.coll, name, data, calendar.Edit{By: p, Check: check, Scheduler: h.Meetings})
	return err
}

// deleteObject removes the object of the URL's UID.
func (h *handler) deleteObject(c *fiber.Ctx, gc groupCal) error {
	o, err := h.objectOf(c, gc)
	if err != nil {
		return err
	}
	p, _ := h.person(c)
	return calendar.Delete(c.UserContext(), h.DB, gc.coll, o.Name, calendar.Edit{By: p, Scheduler: h.Meetings,
		Check: stillSame(gc.coll.ID, o.Name, c.FormValue("etag"))})
}

// attendeeChoices are the people a form offers: the group's members, then the attendees a client
// added who are not members (so that they can be kept or removed), by e-mail.
func (h *handler) attendeeChoices(c *fiber.Ctx, gc groupCal, present []calendar.Attendee) ([]choice, error) {
	ms, err := h.Access.ActiveMembers(c.UserContext(), gc.grant.Group)
	if err != nil {
		return nil, err
	}
	var out []choice
	seen := map[string]bool{}
	for _, m := range ms {
		label := m.Email
		if m.Name != "" {
			label = m.Name + " <" + m.Email + ">"
		}
		out = append(out, choice{Value: m.Email, Label: label})
		seen[strings.ToLower(m.Email)] = true
	}
	for _, a := range present {
		if !seen[strings.ToLower(a.Email)] {
			label := a.Email
			if a.Name != "" {
				label = a.Name + " <" + a.Email + ">"
			}
			out = append(out, choice{Value: a.Email, Label: label})
			seen[strings.ToLower(a.Email)] = true
		}
	}
	return out, nil
}

// groupChoices are the groups an event may invite as one attendee each, for those access lets
// invite that many (the group's animators): the whole group, its members and animators, its
// animators, every member of the association; then the group attendees a client wrote, so that
// they can be kept or removed.
func groupChoices(lang string, gc groupCal, present []calendar.GroupAttendee) []choice {
	var out []choice
	if gc.grant.Allows(access.InvitationsMany, "") {
		for _, a := range access.AudiencesOf(gc.grant.Group.Slug) {
			label := locale.Text(lang, "event.groups."+a.Kind())
			if a.Group != "" {
				label = gc.grant.Group.Name + " — " + label
			}
			out = append(out, choice{Value: a.Address(), Label: label})
		}
	}
	for _, g := range present {
		if !slices.ContainsFunc(out, func(c choice) bool { return strings.EqualFold(c.Value, g.Address) }) {
			label := g.Name
			if label == "" {
				label = g.Address
			}
			out = append(out, choice{Value: g.Address, Label: label})
		}
	}
	for i := range out {
		out[i].Checked = slices.ContainsFunc(present, func(g calendar.GroupAttendee) bool { return strings.EqualFold(g.Address, out[i].Value) })
	}
	return out
}

// chosenGroups are the offered groups the form checked, as attendees named as offered.
func chosenGroups(c *fiber.Ctx, offered []choice) []calendar.GroupAttendee {
	var out []calendar.GroupAttendee
	for _, v := range c.Request().PostArgs().PeekMulti("group") {
		for _, o := range offered {
			if strings.EqualFold(o.Value, string(v)) {
				out = append(out, calendar.GroupAttendee{Address: o.Value, Name: o.Label})
			}
		}
	}
	return out
}

// offered maps the offered people by lower-case e-mail to attendees with their names.
func offered(people []choice) map[string]calendar.Attendee {
	m := map[string]calendar.Attendee{}
	for _, p := range people {
		name := ""
		if i := strings.LastIndex(p.Label, " <"); i > 0 {
			name = p.Label[:i]
		}
		m[strings.ToLower(p.Value)] = calendar.Attendee{Email: p.Value, Name: name}
	}
	return m
}

// checked marks the people who attend.
func checked(people []choice, as []calendar.Attendee) []choice {
	out := make([]choice, len(people))
	for i, p := range people {
		out[i] = p
		for _, a := range as {
			if strings.EqualFold(a.Email, p.Value) {
				out[i].Checked = true
			}
		}
	}
	return out
}
