package calhttp

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"parvis/access"
	"parvis/calendar"
	"parvis/dav/davxml"
)

// maxFreeBusyRecipients caps the people one free-busy request asks about: enough for a board, not
// a way to read the whole association's diaries at once.
const maxFreeBusyRecipients = 50

// outboxPost answers a free-busy request POSTed to the outbox (RFC 6638 §5.1): a VFREEBUSY of
// METHOD:REQUEST whose ORGANIZER is the requester, asking about its ATTENDEEs between DTSTART and
// DTEND. Each recipient gets a C:response: their busy time as a VFREEBUSY REPLY when access lets
// the requester see it (themselves, people they share an agenda with), 3.7 otherwise.
func (h *Handler) outboxPost(w http.ResponseWriter, r *http.Request, t target) error {
	if !strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "text/calendar") {
		return precondition(http.StatusBadRequest, nsCalDAV, "supported-calendar-data", "the outbox takes text/calendar")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.MaxXMLBody+1))
	if err != nil {
		return errBadRequest
	}
	if int64(len(body)) > h.MaxXMLBody {
		return davxml.ErrBodyTooLarge
	}
	req, err := parseFreeBusyRequest(body, t)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<C:schedule-response xmlns:D="DAV:" xmlns:C="` + nsCalDAV + `">`)
	for _, to := range req.attendees {
		b.WriteString("<C:response><C:recipient>" + string(hrefXML(to)) + "</C:recipient>")
		email, _ := strings.CutPrefix(strings.ToLower(to), "mailto:")
		p, err := h.Access.FreeBusyOf(r.Context(), t.person, email)
		if errors.Is(err, access.ErrNoAccess) {
			b.WriteString("<C:request-status>3.7;Invalid calendar user</C:request-status></C:response>")
			continue
		} else if err != nil {
			return err
		}
		periods, err := calendar.PersonBusy(r.Context(), h.DB, p.ID, req.rng, h.Zone)
		if err != nil {
			return err
		}
		b.WriteString("<C:request-status>2.0;Success</C:request-status><C:calendar-data>")
		b.WriteString(davxml.EscapeCharData(freeBusyReply(req, to, periods, time.Now())))
		b.WriteString("</C:calendar-data></C:response>")
	}
	b.WriteString("</C:schedule-response>\n")
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, err = io.WriteString(w, b.String())
	return err
}

// freeBusyRequest is what a free-busy request asks.
type freeBusyRequest struct {
	uid, organizer string
	rng            calendar.TimeRange
	attendees      []string
}

// parseFreeBusyRequest reads a free-busy request, refusing one that is not exactly one VFREEBUSY
// of METHOD:REQUEST with a range and attendees, or whose ORGANIZER is not the requester (§6.1.1,
// organizer-allowed).
func parseFreeBusyRequest(body []byte, t target) (freeBusyRequest, error) {
	var req freeBusyRequest
	invalid := func(why string) error {
		return precondition(http.StatusBadRequest, nsCalDAV, "valid-scheduling-message", why)
	}
	cal, err := ical.NewDecoder(strings.NewReader(string(body))).Decode()
	if err != nil {
		return req, invalid("not iCalendar: " + err.Error())
	}
	if m, _ := cal.Props.Text(ical.PropMethod); !strings.EqualFold(m, "REQUEST") {
		return req, invalid("a free-busy request has METHOD:REQUEST")
	}
	var fb *ical.Component
	for _, c := range cal.Children {
		if c.Name == ical.CompFreeBusy {
			if fb != nil {
				return req, invalid("one VFREEBUSY per request")
			}
			fb = c
		}
	}
	if fb == nil {
		return req, invalid("no VFREEBUSY")
	}
	start, err1 := fb.Props.DateTime(ical.PropDateTimeStart, time.UTC)
	end, err2 := fb.Props.DateTime(ical.PropDateTimeEnd, time.UTC)
	if err1 != nil || err2 != nil || start.IsZero() || !end.After(start) {
		return req, invalid("DTSTART and a later DTEND are required")
	}
	req.rng = calendar.TimeRange{Start: start, End: end}
	req.uid, _ = fb.Props.Text(ical.PropUID)
	org := fb.Props.Get(ical.PropOrganizer)
	if org == nil || !ownAddress(t, org.Value) {
		return req, precondition(http.StatusForbidden, nsCalDAV, "organizer-allowed", "the ORGANIZER is the one asking")
	}
	req.organizer = org.Value
	for _, a := range fb.Props.Values(ical.PropAttendee) {
		req.attendees = append(req.attendees, a.Value)
	}
	if len(req.attendees) == 0 {
		return req, invalid("no ATTENDEE to ask about")
	}
	if len(req.attendees) > maxFreeBusyRecipients {
		return req, precondition(http.StatusForbidden, nsCalDAV, "recipient-permissions", "too many people in one request")
	}
	return req, nil
}

// ownAddress tells whether a calendar address is one of the requester's (calendar-user-address-set).
func ownAddress(t target, addr string) bool {
	if email, ok := strings.CutPrefix(strings.ToLower(addr), "mailto:"); ok {
		return strings.EqualFold(email, t.person.Email)
	}
	return strings.TrimSuffix(addr, "/") == strings.TrimSuffix(principalHref(t.person), "/")
}

// freeBusyReply is the VFREEBUSY REPLY for one recipient.
func freeBusyReply(req freeBusyRequest, to string, periods []calendar.Period, now time.Time) string {
	var props []ical.Prop
	add := func(name, value string) {
		p := ical.NewProp(name)
		p.Value = value
		props = append(props, *p)
	}
	if req.uid != "" {
		add(ical.PropUID, req.uid)
	}
	add(ical.PropOrganizer, req.organizer)
	add(ical.PropAttendee, to)
	return freeBusyCalendar("REPLY", props, req.rng, periods, now)
}
