package calendar

import (
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// Task statuses (RFC 5545 §3.8.1.11).
const (
	TodoNeedsAction = "NEEDS-ACTION"
	TodoInProcess   = "IN-PROCESS"
	TodoCompleted   = "COMPLETED"
	TodoCancelled   = "CANCELLED"
)

// TodoStatuses are the statuses the task page offers, in its order.
var TodoStatuses = []string{TodoNeedsAction, TodoInProcess, TodoCompleted, TodoCancelled}

// Todo is what the task page shows and edits of a VTODO. Due is in the list's zone; DueHasTime is
// false for a due day (a DATE).
//
// The assignee is an ATTENDEE of the task: RFC 5545 §3.8.4.1 makes the attendees of a VTODO the
// people it is assigned to, Thunderbird lists them in the task's dialog and jtx Board (the task app
// DAVx⁵ suggests) shows them, whereas an X- property would be invisible to every client. The page
// gives a task one assignee; other attendees a client added are kept.
type Todo struct {
	UID, Summary, Description, Status string
	Due                               time.Time // zero: none
	DueHasTime                        bool
	Assignee                          Attendee // zero: nobody
	Completed                         time.Time
}

// Done tells whether the task is finished.
func (t Todo) Done() bool { return t.Status == TodoCompleted }

// ReadTodo reads the master VTODO of a parsed object in the zone.
func ReadTodo(o Object, z Zone) (Todo, error) {
	c := master(o, ical.CompToDo)
	if c == nil {
		return Todo{}, fmt.Errorf("calendar: no task in %s", o.UID)
	}
	t := Todo{UID: o.UID, Summary: text(c, ical.PropSummary), Description: text(c, ical.PropDescription)}
	t.Status = strings.ToUpper(text(c, ical.PropStatus))
	if t.Status == "" {
		t.Status = TodoNeedsAction
		if c.Props.Get(ical.PropCompleted) != nil {
			t.Status = TodoCompleted
		}
	}
	if due, allDay, ok := z.when(o, c, ical.PropDue); ok {
		t.Due, t.DueHasTime = due, !allDay
	}
	t.Completed, _, _ = z.when(o, c, ical.PropCompleted)
	if as := attendees(c); len(as) > 0 {
		t.Assignee = as[0]
	}
	return t, nil
}

// NewTodoCalendar starts the object of a new task.
func NewTodoCalendar(uid string, now time.Time) *ical.Calendar {
	return newCalendar(ical.CompToDo, uid, now)
}

// ApplyTodo writes t into the master VTODO of cal, leaving what it does not know alone.
func ApplyTodo(cal *ical.Calendar, t Todo, z Zone, now time.Time) {
	c := masterOf(cal, ical.CompToDo)
	setText(c, ical.PropSummary, t.Summary)
	setText(c, ical.PropDescription, t.Description)
	if t.Due.IsZero() {
		c.Props.Del(ical.PropDue)
	} else {
		z.setWhen(c, ical.PropDue, t.Due, !t.DueHasTime)
		if t.DueHasTime {
			z.ensureIn(cal)
		}
		c.Props.Del(ical.PropDuration) // DUE and DURATION cannot both be there
	}
	setAssignee(c, t.Assignee)
	setStatus(c, t.Status, now)
	touch(c, now)
}

// SetTodoDone marks the master VTODO of cal done or open again, as clients do: a done task has
// STATUS:COMPLETED, its COMPLETED time and PERCENT-COMPLETE:100 (Thunderbird and Tasks.org look at
// either); reopening takes them away.
func SetTodoDone(cal *ical.Calendar, done bool, now time.Time) {
	c := masterOf(cal, ical.CompToDo)
	status := TodoNeedsAction
	if done {
		status = TodoCompleted
	}
	setStatus(c, status, now)
	touch(c, now)
}

func setStatus(c *ical.Component, status string, now time.Time) {
	was := strings.ToUpper(text(c, ical.PropStatus))
	c.Props.SetText(ical.PropStatus, status)
	switch {
	case status == TodoCompleted && was != TodoCompleted:
		c.Props.SetDateTime(ical.PropCompleted, now.UTC())
		setPercent(c, 100)
	case status != TodoCompleted:
		c.Props.Del(ical.PropCompleted)
		if was == TodoCompleted {
			setPercent(c, 0)
		}
	}
}

func setPercent(c *ical.Component, n int) {
	p := ical.NewProp(ical.PropPercentComplete)
	p.Value = fmt.Sprint(n)
	c.Props.Set(p)
}

// setAssignee makes a the first ATTENDEE, keeping the others.
func setAssignee(c *ical.Component, a Attendee) {
	as := attendees(c)
	if len(as) > 0 && strings.EqualFold(as[0].Email, a.Email) {
		return
	}
	var want []Attendee
	if a.Email != "" {
		want = append(want, a)
	}
	if len(as) > 0 {
		want = append(want, as[1:]...)
	}
	setAttendees(c, want)
}
