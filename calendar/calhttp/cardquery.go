package calhttp

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"parvis/calendar"
	"parvis/dav/davxml"
	"parvis/storage/db"
)

// cardQuery is a parsed addressbook-query REPORT (RFC 6352 §8.6).
type cardQuery struct {
	props  []xml.Name
	filter calendar.CardFilter
	limit  int // 0: no limit
}

var errBadCardFilter = precondition(http.StatusForbidden, nsCardDAV, "supported-filter", "unsupported filter")

func parseCardQuery(body *node) (cardQuery, error) {
	q := cardQuery{props: body.child(nsDAV, "prop").propNames()}
	fn := body.child(nsCardDAV, "filter")
	if fn == nil {
		return q, errBadCardFilter
	}
	q.filter.AllOf = isAllOf(fn)
	for _, pn := range fn.all(nsCardDAV, "prop-filter") {
		pf, err := parseCardPropFilter(pn)
		if err != nil {
			return q, err
		}
		q.filter.Props = append(q.filter.Props, pf)
	}
	if l := body.child(nsCardDAV, "limit"); l != nil {
		n := l.child(nsCardDAV, "nresults")
		if n == nil {
			return q, errBadRequest
		}
		v, err := strconv.Atoi(n.value())
		if err != nil || v < 1 {
			return q, errBadRequest
		}
		q.limit = v
	}
	return q, nil
}

// isAllOf reads a test attribute: "anyof" (the default) or "allof".
func isAllOf(n *node) bool {
	t, _ := n.attr("test")
	return t == "allof"
}

func parseCardPropFilter(n *node) (calendar.CardPropFilter, error) {
	name, ok := n.attr("name")
	if !ok || name == "" {
		return calendar.CardPropFilter{}, errBadCardFilter
	}
	f := calendar.CardPropFilter{Name: strings.ToUpper(name), AllOf: isAllOf(n), IsNotDefined: n.child(nsCardDAV, "is-not-defined") != nil}
	for _, tn := range n.all(nsCardDAV, "text-match") {
		m, err := parseCardTextMatch(tn)
		if err != nil {
			return f, err
		}
		f.TextMatches = append(f.TextMatches, *m)
	}
	for _, p := range n.all(nsCardDAV, "param-filter") {
		pname, ok := p.attr("name")
		if !ok {
			return f, errBadCardFilter
		}
		pf := calendar.ParamFilter{Name: strings.ToUpper(pname), IsNotDefined: p.child(nsCardDAV, "is-not-defined") != nil}
		if tn := p.child(nsCardDAV, "text-match"); tn != nil {
			m, err := parseCardTextMatch(tn)
			if err != nil {
				return f, err
			}
			pf.TextMatch = m
		}
		f.Params = append(f.Params, pf)
	}
	return f, nil
}

// parseCardTextMatch reads a CardDAV text-match: its match-type, and a collation that defaults to
// i;unicode-casemap (RFC 6352 §8.3), where CalDAV's defaults to i;ascii-casemap.
func parseCardTextMatch(n *node) (*calendar.TextMatch, error) {
	coll, ok := n.attr("collation")
	if !ok {
		coll = calendar.CardDefaultCollation
	}
	mt, _ := n.attr("match-type")
	neg, _ := n.attr("negate-condition")
	m := &calendar.TextMatch{Text: n.text.String(), Collation: coll, MatchType: mt, Negate: neg == "yes"}
	switch mt {
	case "", "equals", "contains", "starts-with", "ends-with":
	default:
		return nil, errBadCardFilter
	}
	if !m.Supported() {
		return nil, precondition(http.StatusForbidden, nsCardDAV, "supported-collation", "unsupported collation")
	}
	return m, nil
}

// addressbookQuery runs the query on an address book, one card in memory at a time. Past the
// client's limit, the answer ends with 507 on the collection, as §8.6.1 asks, to say it is truncated.
func (h *Handler) addressbookQuery(w http.ResponseWriter, r *http.Request, t target, q cardQuery) error {
	if t.kind != resCollection || !t.exists {
		return precondition(http.StatusForbidden, nsDAV, "supported-report", "addressbook-query is for address books")
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	ms := davxml.NewMultistatusWriter(w)
	found, truncated := 0, false
	err := calendar.EachObject(r.Context(), h.DB, t.coll.ID, true, func(o db.Object) error {
		c, err := calendar.ParseCard(o.Data)
		if err != nil || !q.filter.Matches(c.Card) || truncated {
			return nil
		}
		if q.limit > 0 && found == q.limit {
			truncated = true
			return nil
		}
		found++
		if !wantsData(q.props) {
			o.Data = nil
		}
		return ms.Propstats(t.objectHref(o.Name), propstats(objectRes(t, &o), q.props))
	})
	if err == nil && truncated {
		err = ms.Status(t.collHref(), http.StatusInsufficientStorage, nil)
	}
	if err != nil {
		h.Log.Warn("carddav: addressbook-query interrupted", "path", r.URL.Path, "err", err)
		return nil
	}
	return ms.Close()
}
