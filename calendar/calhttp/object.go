package calhttp

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"parvis/calendar"
	"parvis/storage/db"
)

// get serves an object byte-identical to what was stored, with its strong ETag. GET on a collection
// is not a CalDAV operation (405).
func (h *Handler) get(w http.ResponseWriter, r *http.Request, t target) error {
	if t.kind != resObject {
		return errNotAllowed
	}
	o, err := h.DB.R(r.Context()).Object(t.coll.ID, t.object)
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

// parsed is a validated body ready to store.
type parsed struct {
	uid, component string
	window         db.Window
}

// validate checks a PUT body against the collection: iCalendar or vCard per its kind, one of its
// components. Nothing is stored when it fails.
func validate(c db.Collection, data []byte) (parsed, error) {
	if c.Kind == db.KindAddressBook {
		card, err := calendar.ParseCard(data)
		if err != nil {
			return parsed{}, err
		}
		return parsed{uid: card.UID, component: "VCARD", window: db.Everywhere}, nil
	}
	o, err := calendar.Parse(data)
	if err != nil {
		return parsed{}, err
	}
	if !slices.Contains(c.Components, o.Kind) {
		return parsed{}, &calendar.PreconditionError{Condition: "supported-calendar-component", Reason: o.Kind + " is not stored here"}
	}
	return parsed{uid: o.UID, component: o.Kind, window: o.Window()}, nil
}

// put stores an object. If-Match and If-None-Match are evaluated inside the write transaction, so two
// clients holding the same ETag cannot both win; 201 on create, 204 on update.
func (h *Handler) put(w http.ResponseWriter, r *http.Request, t target) error {
	if t.kind != resObject {
		return errNotAllowed
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
	p, err := validate(t.coll, data)
	if err != nil {
		return err
	}
	o := db.Object{CollectionID: t.coll.ID, Name: t.object, UID: p.uid, Component: p.component, Data: data, Window: p.window}
	var created bool
	err = h.DB.Write(r.Context(), func(tx *db.Tx) error {
		if err := checkConditions(tx.R(), r, t); err != nil {
			return err
		}
		if other, err := tx.R().ObjectByUID(t.coll.ID, p.uid); err == nil && other.Name != t.object {
			return uidConflict(t, other.Name)
		}
		created, err = tx.PutObject(&o)
		return err
	})
	if err != nil {
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
		err := h.DB.Write(r.Context(), func(tx *db.Tx) error {
			if err := checkConditions(tx.R(), r, t); err != nil {
				return err
			}
			return tx.DeleteObject(t.coll.ID, t.object)
		})
		if err != nil {
			return err
		}
	case resCollection:
		if err := h.deleteCollection(r, t); err != nil {
			return err
		}
	default:
		return precondition(http.StatusForbidden, nsDAV, "need-privileges", "homes and principals cannot be deleted")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
