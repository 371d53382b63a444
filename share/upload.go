package share

import (
	"errors"
	"net/http"
	"path"
	"strconv"
	"strings"

	"parvis/files"
	"parvis/storage/blob"
)

// upload receives the files of a drop link's form, streaming each part into the folder: a part
// is never held in memory. A name already taken gets a number, so that nobody's deposit replaces
// another's.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, l *link) {
	mr, err := r.MultipartReader()
	if err != nil {
		h.page(w, r, http.StatusBadRequest, "drop", l)
		return
	}
	g, err := h.Files.Group(r.Context(), l.GroupID)
	if err != nil {
		h.page(w, r, http.StatusNotFound, "gone", nil)
		return
	}
	var received []string
	for {
		part, err := mr.NextPart()
		if err != nil {
			break
		}
		name := safeName(part.FileName())
		if part.FormName() != "file" || name == "" {
			part.Close()
			continue
		}
		stored, _, err := h.Files.Put(r.Context(), g, path.Join(l.root.Path, name), part,
			files.PutOptions{Size: -1, ContentType: part.Header.Get("Content-Type"), Beside: true})
		part.Close()
		if errors.Is(err, files.ErrQuota) {
			// The folder's group is out of space: say so, and what was kept of the batch.
			h.render(w, r, http.StatusInsufficientStorage, view{Kind: "full", Link: l, Sub: name, Size: strconv.Itoa(len(received))})
			h.tellMaker(r, l, received)
			return
		} else if errors.Is(err, blob.ErrUnavailable) {
			// The S3 store is down and the spool full: say so, and when to come back.
			w.Header().Set("Retry-After", "30")
			h.page(w, r, http.StatusServiceUnavailable, "unavailable", l)
			return
		} else if err != nil {
			h.Log.Warn("share: drop", "link", l.ID, "err", err)
			h.page(w, r, http.StatusBadRequest, "drop", l)
			return
		}
		received = append(received, path.Base(stored.Path))
		if err := h.Files.CountShareUse(r.Context(), l.ID, true); err != nil {
			h.Log.Warn("share: count", "err", err)
		}
	}
	if len(received) == 0 {
		h.page(w, r, http.StatusBadRequest, "drop", l)
		return
	}
	h.tellMaker(r, l, received)
	h.page(w, r, http.StatusCreated, "dropped", l)
}

// tellMaker mails the link's maker what a batch brought; a mail that cannot be queued loses no file.
func (h *Handler) tellMaker(r *http.Request, l *link, names []string) {
	if err := h.Access.DropReceived(r.Context(), l.ShareLink, l.root.Path, names); err != nil {
		h.Log.Warn("share: drop notice", "link", l.ID, "err", err)
	}
}

// safeName keeps the last element of a browser-sent file name, without control characters.
func safeName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "." || name == ".." || name == "/" {
		return ""
	}
	return name
}
