package calhttp

import (
	"encoding/xml"
	"net/http"
	"strings"

	"parvis/dav/davxml"
	"parvis/storage/db"
)

// Principal search (RFC 3744 §9.4–9.5): clients find the people to invite to a meeting by name or
// address. The principal collection is the DAV root (DAV:principal-collection-set); a search finds
// the requester's colleagues only — the people of the groups they belong to, as access answers —
// and answers for each only the properties that identify a person (never their homes).

// maxPrincipalResults bounds a search's answer: a few letters typed must not list the association.
const maxPrincipalResults = 50

// searchable are the properties a principal search matches, and that its results may carry.
var searchable = []xml.Name{{Space: nsDAV, Local: "displayname"}, {Space: nsCalDAV, Local: "calendar-user-address-set"}}

// principalSearchPropertySet answers DAV:principal-search-property-set.
func (h *Handler) principalSearchPropertySet(w http.ResponseWriter) error {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<D:principal-search-property-set xmlns:D="DAV:" xmlns:C="` + nsCalDAV + `">`)
	for _, p := range []struct{ prop, desc string }{{"<D:displayname/>", "Nom"}, {"<C:calendar-user-address-set/>", "Adresse e-mail"}} {
		b.WriteString(`<D:principal-search-property><D:prop>` + p.prop + `</D:prop><D:description xml:lang="fr">` + p.desc +
			`</D:description></D:principal-search-property>`)
	}
	b.WriteString("</D:principal-search-property-set>\n")
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write([]byte(b.String()))
	return err
}

// principalPropertySearch answers DAV:principal-property-search among the requester's colleagues:
// every property-search must match (test="anyof": one is enough), as a case-insensitive substring
// of the name or the mailto: address.
func (h *Handler) principalPropertySearch(w http.ResponseWriter, r *http.Request, t target, body *node) error {
	type search struct {
		props []xml.Name
		match string
	}
	var searches []search
	for _, ps := range body.all(nsDAV, "property-search") {
		m := ps.child(nsDAV, "match")
		if m == nil || ps.child(nsDAV, "prop") == nil {
			return errBadRequest
		}
		searches = append(searches, search{props: ps.child(nsDAV, "prop").propNames(), match: strings.ToLower(m.value())})
	}
	if len(searches) == 0 {
		return errBadRequest
	}
	anyOf := false
	if test, ok := body.attr("test"); ok {
		anyOf = test == "anyof"
	}
	people, err := h.Access.Colleagues(r.Context(), t.person)
	if err != nil {
		return err
	}
	var names []xml.Name
	if p := body.child(nsDAV, "prop"); p != nil {
		names = p.propNames()
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	ms := davxml.NewMultistatusWriter(w)
	found := 0
	for _, p := range people {
		hits := 0
		for _, s := range searches {
			if principalMatches(p, s.props, s.match) {
				hits++
			}
		}
		if hits == 0 || !anyOf && hits < len(searches) {
			continue
		}
		if found++; found > maxPrincipalResults {
			break
		}
		if err := ms.Propstats(principalHref(p), principalResult(p, names)); err != nil {
			return err
		}
	}
	return ms.Close()
}

// principalMatches tells whether one of the properties of person p contains match.
func principalMatches(p db.Person, props []xml.Name, match string) bool {
	for _, n := range props {
		var v string
		switch n {
		case searchable[0]:
			v = p.Name + " " + p.Email
		case searchable[1]:
			v = "mailto:" + p.Email
		}
		if v != "" && strings.Contains(strings.ToLower(v), match) {
			return true
		}
	}
	return false
}

// principalResult answers the properties asked of a found person: their name, their address and
// kind, their principal URL; anything else 404.
func principalResult(p db.Person, names []xml.Name) []davxml.Propstat {
	ok := davxml.Propstat{Status: http.StatusOK}
	missing := davxml.Propstat{Status: http.StatusNotFound}
	for _, n := range names {
		name := davxml.Name{Space: n.Space, Local: n.Local}
		var v []byte
		switch n {
		case searchable[0]:
			v = []byte(davxml.EscapeText(p.DisplayName()))
		case searchable[1]:
			v = hrefXML("mailto:" + p.Email)
		case xml.Name{Space: nsCalDAV, Local: "calendar-user-type"}:
			v = []byte("INDIVIDUAL")
		case xml.Name{Space: nsDAV, Local: "principal-URL"}:
			v = hrefXML(principalHref(p))
		}
		if v != nil {
			ok.Props = append(ok.Props, davxml.Prop{Name: name, Value: v})
		} else {
			missing.Props = append(missing.Props, davxml.Prop{Name: name})
		}
	}
	var out []davxml.Propstat
	for _, ps := range []davxml.Propstat{ok, missing} {
		if len(ps.Props) > 0 {
			out = append(out, ps)
		}
	}
	return out
}
