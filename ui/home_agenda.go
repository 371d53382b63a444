package ui

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// What the home page adds to the list of groups: the coming meetings of all of them, the tasks
// waiting for the person, and the access requests waiting for their decision.

// homeDays is how far the home page looks ahead for meetings.
const homeDays = 14

// homeLimit bounds each list of the home page: it is a summary, the group pages have the rest.
const homeLimit = 30

// homeTask is an open task with its group.
type homeTask struct {
	calendar.Todo
	Group db.Group
	Href  string
}

// waiting is a count of requests waiting for the person, and where to decide them.
type waiting struct {
	Label string // a group's name, or "" for the administrators' activation queue
	Count int
	Href  string
}

// homeAgenda fills the home page's lists from the groups the person belongs to (not those that only
// publish folders to them).
func (h *handler) homeAgenda(c *fiber.Ctx, p db.Person, grants []access.Grant) (map[string]any, error) {
	var events []occurrence
	var tasks []homeTask
	var requests []waiting
	for _, g := range grants {
		if !g.Allows(access.CalendarRead, "") {
			continue
		}
		evs, err := h.homeEvents(c, p, g)
		if err != nil {
			return nil, err
		}
		events = append(events, evs...)
		ts, err := h.homeTasks(c, p, g)
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, ts...)
		if g.Allows(access.RequestsDecide, "") {
			rs, err := h.Access.GroupRequests(c.UserContext(), g.Group.ID)
			if err != nil {
				return nil, err
			}
			if len(rs) > 0 {
				requests = append(requests, waiting{Label: g.Group.Name, Count: len(rs), Href: "/groups/" + pathSeg(g.Group.Slug) + "/people"})
			}
		}
	}
	if access.Administers(p) {
		q, err := h.Access.ActivationQueue(c.UserContext())
		if err != nil {
			return nil, err
		}
		if len(q) > 0 {
			requests = append(requests, waiting{Count: len(q), Href: "/admin/requests"})
		}
	}
	slices.SortStableFunc(events, func(a, b occurrence) int { return a.Start.Compare(b.Start) })
	slices.SortStableFunc(tasks, func(a, b homeTask) int { return compareTodos(a.Todo, b.Todo) })
	return map[string]any{"Events": events[:min(len(events), homeLimit)], "Tasks": tasks[:min(len(tasks), homeLimit)],
		"Requests": requests, "Days": homeDays}, nil
}

// homeEvents are a group's meetings of the coming homeDays days.
func (h *handler) homeEvents(c *fiber.Ctx, p db.Person, g access.Grant) ([]occurrence, error) {
	gc, err := h.calendarOf(c, p, g, db.KindCalendar, collAgenda)
	if err == fiber.ErrNotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	now := time.Now()
	evs, err := occurrences(c.UserContext(), h.DB, gc.coll, gc.zone, now, startOfDay(now, gc.zone.Loc).AddDate(0, 0, homeDays+1))
	for i := range evs {
		evs[i].Group = g.Group
	}
	return evs, err
}

// homeTasks are a group's open tasks assigned to the person or to nobody.
func (h *handler) homeTasks(c *fiber.Ctx, p db.Person, g access.Grant) ([]homeTask, error) {
	gc, err := h.calendarOf(c, p, g, db.KindCalendar, collTasks)
	if err == fiber.ErrNotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	todos, err := h.todos(c, gc)
	var out []homeTask
	for _, t := range todos {
		open := !t.Done() && t.Status != calendar.TodoCancelled
		mine := t.Assignee.Email == "" || strings.EqualFold(t.Assignee.Email, p.Email)
		if open && mine {
			out = append(out, homeTask{Todo: t, Group: g.Group, Href: "/groups/" + pathSeg(g.Group.Slug) + "/tasks/" + pathSeg(t.UID) + "/edit"})
		}
	}
	return out, err
}
