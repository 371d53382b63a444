package dav

import (
	"errors"
	"io"
	"net/http"

	"parvis/files"
	"parvis/storage/db"
)

// put stores the body as a file. The upload streams into a blob and replaces the file atomically only
// once every announced byte has arrived; the ETag, If and lock conditions are checked once before the
// body is read (to refuse early) and again in the transaction that commits.
func (h *Handler) put(w http.ResponseWriter, r *http.Request, p db.Person, t target) error {
	if err := writable(t); err != nil {
		return err
	}
	if r.Header.Get("Content-Range") != "" {
		return badRequest("partial PUT is not supported") // RFC 9110 §14.5: never store it as whole
	}
	c, err := h.newConditions(r, p, t)
	if err != nil {
		return err
	}
	n, created, err := h.Files.Put(r.Context(), t.grant.Group, t.path, r.Body, files.PutOptions{
		Size:        r.ContentLength,
		ContentType: r.Header.Get("Content-Type"),
		By:          p.ID,
		Check:       c.check(scope{groupID: t.groupID(), path: t.path, memberIfNew: true}),
	})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+n.ETag+`"`)
	if created {
		w.Header().Set("Location", h.href(t.grant.Group, t.path, false))
		w.WriteHeader(http.StatusCreated)
	} else {
		w.WriteHeader(http.StatusNoContent)
	}
	return nil
}

// delete moves a file or a whole folder to the group's trash; every lock inside must be honoured.
func (h *Handler) delete(w http.ResponseWriter, r *http.Request, p db.Person, t target) error {
	if err := writable(t); err != nil {
		return err
	}
	if t.path == "/" {
		return errForbidden
	}
	if d := r.Header.Get("Depth"); d != "" && d != "infinity" {
		return badRequest("DELETE of a folder is always Depth: infinity")
	}
	c, err := h.newConditions(r, p, t)
	if err != nil {
		return err
	}
	if err := h.Files.Delete(r.Context(), t.groupID(), t.path, p.ID, c.check(scope{groupID: t.groupID(), path: t.path, tree: true, member: true})); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// mkcol creates a folder (RFC 4918 §9.3): 405 if something is there, 409 without a parent, 415 with
// a body, since we support no MKCOL body.
func (h *Handler) mkcol(w http.ResponseWriter, r *http.Request, p db.Person, t target) error {
	if err := writable(t); err != nil {
		return err
	}
	if r.ContentLength > 0 || r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody && len(r.TransferEncoding) > 0 {
		io.Copy(io.Discard, io.LimitReader(r.Body, h.MaxXMLBody))
		return &statusError{code: http.StatusUnsupportedMediaType, msg: "MKCOL with a body is not supported"}
	}
	c, err := h.newConditions(r, p, t)
	if err != nil {
		return err
	}
	_, err = h.Files.Mkdir(r.Context(), t.groupID(), t.path, c.check(scope{groupID: t.groupID(), path: t.path, member: true}))
	if errors.Is(err, files.ErrExists) || t.path == "/" {
		return &statusError{code: http.StatusMethodNotAllowed, msg: "something exists at this address already"}
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", h.href(t.grant.Group, t.path, true))
	w.WriteHeader(http.StatusCreated)
	return nil
}
