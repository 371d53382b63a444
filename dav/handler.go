// Package dav is Parvis' WebDAV protocol layer for the groups' shared folders: class 1 and 2 (locks)
// over net/http, streaming in both directions. It parses requests, asks access who may do what, turns
// ETag, If and lock rules into preconditions that files checks inside its write transactions, and maps
// every error to a status in one place (errors.go).
package dav

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"parvis/access"
	"parvis/files"
	"parvis/storage/db"
)

// Handler serves /dav/files/.
type Handler struct {
	Files  *files.Service
	Access *access.Service
	// Prefix is the URL path under which the groups appear, without a trailing slash ("/dav/files").
	Prefix string
	// MaxXMLBody caps PROPFIND, PROPPATCH and LOCK bodies.
	MaxXMLBody int64
	// MaxLockTimeout caps the lock duration a client may ask for.
	MaxLockTimeout time.Duration
	// FreeSpace reports the bytes left in the blob store, for quota-available-bytes without a quota.
	FreeSpace func() int64
	Log       *slog.Logger
}

// target is what a request URL designates.
type target struct {
	root  bool         // the list of the caller's groups, Prefix + "/"
	grant access.Grant // the group and the caller's role in it
	path  string       // clean path inside the group
}

func (t target) groupID() int64 { return t.grant.Group.ID }

// ServeHTTP dispatches on the method. OPTIONS needs no authentication (Windows asks before it sends
// credentials); everything else needs a person in the context, set by the front door.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		h.options(w, r)
		return
	}
	person, ok := access.PersonFrom(r.Context())
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	t, err := h.resolve(r.Context(), person, r.URL)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var fn func(http.ResponseWriter, *http.Request, db.Person, target) error
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		fn = h.get
	case http.MethodPut:
		fn = h.put
	case http.MethodDelete:
		fn = h.delete
	case "MKCOL":
		fn = h.mkcol
	case "COPY", "MOVE":
		fn = h.copyMove
	case "PROPFIND":
		fn = h.propfind
	case "PROPPATCH":
		fn = h.proppatch
	case "LOCK":
		fn = h.lock
	case "UNLOCK":
		fn = h.unlock
	default:
		w.Header().Set("Allow", allowed)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := fn(w, r, person, t); err != nil {
		h.fail(w, r, err)
	}
}

// allowed lists the methods of this handler, for Allow headers.
const allowed = "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK"

func (h *Handler) options(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("DAV", "1, 2")
	hd.Set("MS-Author-Via", "DAV") // Windows' WebDAV redirector looks for it
	hd.Set("Allow", allowed)
	hd.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// resolve maps a URL to a target, checking that the caller belongs to the group. Paths are decoded
// once by net/url; a path that does not clean to itself (.., ., //, NUL, backslash) or that encodes a
// slash is refused, so that no spelling can reach outside the group.
func (h *Handler) resolve(ctx context.Context, p db.Person, u *url.URL) (target, error) {
	if strings.Contains(strings.ToLower(u.RawPath), "%2f") {
		return target{}, errNotFound
	}
	return h.resolvePath(ctx, p, u.Path)
}

func (h *Handler) resolvePath(ctx context.Context, p db.Person, urlPath string) (target, error) {
	rest, ok := strings.CutPrefix(urlPath, h.Prefix)
	if !ok || (rest != "" && rest[0] != '/') {
		return target{}, errNotFound
	}
	if rest == "" || rest == "/" {
		return target{root: true, path: "/"}, nil
	}
	slug, inner, _ := strings.Cut(rest[1:], "/")
	clean, err := files.Clean("/" + inner)
	if errors.Is(err, files.ErrBadName) {
		return target{}, badRequest("file names are UTF-8 text without control characters, at most 255 bytes long")
	} else if err != nil {
		return target{}, errBadPath
	}
	g, err := h.Access.GroupAccess(ctx, p, slug)
	if err != nil {
		return target{}, err
	}
	if err := g.Allow(access.FilesSee, clean); err != nil { // outside what a group publishes to a non-member
		return target{}, err
	}
	return target{grant: g, path: clean}, nil
}

// href is the escaped URL path of a node, with a trailing slash for folders.
func (h *Handler) href(g db.Group, p string, dir bool) string {
	var b strings.Builder
	b.WriteString(h.Prefix)
	b.WriteByte('/')
	b.WriteString(url.PathEscape(g.Slug))
	if p != "/" {
		for _, seg := range strings.Split(p[1:], "/") {
			b.WriteByte('/')
			b.WriteString(url.PathEscape(seg))
		}
	}
	if dir {
		b.WriteByte('/')
	}
	return b.String()
}

// writable refuses a change to the group list or to a group the caller may only read.
func writable(t target) error {
	if t.root {
		return errForbidden
	}
	if err := t.grant.Allow(access.FilesWrite, t.path); errors.Is(err, access.ErrForbidden) {
		return errReadOnly
	} else if err != nil {
		return err
	}
	return nil
}

// isCanceled tells whether err only says the client went away.
func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled)
}
