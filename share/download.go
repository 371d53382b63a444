package share

import (
	"io"
	"net/http"
	"os"
	"path"

	"parvis/files"
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
	hd.Set("Content-Disposition", files.Attachment(path.Base(n.Path)))
	hd.Set("ETag", `"`+n.ETag+`"`)
	var rs io.ReadSeeker = content
	if f, ok := content.(interface{ OSFile() *os.File }); ok {
		rs = f.OSFile()
	}
	http.ServeContent(w, r, "", n.ModifiedAt, rs)
}
