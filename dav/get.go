package dav

import (
	"html/template"
	"io"
	"net/http"
	"os"
	"path"
	"strconv"

	"parvis/access"
	"parvis/files"
	"parvis/storage/db"
)

// get serves a file with http.ServeContent, which streams from the blob and handles Range, If-Range,
// If-Match, If-None-Match and the date conditions. A folder gets a plain HTML index, for people who
// open the DAV address in a browser.
func (h *Handler) get(w http.ResponseWriter, r *http.Request, p db.Person, t target) error {
	if t.root {
		grants, err := h.Access.Groups(r.Context(), p)
		if err != nil {
			return err
		}
		entries := make([]indexEntry, len(grants))
		for i, g := range grants {
			entries[i] = indexEntry{Name: g.Group.Slug + "/", Href: h.href(g.Group, "/", true)}
		}
		return writeIndex(w, r, "Parvis", entries)
	}
	if v := r.URL.Query().Get("version"); v != "" {
		if err := t.grant.Allow(access.FilesHistory, t.path); err != nil {
			return err
		}
		return h.getVersion(w, r, t, v)
	}
	n, blob, err := h.Files.StatOpen(r.Context(), t.groupID(), t.path)
	if err != nil {
		return err
	}
	if n.IsDir {
		var entries []indexEntry
		err := h.Files.List(r.Context(), t.groupID(), t.path, func(c db.Node) error {
			if !t.grant.Allows(access.FilesSee, c.Path) {
				return nil
			}
			name := path.Base(c.Path)
			if c.IsDir {
				name += "/"
			}
			entries = append(entries, indexEntry{Name: name, Href: h.href(t.grant.Group, c.Path, c.IsDir)})
			return nil
		})
		if err != nil {
			return err
		}
		return writeIndex(w, r, t.grant.Group.Name+" "+t.path, entries)
	}
	if err := t.grant.Allow(access.FilesRead, t.path); err != nil {
		blob.Close()
		return err
	}
	defer blob.Close()
	hd := w.Header()
	hd.Set("ETag", `"`+n.ETag+`"`)
	hd.Set("Content-Type", n.ContentType)
	// Shared content must not be sniffed into HTML by a browser (a file named x.txt holding a script).
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox")
	if b, ok := blob.(interface{ Bytes() []byte }); ok && plainGet(r) {
		// A small file without conditions or ranges: write it at once, saving http.ServeContent's
		// copy buffer; its answer would be the same.
		hd.Set("Accept-Ranges", "bytes")
		hd.Set("Last-Modified", n.ModifiedAt.UTC().Format(http.TimeFormat))
		hd.Set("Content-Length", strconv.Itoa(len(b.Bytes())))
		if r.Method != http.MethodHead {
			w.Write(b.Bytes())
		}
		return nil
	}
	var content io.ReadSeeker = blob
	if f, ok := blob.(interface{ OSFile() *os.File }); ok {
		content = f.OSFile() // lets net/http use sendfile
	}
	http.ServeContent(w, r, "", n.ModifiedAt, content)
	return nil
}

// getVersion serves a previous content of a file: GET …/file?version=ID, the download behind the
// versions list of the web pages.
func (h *Handler) getVersion(w http.ResponseWriter, r *http.Request, t target, idText string) error {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return errNotFound
	}
	n, v, blob, err := h.Files.OpenVersion(r.Context(), t.groupID(), t.path, id)
	if err != nil {
		return err
	}
	defer blob.Close()
	hd := w.Header()
	hd.Set("ETag", `"`+v.ETag+`"`)
	hd.Set("Content-Type", n.ContentType)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox")
	hd.Set("Content-Disposition", files.Attachment(path.Base(n.Path)))
	http.ServeContent(w, r, "", v.ModifiedAt, blob)
	return nil
}

// plainGet tells whether a GET has no range and no condition, so that its answer is the whole
// content with 200.
func plainGet(r *http.Request) bool {
	for _, h := range []string{"Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}

type indexEntry struct{ Name, Href string }

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="fr"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Title}}</title><h1>{{.Title}}</h1><ul>
{{range .Entries}}<li><a href="{{.Href}}">{{.Name}}</a></li>
{{end}}</ul></html>`))

func writeIndex(w http.ResponseWriter, r *http.Request, title string, entries []indexEntry) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		return nil
	}
	return indexTmpl.Execute(w, struct {
		Title   string
		Entries []indexEntry
	}{title, entries})
}
