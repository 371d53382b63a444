package ui

import (
	"slices"
	"strings"

	"github.com/emersion/go-ical"
	"github.com/gofiber/fiber/v2"

	"parvis/calendar"
	"parvis/storage/db"
)

// taskRow is a line of the task list.
type taskRow struct {
	calendar.Todo
	Href, Action string // the task's page; its done or reopen action
}

// tasksPage lists a group's tasks, open ones by default (?show=done, ?show=all), those due first.
// Writers mark them done or open again with one button each.
func (h *handler) tasksPage(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collTasks, false)
	if err != nil {
		return err
	}
	show := c.Query("show", "open")
	if show != "done" && show != "all" {
		show = "open"
	}
	todos, err := h.todos(c, gc)
	if err != nil {
		return err
	}
	var rows []taskRow
	for _, t := range todos {
		if show == "open" && (t.Done() || t.Status == calendar.TodoCancelled) || show == "done" && !t.Done() {
			continue
		}
		href := groupBase(gc) + "/tasks/" + pathSeg(t.UID)
		action := href + "/done"
		if t.Done() {
			action = href + "/reopen"
		}
		rows = append(rows, taskRow{Todo: t, Href: href + "/edit", Action: action})
	}
	return h.render(c, fiber.StatusOK, "tasks.html", page{Title: "tasks.title", Person: p,
		Data: groupData(gc, "tasks", map[string]any{"Tasks": rows, "Show": show, "Filters": []string{"open", "done", "all"}})})
}

// todos reads every task of a list, due ones first by due date, then by title.
func (h *handler) todos(c *fiber.Ctx, gc groupCal) ([]calendar.Todo, error) {
	var out []calendar.Todo
	err := calendar.EachObject(c.UserContext(), h.DB, gc.coll.ID, true, func(o db.Object) error {
		obj, err := calendar.Parse(o.Data)
		if err != nil || obj.Kind != ical.CompToDo {
			return nil
		}
		if t, err := calendar.ReadTodo(obj, gc.zone); err == nil {
			out = append(out, t)
		}
		return nil
	})
	slices.SortStableFunc(out, compareTodos)
	return out, err
}

// compareTodos orders tasks by due date, those without one last, then by title.
func compareTodos(a, b calendar.Todo) int {
	switch {
	case a.Due.IsZero() != b.Due.IsZero():
		if a.Due.IsZero() {
			return 1
		}
		return -1
	case !a.Due.Equal(b.Due):
		return a.Due.Compare(b.Due)
	}
	return strings.Compare(strings.ToLower(a.Summary), strings.ToLower(b.Summary))
}
