package calhttp

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"parvis/access"
	"parvis/calendar"
	"parvis/dav/davxml"
	"parvis/storage/db"
)

// calendarQuery is a parsed calendar-query REPORT (RFC 4791 §7.8).
type calendarQuery struct {
	props  []xml.Name
	filter calendar.CompFilter
	tz     string         // the query's CALDAV:timezone, "" when absent
	float  *time.Location // floating times: set from tz and the collection by calendarQuery (floatZone)
	expand *expansion
}

var errBadFilter = precondition(http.StatusForbidden, nsCalDAV, "valid-filter", "invalid filter")

func parseCalendarQuery(body *node) (calendarQuery, error) {
	q := calendarQuery{props: body.child(nsDAV, "prop").propNames()}
	fn := body.child(nsCalDAV, "filter")
	if fn == nil {
		return q, errBadFilter
	}
	cf := fn.child(nsCalDAV, "comp-filter")
	if cf == nil {
		return q, errBadFilter
	}
	var err error
	if q.filter, err = parseCompFilter(cf, 0); err != nil {
		return q, err
	}
	if tz := body.child(nsCalDAV, "timezone"); tz != nil {
		q.tz = tz.value()
	}
	q.expand, err = parseExpand(body.child(nsDAV, "prop"))
	return q, err
}

// floatZone is the time zone floating times and dates are read in (RFC 4791 §7.3): the query's
// CALDAV:timezone if usable, else the collection's calendar-timezone if usable, else UTC. Zones are
// resolved like objects' TZIDs: IANA or Windows names, or the VTIMEZONE's own definition.
func floatZone(query string, c db.Collection) *time.Location {
	for _, vcal := range []string{query, c.Timezone} {
		if vcal == "" {
			continue
		}
		if loc, ok := calendar.TimezoneLocation(vcal); ok {
			return loc
		}
	}
	return time.UTC
}

func parseCompFilter(n *node, depth int) (calendar.CompFilter, error) {
	name, ok := n.attr("name")
	if !ok || depth > 4 {
		return calendar.CompFilter{}, errBadFilter
	}
	f := calendar.CompFilter{Name: strings.ToUpper(name), IsNotDefined: n.child(nsCalDAV, "is-not-defined") != nil}
	if tr := n.child(nsCalDAV, "time-range"); tr != nil {
		r, err := parseTimeRange(tr)
		if err != nil {
			return f, err
		}
		f.TimeRange = &r
	}
	for _, c := range n.all(nsCalDAV, "comp-filter") {
		sub, err := parseCompFilter(c, depth+1)
		if err != nil {
			return f, err
		}
		f.Comps = append(f.Comps, sub)
	}
	for _, p := range n.all(nsCalDAV, "prop-filter") {
		pf, err := parsePropFilter(p)
		if err != nil {
			return f, err
		}
		f.Props = append(f.Props, pf)
	}
	return f, nil
}

func parsePropFilter(n *node) (calendar.PropFilter, error) {
	name, ok := n.attr("name")
	if !ok {
		return calendar.PropFilter{}, errBadFilter
	}
	f := calendar.PropFilter{Name: strings.ToUpper(name), IsNotDefined: n.child(nsCalDAV, "is-not-defined") != nil}
	if tr := n.child(nsCalDAV, "time-range"); tr != nil {
		r, err := parseTimeRange(tr)
		if err != nil {
			return f, err
		}
		f.TimeRange = &r
	}
	var err error
	if f.TextMatch, err = parseTextMatch(n.child(nsCalDAV, "text-match")); err != nil {
		return f, err
	}
	for _, p := range n.all(nsCalDAV, "param-filter") {
		pname, ok := p.attr("name")
		if !ok {
			return f, errBadFilter
		}
		pf := calendar.ParamFilter{Name: strings.ToUpper(pname), IsNotDefined: p.child(nsCalDAV, "is-not-defined") != nil}
		if pf.TextMatch, err = parseTextMatch(p.child(nsCalDAV, "text-match")); err != nil {
			return f, err
		}
		f.Params = append(f.Params, pf)
	}
	return f, nil
}

func parseTextMatch(n *node) (*calendar.TextMatch, error) {
	if n == nil {
		return nil, nil
	}
	coll, _ := n.attr("collation")
	neg, _ := n.attr("negate-condition")
	m := &calendar.TextMatch{Text: n.text.String(), Collation: coll, Negate: neg == "yes"}
	if !m.Supported() {
		return nil, precondition(http.StatusForbidden, nsCalDAV, "supported-collation", "unsupported collation")
	}
	return m, nil
}

// parseTimeRange reads the UTC start and end attributes (§9.9); at least one is required.
func parseTimeRange(n *node) (calendar.TimeRange, error) {
	var r calendar.TimeRange
	s, hasS := n.attr("start")
	e, hasE := n.attr("end")
	if !hasS && !hasE {
		return r, errBadFilter
	}
	var err error
	if hasS {
		if r.Start, err = time.Parse("20060102T150405Z", s); err != nil {
			return r, errBadFilter
		}
	}
	if hasE {
		if r.End, err = time.Parse("20060102T150405Z", e); err != nil {
			return r, errBadFilter
		}
	}
	if hasS && hasE && !r.End.After(r.Start) {
		return r, errBadFilter
	}
	return r, nil
}

// outerRange is the time-range of the query's component filter, used to read only the candidates
// from the index; the matcher then decides on each.
func (q calendarQuery) outerRange() (calendar.TimeRange, bool) {
	for _, c := range q.filter.Comps {
		if c.TimeRange != nil && !c.IsNotDefined {
			return *c.TimeRange, true
		}
	}
	return calendar.TimeRange{}, false
}

// kindOnly tells whether the filter asks for nothing but the objects of one kind ("" for all): the
// listing query clients send (comp-filter VCALENDAR > comp-filter VEVENT). An object holds components
// of one kind only (calendar.Parse), stored in its component column, so the answer needs no parsing.
func (q calendarQuery) kindOnly() (string, bool) {
	f := q.filter
	if f.Name != ical.CompCalendar || f.IsNotDefined || f.TimeRange != nil || len(f.Props) > 0 || len(f.Comps) > 1 {
		return "", false
	}
	if len(f.Comps) == 0 {
		return "", true
	}
	c := f.Comps[0]
	switch c.Name {
	case ical.CompEvent, ical.CompToDo, ical.CompJournal:
	default:
		return "", false // VTIMEZONE sits beside any kind: the component column does not tell
	}
	return c.Name, !c.IsNotDefined && c.TimeRange == nil && len(c.Props) == 0 && len(c.Comps) == 0
}

// calendarQuery runs the query on a collection: candidates from the index window when the filter has
// a time-range, then the exact matcher (recurrences, overrides, §9.9 rules) on each.
func (h *Handler) calendarQuery(w http.ResponseWriter, r *http.Request, t target, q calendarQuery) error {
	if t.kind != resCollection || !t.exists {
		return precondition(http.StatusForbidden, nsDAV, "supported-report", "calendar-query is for collections")
	}
	q.float = floatZone(q.tz, t.coll)
	if q.expand != nil {
		q.expand.float = q.float
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	ms := davxml.NewMultistatusWriter(w)
	visit := func(o db.Object) error {
		obj, err := calendar.Parse(o.Data)
		if err != nil {
			return nil // stored before a stricter check: never matched, never fatal
		}
		ok, err := obj.Matches(q.filter, q.float)
		if err != nil || !ok {
			return nil
		}
		if !wantsData(q.props) {
			o.Data = nil
		}
		res := objectRes(t, &o)
		res.expand = q.expand
		return ms.Propstats(t.objectHref(o.Name), propstats(res, q.props))
	}
	ctx := r.Context()
	var err error
	if kind, ok := q.kindOnly(); ok {
		withData := wantsData(q.props)
		err = calendar.EachObject(ctx, h.DB, t.coll.ID, withData, func(o db.Object) error {
			if kind != "" && o.Component != kind {
				return nil
			}
			res := objectRes(t, &o)
			res.expand = q.expand
			return ms.Propstats(t.objectHref(o.Name), propstats(res, q.props))
		})
	} else if tr, ok := q.outerRange(); ok {
		err = calendar.EachObjectIn(ctx, h.DB, t.coll.ID, tr.Start, tr.End, visit)
	} else {
		err = calendar.EachObject(ctx, h.DB, t.coll.ID, true, visit)
	}
	if err != nil {
		h.Log.Warn("caldav: calendar-query interrupted", "path", r.URL.Path, "err", err)
		return nil
	}
	return ms.Close()
}

// ot0 is the person of the request, for resolving the hrefs a report names.
func ot0(r *http.Request) db.Person {
	p, _ := access.PersonFrom(r.Context())
	return p
}

func containsEncodedSlash(raw string) bool {
	return bytes.Contains(bytes.ToLower([]byte(raw)), []byte("%2f"))
}
