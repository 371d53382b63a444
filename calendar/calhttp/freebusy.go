package calhttp

import (
	"net/http"
	"strings"
	"time"

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
	const f = "20060102T150405Z"
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parvis//CalDAV free-busy//FR\r\nBEGIN:VFREEBUSY\r\n")
	b.WriteString("DTSTAMP:" + now.UTC().Format(f) + "\r\nDTSTART:" + rng.Start.UTC().Format(f) + "\r\nDTEND:" + rng.End.UTC().Format(f) + "\r\n")
	for _, p := range periods {
		b.WriteString("FREEBUSY;FBTYPE=" + p.Type + ":" + p.Start.Format(f) + "/" + p.End.Format(f) + "\r\n")
	}
	b.WriteString("END:VFREEBUSY\r\nEND:VCALENDAR\r\n")
	return b.String()
}
