package ui

import (
	"strings"
	"time"

	"parvis/locale"
)

// Dates as people read them on the agenda, tasks and home pages, in the page's language.

// dayText is a day with its weekday, in the page's language.
func dayText(lang string, t time.Time) string { return locale.Day(lang, t) }

// When is the occurrence's date and times: a day and hours, or the days of an all-day event.
func (o occurrence) When(lang string) string {
	if o.AllDay {
		last := o.End.AddDate(0, 0, -1)
		if !last.After(o.Start) {
			return dayText(lang, o.Start)
		}
		return dayText(lang, o.Start) + " – " + dayText(lang, last)
	}
	if o.End.After(o.Start) && !sameDay(o.Start, o.End) {
		return dayText(lang, o.Start) + " " + o.Start.Format("15:04") + " – " + dayText(lang, o.End) + " " + o.End.Format("15:04")
	}
	s := dayText(lang, o.Start) + " · " + o.Start.Format("15:04")
	if o.End.After(o.Start) {
		s += " – " + o.End.Format("15:04")
	}
	return s
}

// StartISO is the occurrence's start for a <time datetime> attribute.
func (o occurrence) StartISO() string {
	if o.AllDay {
		return o.Start.Format("2006-01-02")
	}
	return o.Start.Format(time.RFC3339)
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// dueText is a task's due date, with its time when it has one; "" when none.
func dueText(lang string, due time.Time, withTime bool) string {
	if due.IsZero() {
		return ""
	}
	if withTime {
		return dayText(lang, due) + " · " + due.Format("15:04")
	}
	return dayText(lang, due)
}

// DueText is the task's due date as the list shows it.
func (r taskRow) DueText(lang string) string { return dueText(lang, r.Due, r.DueHasTime) }

// DueText is the task's due date as the home page shows it.
func (t homeTask) DueText(lang string) string { return dueText(lang, t.Due, t.DueHasTime) }

// Overdue tells whether an open task is past its due date.
func (t homeTask) Overdue() bool { return !t.Due.IsZero() && t.Due.Before(time.Now()) }

// StatusKey is the message key of the task's status.
func (r taskRow) StatusKey() string { return "task.status." + strings.ToLower(r.Status) }

// AssigneeLabel is who the task is assigned to: their name, else their address.
func (r taskRow) AssigneeLabel() string {
	if r.Assignee.Name != "" {
		return r.Assignee.Name
	}
	return r.Assignee.Email
}
