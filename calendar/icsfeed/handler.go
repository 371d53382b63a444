// Package icsfeed serves the public read-only subscription links of calendars: GET /ics/<token>.ics,
// no sign-in, the whole calendar as one text/calendar document streamed from the stored objects (see
// calendar.Feed for what is left out). Links are created and revoked by members with write access,
// over CalDAV (package calhttp, CalendarServer's publish-calendar).
package icsfeed

import (
	"bufio"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"parvis/calendar"
	"parvis/storage/db"
)

// Prefix is the URL path of the links.
const Prefix = "/ics/"

// refresh is how often subscribers are asked to poll: an hour keeps "all the known dates" fresh
// enough without every subscribed phone reading the whole calendar every few minutes.
const refresh = "PT1H"

// URL is the public address of a link.
func URL(base, token string) string { return strings.TrimSuffix(base, "/") + Prefix + token + ".ics" }

// Handler serves the links. An unknown, revoked or malformed token answers 404, like a link to a
// deleted calendar.
type Handler struct {
	DB  *db.DB
	Log *slog.Logger
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	token := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, Prefix), ".ics")
	c, err := h.collection(r, token)
	if errors.Is(err, db.ErrNotFound) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	} else if err != nil {
		h.Log.Error("ics feed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	// The revision grows with every change of the calendar: subscribers polling with If-None-Match
	// cost one query when nothing changed.
	etag := `"` + strconv.FormatInt(c.ID, 10) + "-" + strconv.FormatInt(c.Revision, 10) + `"`
	hd := w.Header()
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", "no-cache")
	hd.Set("X-Robots-Tag", "noindex")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Type", "text/calendar; charset=utf-8")
	hd.Set("Content-Disposition", `inline; filename="`+safeName(c.Name)+`.ics"`)
	if r.Method == http.MethodHead {
		return
	}
	h.stream(w, r, c)
}

// collection finds the calendar of a token in force.
func (h *Handler) collection(r *http.Request, token string) (db.Collection, error) {
	if token == "" || strings.Contains(token, "/") {
		return db.Collection{}, db.ErrNotFound
	}
	return calendar.LinkedCalendar(r.Context(), h.DB, token)
}

// stream writes the document object by object: a calendar of any size costs one object of memory.
// Once the status is sent an error can only cut the document short, which subscribers reject.
func (h *Handler) stream(w http.ResponseWriter, r *http.Request, c db.Collection) {
	w.WriteHeader(http.StatusOK)
	name := c.DisplayName
	if name == "" {
		name = c.Name
	}
	f := calendar.NewFeed(bufio.NewWriterSize(w, 32<<10), name, refresh)
	err := calendar.EachObject(r.Context(), h.DB, c.ID, true, func(o db.Object) error {
		f.Add(o.Data)
		return r.Context().Err() // a subscriber gone: stop reading
	})
	if err != nil {
		h.Log.Warn("ics feed interrupted", "collection", c.ID, "err", err)
		return
	}
	f.Close()
}

// safeName keeps a file name to characters every browser accepts in Content-Disposition.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return r
		}
		return '_'
	}, s)
}
