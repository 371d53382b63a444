package calhttp

import (
	"net/http"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/google/uuid"

	"parvis/calendar"
	"parvis/storage/db"
)

// freeBusyQuery answers the free-busy-query REPORT (RFC 4791 §7.10) on a calendar: one VFREEBUSY
// listing the busy periods of the range, merged, in UTC. Candidates come from the index window, like
// calendar-query's. Whoever may read the calendar may read its free-busy (read-free-busy is part of
// read here). Both bounds of the range are required: an open range would list endless recurrences.
func (h *Handler) freeBusyQuery(w http.ResponseWriter, r *http.Request, t target, body *node) error {
	if t.kind != resCollection || !t.exists || t.coll.Kind != db.KindCalendar {
		return precondition(http.StatusForbidden, nsDAV, "supported-report", "free-busy-query is for calendars")
	}
	tr := body.child(nsCalDAV, "time-range")
	if tr == nil {
		return errBadRequest
	}
	_, hasS := tr.attr("start")
	_, hasE := tr.attr("end")
	if !hasS || !hasE {
		return errBadRequest
	}
	rng, err := parseTimeRange(tr)
	if err != nil {
		return errBadRequest
	}
	var periods []calendar.Period
	float := floatZone("", t.coll)
	err = calendar.EachObjectIn(r.Context(), h.DB, t.coll.ID, rng.Start, rng.End, func(o db.Object) error {
		obj, err := calendar.Parse(o.Data)
		if err != nil {
			return nil // stored before a stricter check: blocks nothing
		}
		ps, err := obj.BusyPeriods(rng, float)
		if err == nil {
			periods = append(periods, ps...)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write([]byte(freeBusyDocument(rng, calendar.MergePeriods(periods), time.Now())))
	return err
}

// freeBusyDocument is the VCALENDAR of a free-busy answer.
func freeBusyDocument(rng calendar.TimeRange, periods []calendar.Period, now time.Time) string {
	return freeBusyCalendar("", nil, rng, periods, now)
}

// freeBusyCalendar is a VCALENDAR of one VFREEBUSY over rng listing periods, with a METHOD when
// it is a scheduling message and the properties of props (UID, ORGANIZER, ATTENDEE of a reply).
func freeBusyCalendar(method string, props []ical.Prop, rng calendar.TimeRange, periods []calendar.Period, now time.Time) string {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Parvis//CalDAV free-busy//FR")
	if method != "" {
		cal.Props.SetText(ical.PropMethod, method)
	}
	fb := ical.NewComponent(ical.CompFreeBusy)
	for _, p := range props {
		fb.Props.Add(&p)
	}
	if fb.Props.Get(ical.PropUID) == nil { // RFC 5545 §3.6.4 asks a VFREEBUSY for one
		fb.Props.SetText(ical.PropUID, uuid.NewString())
	}
	fb.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
	fb.Props.SetDateTime(ical.PropDateTimeStart, rng.Start.UTC())
	fb.Props.SetDateTime(ical.PropDateTimeEnd, rng.End.UTC())
	const f = "20060102T150405Z"
	for _, p := range periods {
		bp := ical.NewProp(ical.PropFreeBusy)
		bp.Params.Set(ical.ParamFreeBusyType, p.Type)
		bp.Value = p.Start.UTC().Format(f) + "/" + p.End.UTC().Format(f)
		fb.Props.Add(bp)
	}
	cal.Children = append(cal.Children, fb)
	var b strings.Builder
	if err := ical.NewEncoder(&b).Encode(cal); err != nil {
		return "" // only for a calendar missing VERSION or PRODID, set above
	}
	return b.String()
}
