package calhttp

import (
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"

	"parvis/calendar"
	"parvis/dav/davxml"
	"parvis/storage/db"
)

// report parses the body and runs the report it names. A report on a collection that does not
// exist (or was just deleted) is 404, as PROPFIND and DELETE there are: clients that sync a
// deleted calendar learn it is gone rather than that the report is unsupported.
func (h *Handler) report(w http.ResponseWriter, r *http.Request, t target) error {
	if (t.kind == resCollection || t.kind == resObject) && !t.exists {
		return errNotFound
	}
	body, err := parseTree(davxml.LimitBody(r, h.MaxXMLBody))
	if err != nil {
		return bodyError(err)
	}
	switch {
	case body.is(nsDAV, "principal-property-search") && (t.kind == resRoot || t.kind == resPrincipal):
		return h.principalPropertySearch(w, r, t, body)
	case body.is(nsDAV, "principal-search-property-set") && (t.kind == resRoot || t.kind == resPrincipal):
		return h.principalSearchPropertySet(w)
	case body.is(nsDAV, "sync-collection"):
		return h.syncCollection(w, r, t, body)
	case body.is(nsCalDAV, "calendar-multiget") && t.space == "calendars",
		body.is(nsCardDAV, "addressbook-multiget") && t.space == "addressbooks":
		return h.multiget(w, r, t, body)
	case body.is(nsCalDAV, "calendar-query") && t.space == "calendars":
		q, err := parseCalendarQuery(body)
		if err != nil {
			return err
		}
		return h.calendarQuery(w, r, t, q)
	case body.is(nsCalDAV, "free-busy-query") && t.space == "calendars":
		return h.freeBusyQuery(w, r, t, body)
	case body.is(nsCardDAV, "addressbook-query") && t.space == "addressbooks":
		q, err := parseCardQuery(body)
		if err != nil {
			return err
		}
		return h.addressbookQuery(w, r, t, q)
	}
	return precondition(http.StatusForbidden, nsDAV, "supported-report", "unsupported report")
}

// multiget answers each href of the body. Every href is resolved and authorized like a request URI:
// an href into a group the person is not in answers 404 inside the multistatus, like a missing one.
func (h *Handler) multiget(w http.ResponseWriter, r *http.Request, t target, body *node) error {
	if t.kind != resCollection || !t.exists {
		return precondition(http.StatusForbidden, nsDAV, "supported-report", "multiget is for collections")
	}
	names := body.child(nsDAV, "prop").propNames()
	x, err := parseExpand(body.child(nsDAV, "prop"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	ms := davxml.NewMultistatusWriter(w)
	for _, hn := range body.all(nsDAV, "href") {
		if err := h.multigetOne(r, ms, hn.value(), names, x); err != nil {
			h.Log.Warn("caldav: multiget interrupted", "path", r.URL.Path, "err", err)
			return nil
		}
	}
	return ms.Close()
}

func (h *Handler) multigetOne(r *http.Request, ms *davxml.MultistatusWriter, href string, names []xml.Name, x *expansion) error {
	u, err := url.Parse(href)
	if err != nil || u.RawPath != "" && containsEncodedSlash(u.RawPath) {
		return ms.Status(href, http.StatusNotFound, nil)
	}
	ot, err := h.resolve(r.Context(), ot0(r), u.Path)
	if err != nil || ot.kind != resObject {
		return ms.Status(href, http.StatusNotFound, nil)
	}
	o, err := calendar.StoredObject(r.Context(), h.DB, ot.coll.ID, ot.object)
	if errors.Is(err, db.ErrNotFound) {
		return ms.Status(href, http.StatusNotFound, nil)
	} else if err != nil {
		return err
	}
	if ot.space != "calendars" {
		x = nil
	}
	return ms.Propstats(href, propstats(resource{t: ot, obj: &o, expand: x}, names))
}
