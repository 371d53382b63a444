package calendar

import (
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// CompFilter is a calendar-query comp-filter (RFC 4791 §9.7.1). The HTTP layer parses the XML into
// these types; matching lives here, next to the recurrence rules it needs.
type CompFilter struct {
	Name         string
	IsNotDefined bool
	TimeRange    *TimeRange
	Props        []PropFilter
	Comps        []CompFilter
}

// PropFilter is a prop-filter (§9.7.2).
type PropFilter struct {
	Name         string
	IsNotDefined bool
	TimeRange    *TimeRange
	TextMatch    *TextMatch
	Params       []ParamFilter
}

// ParamFilter is a param-filter (§9.7.3).
type ParamFilter struct {
	Name         string
	IsNotDefined bool
	TextMatch    *TextMatch
}

// TextMatch is a text-match (§9.7.5), also used by CardDAV with its match types.
type TextMatch struct {
	Text      string
	Collation string // i;ascii-casemap (the default), i;unicode-casemap or i;octet
	MatchType string // contains (the default), equals, starts-with, ends-with
	Negate    bool
}

// Supported tells whether the collation is one we implement; others get the
// supported-collation precondition.
func (m *TextMatch) Supported() bool {
	switch m.Collation {
	case "", "i;ascii-casemap", "i;unicode-casemap", "i;octet":
		return true
	}
	return false
}

// Match tells whether s matches.
func (m *TextMatch) Match(s string) bool {
	text := m.Text
	switch m.Collation {
	case "i;octet":
	case "i;unicode-casemap":
		s, text = strings.ToLower(s), strings.ToLower(text)
	default:
		s, text = asciiLower(s), asciiLower(text)
	}
	var ok bool
	switch m.MatchType {
	case "equals":
		ok = s == text
	case "starts-with":
		ok = strings.HasPrefix(s, text)
	case "ends-with":
		ok = strings.HasSuffix(s, text)
	default:
		ok = strings.Contains(s, text)
	}
	return ok != m.Negate
}

// asciiLower folds A–Z only: the i;ascii-casemap collation (RFC 4790 §9.2).
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// Matches tells whether the object satisfies a top-level comp-filter (on VCALENDAR). Floating times
// are read in z, the query's time zone.
func (o Object) Matches(f CompFilter, float *time.Location) (bool, error) {
	z := o.zones(float)
	if f.Name != ical.CompCalendar {
		return false, nil
	}
	if f.IsNotDefined {
		return false, nil
	}
	if !propsMatch(o.Calendar.Component, f.Props, z) {
		return false, nil
	}
	for _, cf := range f.Comps {
		ok, err := o.compMatches(cf, z)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// compMatches evaluates a comp-filter on the object's components of that name: a time-range on the
// object's whole recurrence set, property filters on any of the components.
func (o Object) compMatches(f CompFilter, z zones) (bool, error) {
	var comps []*ical.Component
	for _, c := range o.Calendar.Children {
		if c.Name == f.Name {
			comps = append(comps, c)
		}
	}
	if f.IsNotDefined {
		return len(comps) == 0, nil
	}
	if len(comps) == 0 {
		return false, nil
	}
	if f.TimeRange != nil {
		ok, err := o.inRange(f.Name, *f.TimeRange, z)
		if err != nil || !ok {
			return false, err
		}
	}
	if alarmRanged(f) {
		return o.alarmMatches(f, z)
	}
	for _, c := range comps {
		if componentMatchesAt(c, f, z, nil) {
			return true, nil
		}
	}
	return false, nil
}

// componentMatchesAt evaluates the property filters and nested comp-filters (VALARM) on one
// component; at is the instance it stands for when a nested filter has a time-range (alarm.go).
func componentMatchesAt(c *ical.Component, f CompFilter, z zones, at *Instance) bool {
	if !propsMatch(c, f.Props, z) {
		return false
	}
	for _, sub := range f.Comps {
		found := false
		for _, child := range c.Children {
			if child.Name == sub.Name && componentMatchesAt(child, sub, z, nil) &&
				(sub.TimeRange == nil || at != nil && alarmInRange(child, *sub.TimeRange, at, z)) {
				found = true
				break
			}
		}
		if found == sub.IsNotDefined {
			return false
		}
	}
	return true
}

func propsMatch(c *ical.Component, filters []PropFilter, z zones) bool {
	for _, pf := range filters {
		if !propMatches(c, pf, z) {
			return false
		}
	}
	return true
}

// propMatches is true when some instance of the property satisfies the filter (every instance is
// looked at, not only the first).
func propMatches(c *ical.Component, f PropFilter, z zones) bool {
	props := c.Props.Values(f.Name)
	if f.IsNotDefined {
		return len(props) == 0
	}
	for i := range props {
		if propInstanceMatches(&props[i], f, z) {
			return true
		}
	}
	return false
}

func propInstanceMatches(p *ical.Prop, f PropFilter, z zones) bool {
	if f.TextMatch != nil && !f.TextMatch.Match(p.Value) {
		return false
	}
	if f.TimeRange != nil {
		ws, err := propWhens(p, z)
		if err != nil || len(ws) == 0 {
			return false
		}
		s, e := f.TimeRange.bounds()
		if ws[0].t.Before(s) || !ws[0].t.Before(e) {
			return false
		}
	}
	for _, pf := range f.Params {
		vals := p.Params.Values(pf.Name)
		if pf.IsNotDefined != (len(vals) == 0) {
			return false
		}
		if pf.TextMatch != nil && !anyMatch(vals, pf.TextMatch) {
			return false
		}
	}
	return true
}

func anyMatch(vals []string, m *TextMatch) bool {
	for _, v := range vals {
		if m.Match(v) {
			return true
		}
	}
	return false
}
