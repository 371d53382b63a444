package calhttp

import (
	"context"
	"errors"
	"net/http"

	"parvis/access"
	"parvis/calendar"
	"parvis/dav/davxml"
	"parvis/storage/db"
)

// XML namespaces of the properties and preconditions this package speaks.
const (
	nsDAV     = "DAV:"
	nsCalDAV  = "urn:ietf:params:xml:ns:caldav"
	nsCardDAV = "urn:ietf:params:xml:ns:carddav"
	nsCS      = "http://calendarserver.org/ns/"
	nsApple   = "http://apple.com/ns/ical/"
)

// Protocol errors raised in this package.
var (
	errNotFound     = errors.New("not found")
	errReadOnly     = errors.New("read-only")
	errBadRequest   = errors.New("bad request")
	errPrecondition = errors.New("precondition failed")
	errNotAllowed   = errors.New("method not allowed")
)

// bodyError is the error of a request body that could not be read: too large (413) stays itself,
// anything else is a bad request.
func bodyError(err error) error {
	if errors.Is(err, davxml.ErrBodyTooLarge) {
		return err
	}
	return errBadRequest
}

// statusError is a refusal with a status and, for a precondition, a DAV:error body.
type statusError struct {
	code  int
	msg   string
	space string // namespace of cond
	cond  string // inner XML of the precondition element, e.g. "valid-sync-token"
	inner string // content of the precondition element (an href), already escaped
}

func (e *statusError) Error() string { return e.msg }

func precondition(code int, space, cond, msg string) error {
	return &statusError{code: code, msg: msg, space: space, cond: cond}
}

// fail writes the status of err: the one place where errors become HTTP answers. Clients only ever
// see the short public message; internal errors are logged, not shown.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *statusError
	var pe *calendar.PreconditionError
	switch {
	case errors.Is(err, context.Canceled):
		return
	case errors.As(err, &se):
	case errors.As(err, &pe):
		space := nsCalDAV
		if r.Header.Get("Content-Type") != "" && isVCard(r.Header.Get("Content-Type")) || pe.Condition == "valid-address-data" || pe.Condition == "supported-address-data" {
			space = nsCardDAV
		}
		se = &statusError{code: http.StatusForbidden, msg: pe.Condition, space: space, cond: pe.Condition}
	case errors.Is(err, errNotFound), errors.Is(err, db.ErrNotFound), errors.Is(err, access.ErrNoAccess):
		se = &statusError{code: http.StatusNotFound, msg: "not found"}
	case errors.Is(err, access.ErrForbidden):
		// What access refuses to a writer (inviting more people than a member may): nothing stored.
		se = &statusError{code: http.StatusForbidden, msg: "forbidden", space: nsDAV, cond: "need-privileges"}
	case errors.Is(err, errReadOnly):
		se = &statusError{code: http.StatusForbidden, msg: "read-only access", space: nsDAV, cond: "need-privileges"}
	case errors.Is(err, davxml.ErrBodyTooLarge):
		se = &statusError{code: http.StatusRequestEntityTooLarge, msg: "XML body too large"}
	case errors.Is(err, errBadRequest):
		se = &statusError{code: http.StatusBadRequest, msg: "bad request"}
	case errors.Is(err, errPrecondition):
		se = &statusError{code: http.StatusPreconditionFailed, msg: "precondition failed"}
	case errors.Is(err, errNotAllowed):
		se = &statusError{code: http.StatusMethodNotAllowed, msg: "method not allowed"}
	case errors.Is(err, db.ErrConflict):
		se = &statusError{code: http.StatusMethodNotAllowed, msg: "already exists", space: nsDAV, cond: "resource-must-be-null"}
	default:
		h.Log.Error("caldav", "method", r.Method, "path", r.URL.Path, "err", err)
		se = &statusError{code: http.StatusInternalServerError, msg: "internal error"}
	}
	if se.cond == "" {
		http.Error(w, se.msg, se.code)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(se.code)
	body := `<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<D:error xmlns:D="DAV:" xmlns:P="` + se.space + `">`
	if se.inner != "" {
		body += "<P:" + se.cond + ">" + se.inner + "</P:" + se.cond + ">"
	} else {
		body += "<P:" + se.cond + "/>"
	}
	w.Write([]byte(body + "</D:error>\n"))
}
