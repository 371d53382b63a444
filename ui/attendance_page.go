package ui

import (
	"errors"
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar"
)

// The attendance of a meeting: who came in person, by visio, who was excused or absent, recorded
// by a member once the meeting is held, and the start of its minutes.

// attendanceLabels are the page's words for each attendance, "" for none recorded.
var attendanceLabels = map[string]string{"": "attendance.none", calendar.AttendedInPerson: "attendance.inperson",
	calendar.AttendedRemote: "attendance.remote", calendar.AttendedExcused: "attendance.excused", calendar.AttendedAbsent: "attendance.absent"}

// attendanceRow is one person of the page.
type attendanceRow struct{ Address, Name, Answer, Attended string }

func displayName(p calendar.Party) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}

// attendanceChoice is one option of a person's select.
type attendanceChoice struct{ Value, Label string }

func attendanceChoices() []attendanceChoice {
	out := []attendanceChoice{{"", attendanceLabels[""]}}
	for _, m := range calendar.AttendanceModes {
		out = append(out, attendanceChoice{m, attendanceLabels[m]})
	}
	return out
}

func attendanceBase(slug, uid string) string {
	return "/groups/" + url.PathEscape(slug) + "/agenda/" + url.PathEscape(uid) + "/attendance"
}

// attendancePage shows a meeting's people with their answer and attendance; members record it.
func (h *handler) attendancePage(c *fiber.Ctx) error {
	p, g, err := h.groupPageFor(c, access.CalendarRead)
	if err != nil {
		return err
	}
	a, err := h.Meetings.MeetingAttendance(c.UserContext(), g, c.Params("uid"))
	if err != nil {
		return err
	}
	done := ""
	if c.Query("done") != "" {
		done = "attendance.done"
	}
	slug, uid := g.Group.Slug, c.Params("uid")
	lang := pageLanguage(c)
	when := dayText(lang, a.At)
	if !a.Event.AllDay {
		when += " " + a.At.Format("15:04")
	}
	rows := make([]attendanceRow, len(a.People))
	for i, x := range a.People {
		rows[i] = attendanceRow{Address: x.Address, Name: displayName(x), Answer: "invitation.answer." + answerWord(x.PartStat), Attended: x.Attended}
	}
	return h.render(c, fiber.StatusOK, "attendance.html", page{Title: "attendance.title", Person: p, Data: map[string]any{
		"Group": g.Group, "Tab": "agenda", "Title": a.Event.Summary, "When": when, "Place": a.Event.Location, "People": rows, "Choices": attendanceChoices(), "Writable": g.Allows(access.MinutesWrite, ""),
		"Action": attendanceBase(slug, uid), "Minutes": "/groups/" + url.PathEscape(slug) + "/minutes/new?event=" + url.QueryEscape(uid),
		"Edit": "/groups/" + url.PathEscape(slug) + "/agenda/" + url.PathEscape(uid), "Done": done,
		"InPerson": a.Count(calendar.AttendedInPerson), "Remote": a.Count(calendar.AttendedRemote),
		"Excused": a.Count(calendar.AttendedExcused), "Absent": a.Count(calendar.AttendedAbsent)}})
}

// attendanceSave records the attendance the form sends: one address and one mode per person.
func (h *handler) attendanceSave(c *fiber.Ctx) error {
	p, g, err := h.groupPageFor(c, access.MinutesWrite)
	if err != nil {
		return err
	}
	args := c.Request().PostArgs()
	addrs, modes := args.PeekMulti("addr"), args.PeekMulti("mode")
	if len(addrs) != len(modes) {
		return fiber.ErrBadRequest
	}
	marks := make(map[string]string, len(addrs))
	for i := range addrs {
		mode := string(modes[i])
		if mode != "" && !slices.Contains(calendar.AttendanceModes, mode) {
			return fiber.ErrBadRequest
		}
		marks[string(addrs[i])] = mode
	}
	err = h.Meetings.RecordAttendance(c.UserContext(), p, g, c.Params("uid"), marks)
	if errors.Is(err, access.ErrInvalid) {
		return fiber.ErrBadRequest // only a form made by hand names someone the meeting did not invite
	} else if err != nil {
		return err
	}
	return c.Redirect(attendanceBase(g.Group.Slug, c.Params("uid"))+"?done=1", fiber.StatusSeeOther)
}
