package server

import (
	"errors"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"parvis/access"
	"parvis/files"
	"parvis/share"
	"parvis/storage/db"
)

// folderZip serves GET /dav/files/<group>/<folder>/?zip: a whole folder as one zip, for the file
// pages' "download the folder". It is net/http, like the DAV endpoint it sits in, because Fiber's
// adaptor would buffer the whole archive; it writes with share's zip writer, file after file.
type folderZip struct {
	access *access.Service
	files  *files.Service
	log    *slog.Logger
}

// isFolderZip tells whether the front door should send r here rather than to the DAV handler.
func isFolderZip(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/dav/files/") && r.URL.Query().Has("zip")
}

// ServeHTTP checks the person's access to the folder like the DAV endpoint does (outsiders and
// paths outside what a reader may see: 404), then streams what the person may read of it.
func (z *folderZip) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	person, ok := access.PersonFrom(r.Context())
	if !ok || strings.Contains(strings.ToLower(r.URL.RawPath), "%2f") {
		http.NotFound(w, r)
		return
	}
	slug, inner, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/dav/files/"), "/")
	dir, err := files.Clean("/" + inner)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	g, err := z.access.GroupAccess(r.Context(), person, slug)
	if err == nil {
		err = g.Allow(access.FilesRead, dir)
	}
	if err != nil {
		if !errors.Is(err, access.ErrNoAccess) && !errors.Is(err, access.ErrForbidden) {
			z.log.Error("zip: access", "err", err)
		}
		http.NotFound(w, r)
		return
	}
	if n, err := z.files.Stat(r.Context(), g.Group.ID, dir); err != nil || !n.IsDir {
		http.NotFound(w, r)
		return
	}
	name := path.Base(dir)
	if dir == "/" {
		name = g.Group.Slug
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", files.Attachment(name+".zip"))
	keep := func(n db.Node) bool { return g.Allows(access.FilesRead, n.Path) }
	if err := share.WriteZip(r.Context(), w, z.files, g.Group.ID, dir, keep); err != nil {
		// The status is sent: cutting the stream shows a broken download, not a wrong archive.
		z.log.Warn("zip interrupted", "group", slug, "dir", dir, "err", err)
		panic(http.ErrAbortHandler)
	}
}
