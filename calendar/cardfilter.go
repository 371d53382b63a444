package calendar

import (
	"strings"

	"github.com/emersion/go-vcard"
)

// CardFilter is the filter of a CardDAV addressbook-query (RFC 6352 §10.5): property filters combined
// by Test, "anyof" (the default) or "allof".
type CardFilter struct {
	AllOf bool
	Props []CardPropFilter
}

// CardPropFilter is a CardDAV prop-filter (§10.5.1). Unlike CalDAV's, it may hold several
// text-matches and param-filters, combined by its own test.
type CardPropFilter struct {
	Name         string // upper case: FN, EMAIL, TEL…
	AllOf        bool
	IsNotDefined bool
	TextMatches  []TextMatch
	Params       []ParamFilter
}

// CardDefaultCollation is CardDAV's collation when a text-match names none (§8.3).
const CardDefaultCollation = "i;unicode-casemap"

// Matches tells whether a card satisfies the filter. An empty filter matches every card (§10.5).
func (f CardFilter) Matches(c vcard.Card) bool {
	if len(f.Props) == 0 {
		return true
	}
	for _, pf := range f.Props {
		if pf.matches(c) != f.AllOf {
			return !f.AllOf
		}
	}
	return f.AllOf
}

// matches: with is-not-defined, the card must lack the property; otherwise some instance of the
// property (EMAIL may occur many times) must pass the text-matches and param-filters.
func (f CardPropFilter) matches(c vcard.Card) bool {
	fields := c[f.Name]
	if f.IsNotDefined {
		return len(fields) == 0
	}
	for _, fd := range fields {
		if f.fieldMatches(fd) {
			return true
		}
	}
	return false
}

// fieldMatches combines the tests of one property instance with anyof or allof; a filter with no
// test only asks that the property exist.
func (f CardPropFilter) fieldMatches(fd *vcard.Field) bool {
	var results []bool
	for i := range f.TextMatches {
		results = append(results, f.TextMatches[i].Match(fd.Value))
	}
	for _, pf := range f.Params {
		results = append(results, cardParamMatches(fd, pf))
	}
	if len(results) == 0 {
		return true
	}
	for _, r := range results {
		if r != f.AllOf {
			return !f.AllOf
		}
	}
	return f.AllOf
}

// cardParamMatches evaluates a param-filter; parameter names are case-insensitive, and a TYPE given
// as "TYPE=work,home" counts as two values.
func cardParamMatches(fd *vcard.Field, pf ParamFilter) bool {
	var vals []string
	for name, vs := range fd.Params {
		if strings.EqualFold(name, pf.Name) {
			for _, v := range vs {
				vals = append(vals, strings.Split(v, ",")...)
			}
		}
	}
	if pf.IsNotDefined {
		return len(vals) == 0
	}
	if pf.TextMatch == nil {
		return len(vals) > 0
	}
	return anyMatch(vals, pf.TextMatch)
}
