package share

import (
	"archive/zip"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"parvis/storage/db"
)

// download streams a shared file, or a file inside a shared folder (?path=).
func (h *Handler) download(w http.ResponseWriter, r *http.Request, l *link) {
	p, ok := l.inside(r.URL.Query().Get("path"))
	if !ok {
		h.page(w, r, http.StatusNotFound, "gone", nil)
		return
	}
	n, content, err := h.Files.StatOpen(r.Context(), l.GroupID, p)
	if err != nil || n.IsDir {
		h.page(w, r, http.StatusNotFound, "gone", nil)
		return
	}
	defer content.Close()
	if r.Header.Get("Range") == "" {
		if err := h.Files.CountShareUse(r.Context(), l.ID, false); err != nil {
			h.Log.Warn("share: count", "err", err)
		}
	}
	hd := w.Header()
	hd.Set("Content-Type", n.ContentType)
	hd.Set("Content-Disposition", attachment(path.Base(n.Path)))
	hd.Set("ETag", `"`+n.ETag+`"`)
	var rs io.ReadSeeker = content
	if f, ok := content.(interface{ OSFile() *os.File }); ok {
		rs = f.OSFile()
	}
	http.ServeContent(w, r, "", n.ModifiedAt, rs)
}

// zip streams a shared folder (or a folder inside it) as a zip, file after file: nothing is
// gathered in memory or on disk first, so a folder of any size starts downloading at once.
func (h *Handler) zip(w http.ResponseWriter, r *http.Request, l *link) {
	dir, ok := l.inside(r.URL.Query().Get("path"))
	if !ok {
		h.page(w, r, http.StatusNotFound, "gone", nil)
		return
	}
	if err := h.Files.CountShareUse(r.Context(), l.ID, false); err != nil {
		h.Log.Warn("share: count", "err", err)
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", attachment(path.Base(dir)+".zip"))
	zw := zip.NewWriter(w)
	var nodes []db.Node
	err := h.Files.Descendants(r.Context(), l.GroupID, dir, func(n db.Node) error {
		nodes = append(nodes, n) // ids and paths only: contents are read one by one below
		return nil
	})
	for _, n := range nodes {
		if err != nil {
			break
		}
		err = h.addToZip(r, zw, l.GroupID, dir, n)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		// The status is sent: all that can be done is to cut the stream, which the client
		// sees as a broken download rather than a complete but wrong archive.
		h.Log.Warn("share: zip interrupted", "link", l.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
}

func (h *Handler) addToZip(r *http.Request, zw *zip.Writer, groupID int64, dir string, n db.Node) error {
	name := strings.TrimPrefix(strings.TrimPrefix(n.Path, dir), "/")
	if n.IsDir {
		_, err := zw.CreateHeader(&zip.FileHeader{Name: name + "/", Modified: n.ModifiedAt})
		return err
	}
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Modified: n.ModifiedAt, Method: zip.Store})
	if err != nil {
		return err
	}
	content, err := h.Files.Open(r.Context(), n)
	if err != nil {
		return err
	}
	defer content.Close()
	_, err = io.Copy(f, content)
	return err
}

// attachment offers a download under a file's name (RFC 6266, accents kept).
func attachment(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + url.PathEscape(name)
}
