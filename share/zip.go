package share

import (
	"archive/zip"
	"context"
	"io"
	"net/http"
	"path"
	"strings"

	"parvis/files"
	"parvis/storage/db"
)

// zip streams a shared folder (or a folder inside it) as a zip.
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
	w.Header().Set("Content-Disposition", files.Attachment(path.Base(dir)+".zip"))
	if err := WriteZip(r.Context(), w, h.Files, l.GroupID, dir, nil); err != nil {
		// The status is sent: all that can be done is to cut the stream, which the client
		// sees as a broken download rather than a complete but wrong archive.
		h.Log.Warn("share: zip interrupted", "link", l.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// WriteZip writes the folder dir of a group as a zip, file after file: nothing is gathered in
// memory or on disk first, so a folder of any size starts downloading at once. keep, when not nil,
// leaves out the nodes it refuses (what a reader of a group's publications may not see). Share links
// and the group file pages both download folders through it.
func WriteZip(ctx context.Context, w io.Writer, fs *files.Service, groupID int64, dir string, keep func(db.Node) bool) error {
	zw := zip.NewWriter(w)
	var nodes []db.Node
	err := fs.Descendants(ctx, groupID, dir, func(n db.Node) error {
		if keep == nil || keep(n) {
			nodes = append(nodes, n) // ids and paths only: contents are read one by one below
		}
		return nil
	})
	for _, n := range nodes {
		if err != nil {
			break
		}
		err = addToZip(ctx, zw, fs, dir, n)
	}
	if err != nil {
		return err
	}
	return zw.Close()
}

func addToZip(ctx context.Context, zw *zip.Writer, fs *files.Service, dir string, n db.Node) error {
	name := strings.TrimPrefix(strings.TrimPrefix(n.Path, dir), "/")
	if n.IsDir {
		_, err := zw.CreateHeader(&zip.FileHeader{Name: name + "/", Modified: n.ModifiedAt})
		return err
	}
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Modified: n.ModifiedAt, Method: zip.Store})
	if err != nil {
		return err
	}
	content, err := fs.Open(ctx, n)
	if err != nil {
		return err
	}
	defer content.Close()
	_, err = io.Copy(f, content)
	return err
}
