package ui

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar"
)

// The event form: what it shows (page.Form, strings as typed) and how it reads back into a
// calendar.Event, with errors per field.

const (
	dateLayout = "2006-01-02"
	timeLayout = "15:04"
	maxText    = 2000 // a title, a place or a link longer than this is a mistake
	maxLong    = 20000
)

// choice is an option of a select or a checkbox of the form.
type choice struct {
	Value, Label string
	Checked      bool
}

// eventFormValues are the form's fields for an event.
func eventFormValues(e calendar.Event) map[string]string {
	f := map[string]string{"summary": e.Summary, "kind": e.Kind, "location": e.Location, "url": e.URL,
		"description": e.Description, "repeat": e.Repeat, "agenda": e.Agenda.Path,
		"agenda_url": e.Agenda.URL, "notice": ""}
	if e.Notice > 0 {
		f["notice"] = strconv.Itoa(e.Notice)
	}
	if !e.Start.IsZero() {
		f["start_date"], f["start_time"] = e.Start.Format(dateLayout), e.Start.Format(timeLayout)
		f["end_date"], f["end_time"] = e.End.Format(dateLayout), e.End.Format(timeLayout)
	}
	if e.AllDay {
		f["allday"], f["start_time"], f["end_time"] = "on", "", ""
	}
	if !e.Until.IsZero() {
		f["until"] = e.Until.Format(dateLayout)
	}
	return f
}

// readEventForm reads the posted form into an event in the zone. errs maps fields to message keys;
// people are the attendees the form offered, by e-mail (lower case).
func readEventForm(c *fiber.Ctx, loc *time.Location, people map[string]calendar.Attendee) (calendar.Event, map[string]string, map[string]string) {
	f := map[string]string{}
	for _, k := range []string{"summary", "kind", "location", "url", "description", "repeat", "start_date", "start_time",
		"end_date", "end_time", "allday", "until", "etag", "agenda", "notice", "notice_ok"} {
		f[k] = strings.TrimSpace(c.FormValue(k))
	}
	f["description"] = strings.ReplaceAll(c.FormValue("description"), "\r\n", "\n")
	errs := map[string]string{}
	e := calendar.Event{Summary: f["summary"], Kind: f["kind"], Location: f["location"], URL: f["url"],
		Description: strings.TrimSpace(f["description"]), Repeat: f["repeat"], AllDay: f["allday"] != ""}
	checkText(errs, "summary", e.Summary, maxText, true)
	checkText(errs, "location", e.Location, maxText, false)
	checkText(errs, "description", e.Description, maxLong, false)
	if e.Kind != "" && !slices.Contains(calendar.EventKinds, e.Kind) {
		errs["kind"] = "cal.invalid"
	}
	if e.URL != "" && !isWebLink(e.URL) {
		errs["url"] = "event.url.invalid"
	}
	if e.Kind == calendar.KindAG && f["notice"] != "" {
		n, err := strconv.Atoi(f["notice"])
		if err != nil || n < 0 || n > 365 {
			errs["notice"] = "event.notice.invalid"
		}
		e.Notice = n
	}
	e.Start, e.End = readSpan(errs, f, loc, e.AllDay)
	e.Repeat, e.Until = readRepeat(errs, f, loc, e.Start)
	for _, v := range c.Request().PostArgs().PeekMulti("attendee") {
		if a, ok := people[strings.ToLower(string(v))]; ok {
			e.Attendees = append(e.Attendees, a)
		}
	}
	return e, f, errs
}

func checkText(errs map[string]string, field, v string, max int, required bool) {
	switch {
	case required && v == "":
		errs[field] = "cal.required"
	case len(v) > max:
		errs[field] = "cal.toolong"
	}
}

// isWebLink accepts http and https addresses only: a visio link is opened by a click.
func isWebLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// readSpan reads the start and end: dates (the last day, inclusive) for an all-day event, dates and
// times otherwise. An end left empty is the start day, or an hour after the start.
func readSpan(errs map[string]string, f map[string]string, loc *time.Location, allDay bool) (time.Time, time.Time) {
	start, ok := parseDateTime(f["start_date"], f["start_time"], loc, allDay)
	if !ok {
		errs["start"] = "event.start.invalid"
		return time.Time{}, time.Time{}
	}
	if f["end_date"] == "" && f["end_time"] == "" {
		if allDay {
			return start, start
		}
		return start, start.Add(time.Hour)
	}
	if f["end_date"] == "" {
		f["end_date"] = f["start_date"]
	}
	end, ok := parseDateTime(f["end_date"], f["end_time"], loc, allDay)
	switch {
	case !ok:
		errs["end"] = "event.end.invalid"
	case end.Before(start):
		errs["end"] = "event.end.before"
	}
	return start, end
}

func parseDateTime(d, t string, loc *time.Location, allDay bool) (time.Time, bool) {
	if allDay {
		v, err := time.ParseInLocation(dateLayout, d, loc)
		return v, err == nil
	}
	v, err := time.ParseInLocation(dateLayout+" "+timeLayout, d+" "+t, loc)
	return v, err == nil
}

// readRepeat reads the repetition and its optional last day, which may not come before the start.
func readRepeat(errs map[string]string, f map[string]string, loc *time.Location, start time.Time) (string, time.Time) {
	r := f["repeat"]
	if !slices.Contains([]string{calendar.RepeatNone, calendar.RepeatWeekly, calendar.RepeatMonth, calendar.RepeatYearly, calendar.RepeatCustom}, r) {
		errs["repeat"] = "cal.invalid"
		return calendar.RepeatNone, time.Time{}
	}
	if f["until"] == "" || r == calendar.RepeatNone || r == calendar.RepeatCustom {
		return r, time.Time{}
	}
	u, err := time.ParseInLocation(dateLayout, f["until"], loc)
	if err != nil || !start.IsZero() && u.Before(startOfDay(start, loc)) {
		errs["until"] = "event.until.invalid"
	}
	return r, u
}

// eventAgenda attaches the agenda file the form names (a path of the group's folder) to e: the one
// it had when the path is the same, a share link made now otherwise (meeting.AgendaLink), none
// when the field is empty. A refusal is a message of the field.
func (h *handler) eventAgenda(c *fiber.Ctx, gc groupCal, e *calendar.Event, before calendar.Document, form, errs map[string]string) error {
	switch p := form["agenda"]; {
	case p == "":
		e.Agenda = calendar.Document{}
	case p == before.Path:
		e.Agenda = before
	case len(errs) > 0:
	default:
		link, err := h.Meetings.AgendaLink(c.UserContext(), gc.person, gc.grant, p, e.End)
		var fe *access.FieldError
		switch {
		case errors.As(err, &fe):
			errs["agenda"] = "event.agenda.invalid"
		case errors.Is(err, access.ErrForbidden):
			errs["agenda"] = "event.agenda.forbidden"
		case err != nil:
			return err
		default:
			e.Agenda = calendar.Document{Path: p, URL: h.PublicURL + link}
		}
	}
	return nil
}

// checkNotice refuses, unless the form confirms it, to convene an AG later than its notice period:
// statutes set one (fifteen days, often), and a convocation sent late can void the AG's votes.
// convenes says whether this save sends invitations (a new meeting with people, new people).
func checkNotice(errs, form map[string]string, e calendar.Event, convenes bool, now time.Time) {
	if e.Kind != calendar.KindAG || e.Notice == 0 || !convenes || form["notice_ok"] != "" || errs["notice"] != "" {
		return
	}
	if e.Start.Sub(now) < time.Duration(e.Notice)*24*time.Hour {
		errs["notice"] = "event.notice.short"
	}
}

// convenesMore tells whether the edit invites people the meeting did not invite yet.
func convenesMore(before, after calendar.Event) bool {
	for _, a := range after.Attendees {
		if !slices.ContainsFunc(before.Attendees, func(b calendar.Attendee) bool { return strings.EqualFold(a.Email, b.Email) }) {
			return true
		}
	}
	for _, g := range after.Groups {
		if !slices.ContainsFunc(before.Groups, func(b calendar.GroupAttendee) bool { return strings.EqualFold(g.Address, b.Address) }) {
			return true
		}
	}
	return false
}
