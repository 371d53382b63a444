package calendar

import (
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// Free-busy types of a FREEBUSY property (RFC 5545 §3.2.9).
const (
	Busy          = "BUSY"
	BusyTentative = "BUSY-TENTATIVE"
)

// Period is a busy interval of a free-busy answer, in UTC.
type Period struct {
	Start, End time.Time
	Type       string
}

// BusyPeriods returns the object's busy time within r (RFC 4791 §7.10): the instances of events
// that block time — not TRANSP:TRANSPARENT, not STATUS:CANCELLED, longer than an instant — clipped
// to r; a TENTATIVE event is BUSY-TENTATIVE. Tasks and journal entries block nothing.
func (o Object) BusyPeriods(r TimeRange, float *time.Location) ([]Period, error) {
	z := o.zones(float)
	if o.Kind != ical.CompEvent {
		return nil, nil
	}
	e, err := expand(o, o.Kind, z, eventSpan)
	if err != nil {
		return nil, err
	}
	s, end := r.bounds()
	var out []Period
	err = e.each(z, s, end, eventSpan, func(in Instance) bool {
		typ := busyType(in.Comp)
		if typ == "" || in.Start.IsZero() || !in.End.After(in.Start) || !r.eventOverlaps(in) {
			return true
		}
		out = append(out, Period{Start: laterOf(in.Start, s).UTC(), End: earlierOf(in.End, end).UTC(), Type: typ})
		return true
	})
	if err == errTooMany {
		err = nil
	}
	return out, err
}

// busyType is the free-busy type of an event, "" when it blocks no time.
func busyType(c *ical.Component) string {
	text := func(name string) string {
		if p := c.Props.Get(name); p != nil {
			return strings.ToUpper(strings.TrimSpace(p.Value))
		}
		return ""
	}
	if text(ical.PropTransparency) == "TRANSPARENT" {
		return ""
	}
	switch text(ical.PropStatus) {
	case "CANCELLED":
		return ""
	case "TENTATIVE":
		return BusyTentative
	}
	return Busy
}

// MergePeriods sorts periods by start and joins those of one type that overlap or touch, as a
// free-busy answer should list them.
func MergePeriods(ps []Period) []Period {
	slices.SortFunc(ps, func(a, b Period) int {
		if c := strings.Compare(a.Type, b.Type); c != 0 {
			return c
		}
		return a.Start.Compare(b.Start)
	})
	var out []Period
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].Type == p.Type && !p.Start.After(out[n-1].End) {
			out[n-1].End = laterOf(out[n-1].End, p.End)
			continue
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b Period) int { return a.Start.Compare(b.Start) })
	return out
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlierOf(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
