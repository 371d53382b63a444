package ui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/storage/db"
)

// requestView is a pending request to join, with who asks.
type requestView struct {
	db.AccessRequest
	Person db.Person
}

// memberView is a line of the people page, its dates as the forms write them.
type memberView struct {
	access.Member
	Since, Until string
}

// peopleDone are the confirmations the people page shows after an action (?done=…).
var peopleDone = map[string]string{
	"decided": "people.done.decided", "invited": "people.done.invited", "mailed": "people.done.mailed",
	"unsent":  "people.done.unsent",
	"changed": "people.done.changed", "removed": "people.done.removed",
}

// peoplePage shows who is in a group: role, since when, granted by whom, a guest's end of access.
// Animators and administrators also get the pending requests, the invitation form and the controls
// of each person's role.
func (h *handler) peoplePage(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return errSignedOut
	}
	return h.renderPeople(c, fiber.StatusOK, p, peopleView{Done: peopleDone[c.Query("done")]})
}

// peopleView is what an action adds to the page: a confirmation, errors by field, the form sent,
// the set-password link of an invitation to hand over in person.
type peopleView struct {
	Done, Handover string
	Errors, Form   map[string]string
}

func (h *handler) renderPeople(c *fiber.Ctx, status int, p db.Person, v peopleView) error {
	ctx := c.UserContext()
	g, manage, err := h.Access.PeopleAccess(c.UserContext(), p, c.Params("slug"))
	if err != nil {
		return err
	}
	members, err := h.Access.Members(ctx, g.ID)
	if err != nil {
		return err
	}
	views := make([]memberView, len(members))
	for i, m := range members {
		views[i] = memberView{Member: m, Since: h.dateOf(c, m.GrantedAt)}
		if !m.ExpiresAt.IsZero() {
			views[i].Until = h.dateOf(c, m.ExpiresAt.AddDate(0, 0, -1)) // access lasts through that day
		}
	}
	data := map[string]any{"Group": g, "Tab": "people", "Manage": manage, "Members": views,
		"Roles": []string{"member", "guest", "animator"}, "Done": v.Done, "Handover": v.Handover, "Admin": access.Administers(p), "Me": p.ID}
	if manage {
		if data["Requests"], err = h.pendingRequests(c, g.ID); err != nil {
			return err
		}
		grant, err := h.Access.GroupAccess(ctx, p, g.Slug)
		data["Decide"] = err == nil && grant.Allows(access.RequestsDecide, "") // animators answer requests, administrators activate
	}
	return h.render(c, status, "people.html", page{Title: "people.title", Person: p, Data: data, Errors: v.Errors, Form: v.Form})
}

func (h *handler) pendingRequests(c *fiber.Ctx, groupID int64) ([]requestView, error) {
	reqs, err := h.Access.GroupRequests(c.UserContext(), groupID)
	if err != nil {
		return nil, err
	}
	out := make([]requestView, 0, len(reqs))
	for _, r := range reqs {
		who, err := h.Access.PersonByID(c.UserContext(), r.PersonID)
		if err != nil {
			return nil, err
		}
		out = append(out, requestView{AccessRequest: r, Person: who})
	}
	return out, nil
}

// parseExpiry reads a date of the forms (YYYY-MM-DD): access lasts through that day, in the
// association's zone. "" is never.
func (h *handler) parseExpiry(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	day, err := h.dayIn(s)
	if err != nil {
		return time.Time{}, err
	}
	return day.AddDate(0, 0, 1), nil
}
