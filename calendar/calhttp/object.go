package calhttp

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// get serves an object byte-identical to what was stored, with its strong ETag. GET on a collection
// is not a CalDAV operation (405).
func (h *Handler) get(w http.ResponseWriter, r *http.Request, t target) error {
	if t.kind != resObject {
		return errNotAllowed
	}
	o, err := calendar.StoredObject(r.Context(), h.DB, t.coll.ID, t.object)
	if err != nil {
		return err
	}
	hd := w.Header()
	etag := `"` + o.ETag + `"`
	hd.Set("ETag", etag)
	hd.Set("Last-Modified", o.ModifiedAt.UTC().Format(http.TimeFormat))
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagListMatches(inm, o.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	hd.Set("Content-Type", contentType(t.space))
	hd.Set("Content-Length", strconv.Itoa(len(o.Data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(o.Data)
	}
	return nil
}

// put stores an object through the one write path (calendar.Put). If-Match and If-None-Match are
// evaluated inside the write transaction, so two clients holding the same ETag cannot both win; 201 on
// create, 204 on update.
func (h *Handler) put(w http.ResponseWriter, r *http.Request, t target) error {
	if t.kind != resObject {
		return errNotAllowed
	}
	if err := refuseInBox(t); err != nil {
		return err
	}
	if err := t.mayWrite(); err != nil {
		return err
	}
	limit := int64(calendar.MaxObjectSize)
	if t.coll.Kind == db.KindAddressBook {
		limit = calendar.MaxCardSize
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return errBadRequest
	}
	p, _ := access.PersonFrom(r.Context())
	o, created, err := calendar.Put(r.Context(), h.DB, t.coll, t.object, data, calendar.Edit{By: p, Scheduler: h.Scheduler,
		Check: func(rd db.Read) error { return checkConditions(rd, r, t) }})
	var conflict *calendar.UIDConflictError
	if errors.As(err, &conflict) {
		return uidConflict(t, conflict.Name)
	} else if err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+o.ETag+`"`)
	if created {
		w.WriteHeader(http.StatusCreated)
	} else {
		w.WriteHeader(http.StatusNoContent)
	}
	return nil
}

func uidConflict(t target, name string) error {
	space, cond := nsCalDAV, "no-uid-conflict"
	if t.coll.Kind == db.KindAddressBook {
		space = nsCardDAV
	}
	return &statusError{code: http.StatusForbidden, msg: cond, space: space, cond: cond, inner: string(hrefXML(t.objectHref(name)))}
}

// checkConditions evaluates If-Match and If-None-Match against the object as the transaction sees it.
func checkConditions(rd db.Read, r *http.Request, t target) error {
	im, inm := r.Header.Get("If-Match"), r.Header.Get("If-None-Match")
	if im == "" && inm == "" {
		return nil
	}
	cur, err := rd.Object(t.coll.ID, t.object)
	exists := err == nil
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return err
	}
	if im != "" && (!exists || !etagListMatches(im, cur.ETag)) {
		return errPrecondition
	}
	if inm != "" && exists && etagListMatches(inm, cur.ETag) {
		return errPrecondition
	}
	return nil
}

// etagListMatches tells whether an If-Match/If-None-Match value ("*", or a list of tags, weak ones
// compared weakly) names etag.
func etagListMatches(list, etag string) bool {
	for _, tag := range strings.Split(list, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == `"`+etag+`"` {
			return true
		}
	}
	return false
}

// delete removes an object (with If-Match checked in the transaction) or a collection.
func (h *Handler) delete(w http.ResponseWriter, r *http.Request, t target) error {
	if err := t.mayWrite(); err != nil && (t.kind == resObject || t.kind == resCollection) {
		return err
	}
	switch t.kind {
	case resObject:
		p, _ := access.PersonFrom(r.Context())
		err := calendar.Delete(r.Context(), h.DB, t.coll, t.object, calendar.Edit{By: p, Scheduler: h.Scheduler,
			Check: func(rd db.Read) error { return checkConditions(rd, r, t) }})
		if err != nil {
			return err
		}
	case resCollection:
		if err := refuseInBox(t); err != nil {
			return err
		}
		if err := h.deleteCollection(r, t); err != nil {
			return err
		}
	default:
		return precondition(http.StatusForbidden, nsDAV, "need-privileges", "homes and principals cannot be deleted")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
