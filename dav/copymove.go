package dav

import (
	"net/http"
	"net/url"

	"parvis/access"
	"parvis/files"
	"parvis/storage/db"
)

// copyMove implements COPY and MOVE (RFC 4918 §9.8-9.9), within a group or between two groups the
// caller may write. The Destination is resolved and authorized like a request URL: a path into a
// group the caller cannot see is refused, whatever its spelling.
func (h *Handler) copyMove(w http.ResponseWriter, r *http.Request, p db.Person, t target) error {
	move := r.Method == "MOVE"
	if t.root || t.path == "/" {
		return errForbidden
	}
	if err := t.grant.Allow(access.FilesRead, t.path); err != nil { // a folder on the way to a publication: its other content is not theirs
		return err
	}
	if move {
		if err := writable(t); err != nil {
			return err
		}
	}
	dst, err := h.destination(r, p)
	if err != nil {
		return err
	}
	if err := writable(dst); err != nil {
		return err
	}
	overwrite, err := overwriteHeader(r)
	if err != nil {
		return err
	}
	shallow := false
	switch d := r.Header.Get("Depth"); d {
	case "", "infinity":
	case "0":
		shallow = !move
		if move {
			if n, err := h.Files.Stat(r.Context(), t.groupID(), t.path); err == nil && n.IsDir {
				return badRequest("MOVE of a folder is always Depth: infinity")
			}
		}
	default:
		return badRequest("Depth must be 0 or infinity")
	}
	c, err := h.newConditions(r, p, t)
	if err != nil {
		return err
	}
	scopes := []scope{{groupID: dst.groupID(), path: dst.path, tree: true, member: true}}
	if move {
		scopes = append(scopes, scope{groupID: t.groupID(), path: t.path, tree: true, member: true})
	}
	src := files.Ref{Group: t.grant.Group, Path: t.path}
	to := files.Ref{Group: dst.grant.Group, Path: dst.path}
	opts := files.TransferOptions{Overwrite: overwrite, Shallow: shallow, By: p.ID, Check: c.check(scopes...)}
	var created bool
	if move {
		created, err = h.Files.Move(r.Context(), src, to, opts)
	} else {
		created, err = h.Files.Copy(r.Context(), src, to, opts)
	}
	if err != nil {
		return err
	}
	if created {
		w.Header().Set("Location", h.href(dst.grant.Group, dst.path, false))
		w.WriteHeader(http.StatusCreated)
	} else {
		w.WriteHeader(http.StatusNoContent)
	}
	return nil
}

// destination parses the Destination header: an absolute URL on this server or an absolute path.
// Another host is refused with 502 (RFC 4918 §9.8.5), an unknown group with 403, like a group the
// caller cannot write, so that the answer reveals nothing.
func (h *Handler) destination(r *http.Request, p db.Person) (target, error) {
	raw := r.Header.Get("Destination")
	if raw == "" {
		return target{}, badRequest("missing Destination header")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return target{}, badRequest("malformed Destination header")
	}
	if u.Host != "" && u.Host != r.Host {
		return target{}, &statusError{code: http.StatusBadGateway, msg: "the destination is on another server"}
	}
	dst, err := h.resolve(r.Context(), p, u)
	if err != nil {
		if isCanceled(err) {
			return target{}, err
		}
		code, _, _ := h.status(err)
		if code == http.StatusNotFound {
			return target{}, &statusError{code: http.StatusForbidden, msg: "the destination is not writable"}
		}
		return target{}, err
	}
	return dst, nil
}

func overwriteHeader(r *http.Request) (bool, error) {
	switch r.Header.Get("Overwrite") {
	case "", "T", "t":
		return true, nil
	case "F", "f":
		return false, nil
	}
	return false, badRequest("Overwrite must be T or F")
}
