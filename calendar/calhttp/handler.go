package calhttp

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// Prefix is the URL path under which this handler serves (see the package doc for the layout).
const Prefix = "/dav"

// Handler serves CalDAV and CardDAV under Prefix, and the /.well-known/caldav and /carddav
// redirections. Every request but OPTIONS needs a person in the context (the front door's
// authentication).
type Handler struct {
	DB     *db.DB
	Access *access.Service
	// MaxXMLBody caps request bodies in XML (PROPFIND, REPORT, MKCALENDAR, PROPPATCH).
	MaxXMLBody int64
	// PublicURL is the server's public address, for the subscription links of published calendars.
	PublicURL string
	// Scheduler tells the attendees of the events people write (package meeting's invitations).
	Scheduler calendar.Scheduler
	// Zone is the association's (the time_zone setting), for agendas without a calendar-timezone.
	Zone *time.Location
	Log  *slog.Logger

	homes sync.Map // person IDs whose personal collections are known to exist
}

// ServeHTTP dispatches on the method.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		h.options(w)
		return
	}
	p, ok := access.PersonFrom(r.Context())
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.URL.Path == "/.well-known/caldav" || r.URL.Path == "/.well-known/carddav" {
		// RFC 6764 §5: the context path; clients then ask it for current-user-principal.
		http.Redirect(w, r, Prefix+"/", http.StatusMovedPermanently)
		return
	}
	path := r.URL.Path
	if path == "/" {
		path = Prefix + "/" // clients given the bare server URL ask it for the principal
	}
	if strings.Contains(strings.ToLower(r.URL.RawPath), "%2f") {
		h.fail(w, r, errNotFound)
		return
	}
	t, err := h.resolve(r.Context(), p, path)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	t.bare = r.URL.Path == "/"
	if err := h.dispatch(w, r, t); err != nil {
		h.fail(w, r, err)
	}
}

func (h *Handler) dispatch(w http.ResponseWriter, r *http.Request, t target) error {
	switch r.Method {
	case "PROPFIND":
		return h.propfind(w, r, t)
	case "REPORT":
		return h.report(w, r, t)
	case http.MethodGet, http.MethodHead:
		return h.get(w, r, t)
	case http.MethodPut:
		return h.put(w, r, t)
	case http.MethodDelete:
		return h.delete(w, r, t)
	case "MKCALENDAR", "MKCOL":
		return h.mkcol(w, r, t)
	case "PROPPATCH":
		return h.proppatch(w, r, t)
	case http.MethodPost:
		return h.post(w, r, t)
	}
	w.Header().Set("Allow", allowed)
	return errNotAllowed
}

const allowed = "OPTIONS, GET, HEAD, PUT, DELETE, POST, PROPFIND, PROPPATCH, REPORT, MKCOL, MKCALENDAR"

func (h *Handler) options(w http.ResponseWriter) {
	hd := w.Header()
	hd.Set("DAV", "1, 3, calendar-access, calendar-auto-schedule, addressbook, extended-mkcol")
	hd.Set("Allow", allowed)
	hd.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}
