package ui

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// Creating, editing and deleting an event of a group's agenda through server-rendered forms. Writes
// go through calendar.Put, like CalDAV's: clients see them at their next sync.

// eventNew shows an empty form: today, 18:00 to 20:00, the usual evening meeting.
func (h *handler) eventNew(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collAgenda, true)
	if err != nil {
		return err
	}
	day := startOfDay(time.Now(), gc.zone.Loc)
	e := calendar.Event{Start: day.Add(18 * time.Hour), End: day.Add(20 * time.Hour), Notice: calendar.DefaultNotice}
	people, err := h.attendeeChoices(c, gc, nil)
	if err != nil {
		return err
	}
	return h.renderEventForm(c, gc, fiber.StatusOK, "", eventFormValues(e), nil, people, groupChoices(pageLanguage(c), gc, nil))
}

// eventCreate stores a new event from the form.
func (h *handler) eventCreate(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collAgenda, true)
	if err != nil {
		return err
	}
	people, err := h.attendeeChoices(c, gc, nil)
	if err != nil {
		return err
	}
	e, form, errs := readEventForm(c, gc.zone.Loc, offered(people))
	e.Groups = chosenGroups(c, groupChoices(pageLanguage(c), gc, nil))
	groups := groupChoices(pageLanguage(c), gc, e.Groups)
	if err := h.eventAgenda(c, gc, &e, calendar.Document{}, form, errs); err != nil {
		return err
	}
	checkNotice(errs, form, e, len(e.Attendees)+len(e.Groups) > 0, time.Now())
	if len(errs) > 0 {
		return h.renderEventForm(c, gc, fiber.StatusUnprocessableEntity, "", form, errs, checked(people, e.Attendees), groups)
	}
	now := time.Now()
	e.UID = newUID()
	e.Organizer = calendar.Attendee{Email: p.Email, Name: p.Name}
	cal := calendar.NewEventCalendar(e.UID, now)
	calendar.ApplyEvent(cal, e, gc.zone, now)
	if err := h.putCalendar(c, gc, e.UID+".ics", cal, nil); errors.Is(err, access.ErrForbidden) {
		errs = map[string]string{"form": "invitation.error.toomany"}
		return h.renderEventForm(c, gc, fiber.StatusForbidden, "", form, errs, checked(people, e.Attendees), groups)
	} else if err != nil {
		return err
	}
	return c.Redirect(groupBase(gc)+"/agenda", fiber.StatusSeeOther)
}

// eventEdit shows an event in its form; people who only read see it without the means to change it.
func (h *handler) eventEdit(c *fiber.Ctx, p db.Person) error {
	ge, err := h.groupEvent(c, p, false) // guests see it read-only
	if err != nil {
		return err
	}
	gc, o, e := ge.cal, ge.obj, ge.event
	people, err := h.attendeeChoices(c, gc, e.Attendees)
	if err != nil {
		return err
	}
	form := eventFormValues(e)
	form["etag"] = o.ETag
	return h.renderEventForm(c, gc, fiber.StatusOK, e.UID, form, nil, checked(people, e.Attendees), groupChoices(pageLanguage(c), gc, e.Groups))
}

// eventUpdate applies the form to the stored event, keeping what the form does not show.
func (h *handler) eventUpdate(c *fiber.Ctx, p db.Person) error {
	ge, err := h.groupEvent(c, p, true)
	if err != nil {
		return err
	}
	gc, o, obj, before := ge.cal, ge.obj, ge.parsed, ge.event
	people, err := h.attendeeChoices(c, gc, before.Attendees)
	if err != nil {
		return err
	}
	e, form, errs := readEventForm(c, gc.zone.Loc, offered(people))
	e.UID, e.Organizer = before.UID, calendar.Attendee{Email: p.Email, Name: p.Name}
	e.Groups = chosenGroups(c, groupChoices(pageLanguage(c), gc, before.Groups))
	groups := groupChoices(pageLanguage(c), gc, e.Groups)
	if err := h.eventAgenda(c, gc, &e, before.Agenda, form, errs); err != nil {
		return err
	}
	checkNotice(errs, form, e, convenesMore(before, e), time.Now())
	if len(errs) == 0 {
		calendar.ApplyEvent(obj.Calendar, e, gc.zone, time.Now())
		err = h.putCalendar(c, gc, o.Name, obj.Calendar, stillSame(gc.coll.ID, o.Name, form["etag"]))
		if errors.Is(err, errChanged) {
			errs = map[string]string{"form": "cal.changed"}
		} else if errors.Is(err, access.ErrForbidden) {
			errs = map[string]string{"form": "invitation.error.toomany"}
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return h.renderEventForm(c, gc, fiber.StatusUnprocessableEntity, e.UID, form, errs, checked(people, e.Attendees), groups)
	}
	return c.Redirect(groupBase(gc)+"/agenda", fiber.StatusSeeOther)
}

// eventDelete removes an event with all its instances.
func (h *handler) eventDelete(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collAgenda, true)
	if err != nil {
		return err
	}
	if err := h.deleteObject(c, gc); err != nil {
		return err
	}
	return c.Redirect(groupBase(gc)+"/agenda", fiber.StatusSeeOther)
}

func (h *handler) renderEventForm(c *fiber.Ctx, gc groupCal, status int, uid string, form, errs map[string]string, people, groups []choice) error {
	action, del := groupBase(gc)+"/agenda/new", ""
	if uid != "" {
		action, del = groupBase(gc)+"/agenda/"+url.PathEscape(uid)+"/edit", groupBase(gc)+"/agenda/"+url.PathEscape(uid)+"/delete"
	}
	kinds := []choice{{Value: "", Label: "event.kind.none"}}
	for _, k := range calendar.EventKinds {
		kinds = append(kinds, choice{Value: k, Label: "event.kind." + strings.ToLower(k)})
	}
	repeats := []choice{{Value: calendar.RepeatNone, Label: "event.repeat.none"}, {Value: calendar.RepeatWeekly, Label: "event.repeat.weekly"},
		{Value: calendar.RepeatMonth, Label: "event.repeat.monthly"}, {Value: calendar.RepeatYearly, Label: "event.repeat.yearly"}}
	if form["repeat"] == calendar.RepeatCustom {
		repeats = append(repeats, choice{Value: calendar.RepeatCustom, Label: "event.repeat.custom"})
	}
	title, attendance := "event.new", ""
	if uid != "" {
		title = "event.edit"
		if slices.ContainsFunc(append(slices.Clone(people), groups...), func(ch choice) bool { return ch.Checked }) {
			attendance = attendanceBase(gc.grant.Group.Slug, uid) // a meeting with people invited: who came
		}
	}
	return h.render(c, status, "event_form.html", page{Title: title, Person: gc.person, Form: form, Errors: errs,
		Data: groupData(gc, "agenda", map[string]any{"Action": action, "Delete": del, "IsNew": uid == "", "Kinds": kinds, "Repeats": repeats,
			"People": people, "Groups": groups, "TZ": gc.zone.Loc.String(), "Attendance": attendance})})
}

// groupEvent is the event of the URL in a group's agenda, for someone who may read it (or write
// it, when write): the collection, the stored object, its parsed form and what the pages show.
type groupEvent struct {
	cal    groupCal
	obj    db.Object
	parsed calendar.Object
	event  calendar.Event
}

func (h *handler) groupEvent(c *fiber.Ctx, p db.Person, write bool) (groupEvent, error) {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collAgenda, write)
	if err != nil {
		return groupEvent{}, err
	}
	o, obj, err := h.parsedObject(c, gc)
	if err != nil {
		return groupEvent{}, err
	}
	e, err := calendar.ReadEvent(obj, gc.zone)
	if err != nil {
		return groupEvent{}, fiber.ErrNotFound
	}
	return groupEvent{cal: gc, obj: o, parsed: obj, event: e}, nil
}

// groupBase is the address of a group's pages.
func groupBase(gc groupCal) string { return "/groups/" + url.PathEscape(gc.grant.Group.Slug) }
