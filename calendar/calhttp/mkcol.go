package calhttp

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/emersion/go-ical"

	"parvis/calendar"
	"parvis/dav/davxml"
	"parvis/storage/db"
)

// mkcol creates a collection: MKCALENDAR (RFC 4791 §5.3.1) in a calendar home, or an extended MKCOL
// (RFC 5689) whose resourcetype says calendar or address book. A personal one goes in the person's
// home; "<group>~<name>" creates one in a group the person may write to.
func (h *Handler) mkcol(w http.ResponseWriter, r *http.Request, t target) error {
	if t.kind != resCollection {
		return errNotAllowed
	}
	if t.exists {
		return precondition(http.StatusMethodNotAllowed, nsDAV, "resource-must-be-null", "exists already")
	}
	if err := t.mayWrite(); err != nil {
		return err
	}
	if r.Method == "MKCALENDAR" && t.space != "calendars" {
		return errNotAllowed
	}
	c := t.coll
	if c.Name == "" || strings.Contains(c.Name, groupSep) {
		return precondition(http.StatusForbidden, nsDAV, "need-privileges", "invalid collection name")
	}
	if c.Kind == db.KindCalendar {
		c.Components = []string{ical.CompEvent, ical.CompToDo}
	}
	c.DisplayName = c.Name
	if err := h.readMkcolBody(r, &c); err != nil {
		return err
	}
	if err := calendar.CreateCollection(r.Context(), h.DB, &c, t.person); err != nil {
		return err
	}
	w.Header().Set("Location", t.collHref())
	w.WriteHeader(http.StatusCreated)
	return nil
}

// readMkcolBody applies the properties of an optional MKCALENDAR or MKCOL body to c. Properties we
// do not keep are ignored, as clients send many (free-busy sets, Apple extras).
func (h *Handler) readMkcolBody(r *http.Request, c *db.Collection) error {
	if r.ContentLength == 0 {
		return nil
	}
	body, err := parseTree(davxml.LimitBody(r, h.MaxXMLBody))
	if errors.Is(err, errXML) && r.ContentLength < 0 {
		return nil // no body sent, chunked
	}
	if err != nil {
		return bodyError(err)
	}
	if !body.is(nsCalDAV, "mkcalendar") && !body.is(nsDAV, "mkcol") {
		return errBadRequest
	}
	for _, set := range body.all(nsDAV, "set") {
		for _, p := range set.child(nsDAV, "prop").children0() {
			if p.is(nsDAV, "resourcetype") {
				if err := checkResourceType(p, c.Kind); err != nil {
					return err
				}
				continue
			}
			if p.is(nsCalDAV, "supported-calendar-component-set") {
				if err := setComponents(p, c); err != nil {
					return err
				}
				continue
			}
			if err := setProp(c, p.name, p.text.String()); err != nil && !errors.Is(err, errProtected) {
				return err
			}
		}
	}
	return nil
}

func (n *node) children0() []*node {
	if n == nil {
		return nil
	}
	return n.children
}

// checkResourceType refuses an extended MKCOL for a kind other than the home's.
func checkResourceType(p *node, kind string) error {
	want := p.child(nsCalDAV, "calendar")
	if kind == db.KindAddressBook {
		want = p.child(nsCardDAV, "addressbook")
	}
	if want == nil {
		return precondition(http.StatusForbidden, nsDAV, "valid-resourcetype", "this home holds other collections")
	}
	return nil
}

func setComponents(p *node, c *db.Collection) error {
	var comps []string
	for _, comp := range p.all(nsCalDAV, "comp") {
		name, _ := comp.attr("name")
		switch name = strings.ToUpper(name); name {
		case ical.CompEvent, ical.CompToDo, ical.CompJournal:
			comps = append(comps, name)
		default:
			return precondition(http.StatusForbidden, nsCalDAV, "supported-calendar-component", "unsupported component")
		}
	}
	if len(comps) == 0 || c.Kind != db.KindCalendar {
		return errBadRequest
	}
	c.Components = comps
	return nil
}

var errProtected = errors.New("protected property")

// setProp changes one writable property of c; errProtected for any other.
func setProp(c *db.Collection, n xml.Name, v string) error {
	switch {
	case n == xml.Name{Space: nsDAV, Local: "displayname"}:
		c.DisplayName = strings.TrimSpace(v)
	case n == xml.Name{Space: nsCalDAV, Local: "calendar-description"} && c.Kind == db.KindCalendar,
		n == xml.Name{Space: nsCardDAV, Local: "addressbook-description"} && c.Kind == db.KindAddressBook:
		c.Description = v
	case n == xml.Name{Space: nsApple, Local: "calendar-color"} && c.Kind == db.KindCalendar:
		c.Color = strings.TrimSpace(v)
	case n == xml.Name{Space: nsApple, Local: "calendar-order"} && c.Kind == db.KindCalendar:
		o, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return errBadRequest
		}
		c.Order = o
	case n == xml.Name{Space: nsCalDAV, Local: "calendar-timezone"} && c.Kind == db.KindCalendar:
		if v != "" && !isTimezone(v) {
			return precondition(http.StatusForbidden, nsCalDAV, "valid-calendar-data", "not a VTIMEZONE")
		}
		c.Timezone = v
	default:
		return errProtected
	}
	return nil
}

// isTimezone tells whether v is a VCALENDAR holding exactly one VTIMEZONE (RFC 4791 §5.2.2).
func isTimezone(v string) bool {
	cal, err := decodeICal(v)
	return err == nil && len(cal.Children) == 1 && cal.Children[0].Name == ical.CompTimezone
}

// decodeICal decodes a VCALENDAR sent inside XML (calendar-timezone, the query's timezone). go-ical
// panics on some malformed lines; that is a decoding error like the others.
func decodeICal(v string) (cal *ical.Calendar, err error) {
	defer func() {
		if recover() != nil {
			cal, err = nil, errBadRequest
		}
	}()
	return ical.NewDecoder(strings.NewReader(v)).Decode()
}

// proppatch changes collection properties, all or nothing (RFC 4918 §9.2): when one cannot be set,
// it answers 403 for it, 424 for the others, and changes nothing.
func (h *Handler) proppatch(w http.ResponseWriter, r *http.Request, t target) error {
	if t.kind != resCollection || !t.exists {
		return precondition(http.StatusForbidden, nsDAV, "cannot-modify-protected-property", "no writable properties here")
	}
	if err := refuseInBox(t); err != nil {
		return err
	}
	if err := t.mayWrite(); err != nil {
		return err
	}
	body, err := parseTree(davxml.LimitBody(r, h.MaxXMLBody))
	if err != nil || !body.is(nsDAV, "propertyupdate") {
		return bodyError(err)
	}
	c := t.coll
	var done, failed []davxml.Prop
	for _, op := range body.children {
		remove := op.is(nsDAV, "remove")
		if !remove && !op.is(nsDAV, "set") {
			continue
		}
		for _, p := range op.child(nsDAV, "prop").children0() {
			v := p.text.String()
			if remove {
				v = ""
			}
			prop := davxml.Prop{Name: davxml.Name{Space: p.name.Space, Local: p.name.Local}}
			if err := setProp(&c, p.name, v); err != nil {
				failed = append(failed, prop)
			} else {
				done = append(done, prop)
			}
		}
	}
	ps := []davxml.Propstat{{Status: http.StatusOK, Props: done}}
	if len(failed) > 0 {
		ps = []davxml.Propstat{{Status: http.StatusForbidden, Props: failed, Error: []byte("<D:cannot-modify-protected-property/>")}}
		if len(done) > 0 {
			ps = append(ps, davxml.Propstat{Status: http.StatusFailedDependency, Props: done})
		}
	} else if err := calendar.UpdateCollection(r.Context(), h.DB, c); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	ms := davxml.NewMultistatusWriter(w)
	ms.Propstats(t.collHref(), ps)
	return ms.Close()
}

// deleteCollection removes a collection and everything in it. A group's own agenda, task list and
// address book cannot be deleted by a member: the group would lose them for everyone.
func (h *Handler) deleteCollection(r *http.Request, t target) error {
	if !t.exists {
		return errNotFound
	}
	err := calendar.DeleteCollection(r.Context(), h.DB, t.coll, t.person)
	if errors.Is(err, calendar.ErrOwnCollection) {
		return precondition(http.StatusForbidden, nsDAV, "need-privileges", "a group's own collections stay")
	}
	return err
}
