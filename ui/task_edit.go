package ui

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/calendar"
	"parvis/storage/db"
)

// Creating, editing, finishing and deleting the tasks of a group, through calendar.Put like CalDAV.

func (h *handler) taskNew(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collTasks, true)
	if err != nil {
		return err
	}
	people, err := h.attendeeChoices(c, gc, nil)
	if err != nil {
		return err
	}
	return h.renderTaskForm(c, gc, fiber.StatusOK, "", map[string]string{"status": calendar.TodoNeedsAction}, nil, people)
}

func (h *handler) taskCreate(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collTasks, true)
	if err != nil {
		return err
	}
	people, err := h.attendeeChoices(c, gc, nil)
	if err != nil {
		return err
	}
	t, form, errs := readTaskForm(c, gc.zone.Loc, offered(people))
	if len(errs) > 0 {
		return h.renderTaskForm(c, gc, fiber.StatusUnprocessableEntity, "", form, errs, people)
	}
	now := time.Now()
	t.UID = newUID()
	cal := calendar.NewTodoCalendar(t.UID, now)
	calendar.ApplyTodo(cal, t, gc.zone, now)
	if err := h.putCalendar(c, gc, t.UID+".ics", cal, nil); err != nil {
		return err
	}
	return c.Redirect(groupBase(gc)+"/tasks", fiber.StatusSeeOther)
}

// taskEdit shows a task in its form, read-only for guests.
func (h *handler) taskEdit(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collTasks, false) // guests see it read-only
	if err != nil {
		return err
	}
	o, obj, err := h.parsedObject(c, gc)
	if err != nil {
		return err
	}
	t, err := calendar.ReadTodo(obj, gc.zone)
	if err != nil {
		return fiber.ErrNotFound
	}
	people, err := h.attendeeChoices(c, gc, []calendar.Attendee{t.Assignee})
	if err != nil {
		return err
	}
	form := taskFormValues(t)
	form["etag"] = o.ETag
	return h.renderTaskForm(c, gc, fiber.StatusOK, t.UID, form, nil, people)
}

func (h *handler) taskUpdate(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collTasks, true)
	if err != nil {
		return err
	}
	o, obj, err := h.parsedObject(c, gc)
	if err != nil {
		return err
	}
	before, err := calendar.ReadTodo(obj, gc.zone)
	if err != nil {
		return fiber.ErrNotFound
	}
	people, err := h.attendeeChoices(c, gc, []calendar.Attendee{before.Assignee})
	if err != nil {
		return err
	}
	t, form, errs := readTaskForm(c, gc.zone.Loc, offered(people))
	if len(errs) == 0 {
		calendar.ApplyTodo(obj.Calendar, t, gc.zone, time.Now())
		err = h.putCalendar(c, gc, o.Name, obj.Calendar, stillSame(gc.coll.ID, o.Name, form["etag"]))
		if errors.Is(err, errChanged) {
			errs = map[string]string{"form": "cal.changed"}
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return h.renderTaskForm(c, gc, fiber.StatusUnprocessableEntity, before.UID, form, errs, people)
	}
	return c.Redirect(groupBase(gc)+"/tasks", fiber.StatusSeeOther)
}

func (h *handler) taskDone(c *fiber.Ctx, p db.Person) error   { return h.taskSetDone(c, p, true) }
func (h *handler) taskReopen(c *fiber.Ctx, p db.Person) error { return h.taskSetDone(c, p, false) }

// taskSetDone marks a task done or open again, then goes back to the list it was marked from.
func (h *handler) taskSetDone(c *fiber.Ctx, p db.Person, done bool) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collTasks, true)
	if err != nil {
		return err
	}
	o, obj, err := h.parsedObject(c, gc)
	if err != nil {
		return err
	}
	calendar.SetTodoDone(obj.Calendar, done, time.Now())
	if err := h.putCalendar(c, gc, o.Name, obj.Calendar, nil); err != nil {
		return err
	}
	back := groupBase(gc) + "/tasks"
	if show := c.FormValue("show"); show == "done" || show == "all" {
		back += "?show=" + show
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}

func (h *handler) taskDelete(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindCalendar, collTasks, true)
	if err != nil {
		return err
	}
	if err := h.deleteObject(c, gc); err != nil {
		return err
	}
	return c.Redirect(groupBase(gc)+"/tasks", fiber.StatusSeeOther)
}

func taskFormValues(t calendar.Todo) map[string]string {
	f := map[string]string{"summary": t.Summary, "description": t.Description, "status": t.Status, "assignee": t.Assignee.Email}
	if !t.Due.IsZero() {
		f["due_date"] = t.Due.Format(dateLayout)
		if t.DueHasTime {
			f["due_time"] = t.Due.Format(timeLayout)
		}
	}
	return f
}

// readTaskForm reads the posted task; the assignee must be one of the people offered.
func readTaskForm(c *fiber.Ctx, loc *time.Location, people map[string]calendar.Attendee) (calendar.Todo, map[string]string, map[string]string) {
	f := map[string]string{}
	for _, k := range []string{"summary", "due_date", "due_time", "assignee", "status", "etag"} {
		f[k] = strings.TrimSpace(c.FormValue(k))
	}
	f["description"] = strings.ReplaceAll(c.FormValue("description"), "\r\n", "\n")
	errs := map[string]string{}
	t := calendar.Todo{Summary: f["summary"], Description: strings.TrimSpace(f["description"]), Status: f["status"]}
	checkText(errs, "summary", t.Summary, maxText, true)
	checkText(errs, "description", t.Description, maxLong, false)
	if !slices.Contains(calendar.TodoStatuses, t.Status) {
		errs["status"] = "cal.invalid"
	}
	if f["assignee"] != "" {
		a, ok := people[strings.ToLower(f["assignee"])]
		if !ok {
			errs["assignee"] = "cal.invalid"
		}
		t.Assignee = a
	}
	if f["due_date"] != "" {
		t.DueHasTime = f["due_time"] != ""
		var ok bool
		if t.Due, ok = parseDateTime(f["due_date"], f["due_time"], loc, !t.DueHasTime); !ok {
			errs["due"] = "task.due.invalid"
		}
	} else if f["due_time"] != "" {
		errs["due"] = "task.due.invalid"
	}
	return t, f, errs
}

func (h *handler) renderTaskForm(c *fiber.Ctx, gc groupCal, status int, uid string, form, errs map[string]string, people []choice) error {
	action, del := groupBase(gc)+"/tasks/new", ""
	if uid != "" {
		action, del = groupBase(gc)+"/tasks/"+pathSeg(uid)+"/edit", groupBase(gc)+"/tasks/"+pathSeg(uid)+"/delete"
	}
	statuses := make([]choice, len(calendar.TodoStatuses))
	for i, s := range calendar.TodoStatuses {
		statuses[i] = choice{Value: s, Label: "task.status." + strings.ToLower(s)}
	}
	title := "task.new"
	if uid != "" {
		title = "task.edit"
	}
	return h.render(c, status, "task_form.html", page{Title: title, Person: gc.person, Form: form, Errors: errs,
		Data: groupData(gc, "tasks", map[string]any{"Action": action, "Delete": del, "IsNew": uid == "", "People": people,
			"Statuses": statuses})})
}
