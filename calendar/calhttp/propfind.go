package calhttp

import (
	"encoding/xml"
	"net/http"
	"slices"

	"parvis/calendar"
	"parvis/dav/davxml"
	"parvis/storage/db"
)

// propfind answers Depth 0 and 1, streaming one response per entry; Depth infinity is refused with
// propfind-finite-depth, as the files handler does.
func (h *Handler) propfind(w http.ResponseWriter, r *http.Request, t target) error {
	depth := r.Header.Get("Depth")
	if depth == "" || depth == "infinity" {
		return precondition(http.StatusForbidden, nsDAV, "propfind-finite-depth", "Depth: infinity is not supported")
	}
	if depth != "0" && depth != "1" {
		return errBadRequest
	}
	pf, err := davxml.ParsePropfind(davxml.LimitBody(r, h.MaxXMLBody))
	if err != nil {
		return bodyError(err)
	}
	if t.kind == resCollection && !t.exists {
		return errNotFound
	}
	names := func(k resKind) []xml.Name {
		if pf.AllProp || pf.PropName {
			return append(allProps[k][:len(allProps[k]):len(allProps[k])], xmlNames(pf.Include)...)
		}
		return xmlNames(pf.Props)
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	ms := davxml.NewMultistatusWriter(w)
	err = h.eachResource(r, t, depth == "1", func(res resource) error {
		asked := names(res.t.kind)
		if slices.Contains(asked, xml.Name{Space: nsCS, Local: "publish-url"}) {
			var err error
			if res.publishURL, err = h.publishURL(r, res.t); err != nil {
				return err
			}
		}
		return ms.Propstats(res.href(), propstats(res, asked))
	})
	if err != nil {
		h.Log.Warn("caldav: propfind interrupted", "path", r.URL.Path, "err", err)
	}
	return ms.Close()
}

func xmlNames(ns []davxml.Name) []xml.Name {
	out := make([]xml.Name, len(ns))
	for i, n := range ns {
		out[i] = xml.Name{Space: n.Space, Local: n.Local}
	}
	return out
}

// eachResource yields the target and, with children, its members.
func (h *Handler) eachResource(r *http.Request, t target, children bool, yield func(resource) error) error {
	ctx := r.Context()
	if t.kind == resObject {
		o, err := calendar.StoredObject(ctx, h.DB, t.coll.ID, t.object)
		if err != nil {
			return err
		}
		o.Data = nil
		return yield(resource{t: t, obj: &o})
	}
	if err := yield(resource{t: t}); err != nil || !children {
		return err
	}
	switch t.kind {
	case resRoot:
		for _, space := range []string{"principals", "calendars", "addressbooks"} {
			k := resHome
			if space == "principals" {
				k = resPrincipal
			}
			if err := yield(resource{t: target{kind: k, person: t.person, space: space}}); err != nil {
				return err
			}
		}
	case resHome:
		colls, err := h.visibleCollections(ctx, t.person, t.space)
		if err != nil {
			return err
		}
		for _, c := range colls {
			if err := yield(resource{t: c}); err != nil {
				return err
			}
		}
	case resCollection:
		return calendar.EachObject(ctx, h.DB, t.coll.ID, false, func(o db.Object) error {
			ot := t
			ot.kind, ot.object = resObject, o.Name
			return yield(resource{t: ot, obj: &o})
		})
	}
	return nil
}
