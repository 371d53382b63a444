package dav

import (
	"errors"
	"net/http"

	"parvis/access"
	"parvis/dav/davxml"
	"parvis/files"
	"parvis/storage/blob"
)

// retryAfter is what a client is told to wait when the storage is unavailable: long enough for an
// outage's spool to drain a little, short enough that a sync client does not give up.
const retryAfter = "30"

// Protocol errors raised in this package.
var (
	errNotFound     = errors.New("not found")
	errBadPath      = errors.New("invalid path")
	errForbidden    = errors.New("forbidden")
	errReadOnly     = errors.New("this group is read-only for you")
	errPrecondition = errors.New("precondition failed")
	errBadRequest   = errors.New("bad request")
)

// statusError carries a status and an optional DAV:error body (RFC 4918 §16 preconditions).
type statusError struct {
	code int
	msg  string
	cond string // inner XML of <D:error>, e.g. "<D:propfind-finite-depth/>"
}

func (e *statusError) Error() string { return e.msg }

func badRequest(msg string) error { return &statusError{code: http.StatusBadRequest, msg: msg} }

// xmlBodyError answers an XML body that could not be read: 413 past the size limit, 400 otherwise
// (malformed, or nested past davxml.MaxDepth), with msg.
func xmlBodyError(err error, msg string) error {
	switch {
	case errors.Is(err, davxml.ErrBodyTooLarge):
		return &statusError{code: http.StatusRequestEntityTooLarge, msg: "XML body too large"}
	case errors.Is(err, davxml.ErrTooDeep):
		return badRequest("XML body nested too deep")
	}
	return badRequest(msg)
}

// lockedError says a lock's token was not submitted.
type lockedError struct{ root string } // href of the lock root

func (e *lockedError) Error() string { return "locked: " + e.root }

// fail writes the status for err. It is the only place where errors become HTTP statuses, and the
// only text a client sees is the short public message, never an internal error.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg, cond := h.status(err)
	if code == 0 {
		return // the client is gone
	}
	if code == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfter)
	}
	if code == http.StatusInternalServerError {
		h.Log.Error("dav", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if cond != "" {
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.WriteHeader(code)
		w.Write([]byte(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<D:error xmlns:D="DAV:">` + cond + `</D:error>`))
		return
	}
	http.Error(w, msg, code)
}

func (h *Handler) status(err error) (code int, msg, cond string) {
	var se *statusError
	var le *lockedError
	switch {
	case errors.As(err, &se):
		return se.code, se.msg, se.cond
	case errors.As(err, &le):
		return http.StatusLocked, "locked", "<D:lock-token-submitted><D:href>" + davxml.EscapeText(le.root) + "</D:href></D:lock-token-submitted>"
	case isCanceled(err):
		return 0, "", ""
	case errors.Is(err, errNotFound), errors.Is(err, files.ErrNotFound), errors.Is(err, access.ErrNoAccess):
		return http.StatusNotFound, "not found", ""
	case errors.Is(err, errBadPath):
		return http.StatusBadRequest, "invalid path", ""
	case errors.Is(err, errReadOnly):
		return http.StatusForbidden, "read-only access to this group", ""
	case errors.Is(err, errForbidden), errors.Is(err, files.ErrForbidden):
		return http.StatusForbidden, "forbidden", ""
	case errors.Is(err, errPrecondition):
		return http.StatusPreconditionFailed, "precondition failed", ""
	case errors.Is(err, errBadRequest):
		return http.StatusBadRequest, "bad request", ""
	case errors.Is(err, files.ErrNoParent):
		return http.StatusConflict, "the parent folder does not exist", ""
	case errors.Is(err, files.ErrIsDir):
		return http.StatusMethodNotAllowed, "this is a folder", ""
	case errors.Is(err, files.ErrExists):
		return http.StatusPreconditionFailed, "the destination exists", ""
	case errors.Is(err, files.ErrQuota):
		return http.StatusInsufficientStorage, "the group's storage quota is exceeded", "<D:quota-not-exceeded/>"
	case errors.Is(err, blob.ErrUnavailable):
		return http.StatusServiceUnavailable, "the file storage is unavailable for now; nothing was stored, please retry in a moment", ""
	case errors.Is(err, files.ErrIncomplete):
		return http.StatusBadRequest, "the upload was incomplete; nothing was stored", ""
	}
	return http.StatusInternalServerError, "internal error", ""
}
