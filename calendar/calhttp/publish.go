package calhttp

import (
	"errors"
	"net/http"

	"parvis/calendar"
	"parvis/calendar/icsfeed"
	"parvis/dav/davxml"
	"parvis/storage/db"
)

// Publishing a calendar gives it a public read-only subscription link (/ics/<token>.ics) for people
// outside the group. It speaks CalendarServer's publishing extension, as Nextcloud does: a POST to
// the calendar whose body is <CS:publish-calendar/> or <CS:unpublish-calendar/>, and the CS:publish-url
// property. Why there and not in the web API: this handler already resolves and authorizes calendar
// URLs and holds the database, and CalDAV clients that know the extension can manage the link.
// Only those access lets publish (access.CalendarPublish: a group's animators, a person for their own
// calendars) publish, unpublish or see the link: anyone holding it reads the agenda, so giving it out
// is a decision about what the group publishes, which its animators make.

// post runs a publishing request on a calendar collection.
func (h *Handler) post(w http.ResponseWriter, r *http.Request, t target) error {
	if t.kind == resCollection && t.coll.Kind == kindOutbox {
		return h.outboxPost(w, r, t)
	}
	if t.kind != resCollection || !t.exists || t.coll.Kind != db.KindCalendar {
		return errNotAllowed
	}
	if !t.publishable {
		return errReadOnly
	}
	body, err := parseTree(davxml.LimitBody(r, h.MaxXMLBody))
	if err != nil {
		return bodyError(err)
	}
	switch {
	case body.is(nsCS, "publish-calendar"):
		return h.publish(w, r, t)
	case body.is(nsCS, "unpublish-calendar"):
		return h.unpublish(w, r, t)
	}
	return errBadRequest
}

// publish creates the link, or returns the one in force: 201 or 200, the link in Location.
func (h *Handler) publish(w http.ResponseWriter, r *http.Request, t target) error {
	l, created, err := calendar.Publish(r.Context(), h.DB, t.coll, t.person)
	if err != nil {
		return err
	}
	w.Header().Set("Location", icsfeed.URL(h.PublicURL, l.Token))
	if !created {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

// unpublish revokes the link in force: it answers 404 from then on. Unpublishing a calendar that is
// not published succeeds (204): the outcome the member asked for holds.
func (h *Handler) unpublish(w http.ResponseWriter, r *http.Request, t target) error {
	if _, err := calendar.Unpublish(r.Context(), h.DB, t.coll, t.person); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// publishURL is the CS:publish-url of a collection the person may publish, when it is published.
func (h *Handler) publishURL(r *http.Request, t target) (string, error) {
	if t.kind != resCollection || !t.exists || !t.publishable || t.coll.Kind != db.KindCalendar {
		return "", nil
	}
	l, err := calendar.Link(r.Context(), h.DB, t.coll)
	if errors.Is(err, db.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return icsfeed.URL(h.PublicURL, l.Token), nil
}
