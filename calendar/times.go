package calendar

import (
	"errors"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// when is one DATE or DATE-TIME value, resolved to an instant. Floating values (no Z, no TZID, or a
// TZID nobody knows) and dates are read in the float location of the zones given.
type when struct {
	t        time.Time
	date     bool // a DATE: an all-day value
	floating bool // depends on the reader's time zone
}

var errBadTime = errors.New("calendar: invalid date or time")

// propWhens reads every value of a (possibly multi-valued, comma-separated) DATE/DATE-TIME property.
// A PERIOD value keeps its start.
func propWhens(p *ical.Prop, z zones) ([]when, error) {
	var out []when
	for _, v := range strings.Split(p.Value, ",") {
		if start, _, ok := strings.Cut(v, "/"); ok {
			v = start
		}
		w, err := parseWhen(strings.TrimSpace(v), p.Params.Get(ical.ParamValue), p.Params.Get(ical.PropTimezoneID), z)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// propWhen reads a single-valued DATE/DATE-TIME property; ok is false when it is absent.
func propWhen(c *ical.Component, name string, z zones) (w when, ok bool, err error) {
	p := c.Props.Get(name)
	if p == nil {
		return when{}, false, nil
	}
	ws, err := propWhens(p, z)
	if err != nil || len(ws) != 1 {
		return when{}, false, errBadTime
	}
	return ws[0], true, nil
}

func parseWhen(v, valueType, tzid string, z zones) (when, error) {
	if valueType == "DATE" || len(v) == 8 {
		t, err := time.ParseInLocation("20060102", v, z.float)
		return when{t: t, date: true, floating: true}, err
	}
	if strings.HasSuffix(v, "Z") {
		t, err := time.ParseInLocation("20060102T150405Z", v, time.UTC)
		return when{t: t}, err
	}
	loc := z.float
	floating := true
	if tzid != "" {
		if l := z.zone(tzid); l != nil {
			loc, floating = l, false
		}
	}
	t, err := time.ParseInLocation("20060102T150405", v, loc)
	if err != nil {
		return when{}, errBadTime
	}
	return when{t: t, floating: floating}, nil
}

// zones is how one object's times are read: floating times and dates in float (the query's or the
// collection's time zone), TZIDs by name, or else by the VTIMEZONE the object carries.
type zones struct {
	float *time.Location
	own   map[string]*time.Location // TZIDs defined by the object's VTIMEZONEs only (definedZones)
}

func (z zones) zone(tzid string) *time.Location {
	if l := zone(tzid); l != nil {
		return l
	}
	return z.own[tzid]
}

// zones reads the object's times with floating ones in float.
func (o Object) zones(float *time.Location) zones {
	if float == nil {
		float = time.UTC
	}
	return zones{float: float, own: o.tzs}
}

// propDuration reads a DURATION property; ok is false when it is absent.
func propDuration(c *ical.Component) (d time.Duration, ok bool, err error) {
	p := c.Props.Get(ical.PropDuration)
	if p == nil {
		return 0, false, nil
	}
	d, err = p.Duration()
	return d, err == nil, err
}
