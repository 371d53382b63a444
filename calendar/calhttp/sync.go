package calhttp

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"strings"

	"parvis/calendar"
	"parvis/dav/davxml"
	"parvis/storage/db"
)

// syncTokenPrefix starts every sync-token (a URI, RFC 6578 §3.2). The token names the collection
// and its revision, so a token of another collection, or of a revision not reached yet, is invalid.
const syncTokenPrefix = "http://parvis.invalid/sync/"

// syncToken is the collection's current sync-token; its ctag is the same string.
func syncToken(c db.Collection) string {
	return syncTokenPrefix + strconv.FormatInt(c.ID, 10) + "/" + strconv.FormatInt(c.Revision, 10)
}

var errBadToken = precondition(http.StatusForbidden, nsDAV, "valid-sync-token", "invalid sync-token")

// parseSyncToken returns the revision of a token the client holds; "" is revision 0 (a full sync).
func parseSyncToken(c db.Collection, tok string) (int64, error) {
	if tok == "" {
		return 0, nil
	}
	rest, ok := strings.CutPrefix(tok, syncTokenPrefix)
	id, rev, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || id != strconv.FormatInt(c.ID, 10) {
		return 0, errBadToken
	}
	n, err := strconv.ParseInt(rev, 10, 64)
	if err != nil || n < 0 || n > c.Revision {
		return 0, errBadToken
	}
	return n, nil
}

// syncCollection answers the sync-collection REPORT (RFC 6578 §3): with an empty token every object,
// otherwise what changed since the token, deleted names as 404 responses. An incremental sync reads the
// change log from its revision on, so its cost does not depend on the collection's size.
func (h *Handler) syncCollection(w http.ResponseWriter, r *http.Request, t target, body *node) error {
	if t.kind != resCollection || !t.exists {
		return precondition(http.StatusForbidden, nsDAV, "supported-report", "sync-collection is for collections")
	}
	if lvl := body.child(nsDAV, "sync-level"); lvl != nil && lvl.value() != "1" {
		return precondition(http.StatusForbidden, nsDAV, "supported-report", "sync-level 1 only")
	}
	tokNode := body.child(nsDAV, "sync-token")
	if tokNode == nil {
		return errBadRequest
	}
	// Read the collection afresh: the token must name a revision this answer covers.
	coll, err := calendar.CollectionByID(r.Context(), h.DB, t.coll.ID)
	if err != nil {
		return err
	}
	t.coll = coll
	since, err := parseSyncToken(coll, tokNode.value())
	if err != nil {
		return err
	}
	names := body.child(nsDAV, "prop").propNames()
	tw := &tailWriter{w: w}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	ms := davxml.NewMultistatusWriter(tw)
	ctx := r.Context()
	withData := wantsData(names)
	if since == 0 {
		err = calendar.EachObject(ctx, h.DB, coll.ID, withData, func(o db.Object) error {
			return ms.Propstats(t.objectHref(o.Name), propstats(objectRes(t, &o), names))
		})
	} else {
		// Changes committed after we read the collection are left to the next sync.
		err = calendar.EachChangedObject(ctx, h.DB, coll.ID, since, coll.Revision, withData, func(c db.Change, o *db.Object) error {
			if o == nil {
				return ms.Status(t.objectHref(c.Name), http.StatusNotFound, nil)
			}
			return ms.Propstats(t.objectHref(o.Name), propstats(objectRes(t, o), names))
		})
	}
	if err != nil {
		h.Log.Warn("caldav: sync-collection interrupted", "path", r.URL.Path, "err", err)
		return nil
	}
	ms.Close()
	return tw.finish("<D:sync-token>" + davxml.EscapeText(syncToken(coll)) + "</D:sync-token>\n")
}

func objectRes(t target, o *db.Object) resource {
	t.kind, t.object = resObject, o.Name
	return resource{t: t, obj: o}
}

// wantsData tells whether calendar-data or address-data is asked for: only then is content read.
func wantsData(names []xml.Name) bool {
	for _, n := range names {
		if n.Local == "calendar-data" && n.Space == nsCalDAV || n.Local == "address-data" && n.Space == nsCardDAV {
			return true
		}
	}
	return false
}

// closingTag is what davxml.MultistatusWriter writes last.
const closingTag = "</D:multistatus>\n"

// tailWriter passes a multistatus through but holds back its last bytes, so that an element that
// belongs after the responses (RFC 6578's sync-token) can be written before the closing tag. The
// shared writer of package dav has no hook for it.
type tailWriter struct {
	w    io.Writer
	tail []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	buf := append(t.tail, p...)
	keep := min(len(buf), len(closingTag))
	if _, err := t.w.Write(buf[:len(buf)-keep]); err != nil {
		return 0, err
	}
	t.tail = append([]byte(nil), buf[len(buf)-keep:]...)
	return len(p), nil
}

// finish writes extra before the held-back closing tag, then the tag.
func (t *tailWriter) finish(extra string) error {
	if !bytes.Equal(t.tail, []byte(closingTag)) {
		_, err := t.w.Write(t.tail)
		return err
	}
	_, err := io.WriteString(t.w, extra+closingTag)
	return err
}
