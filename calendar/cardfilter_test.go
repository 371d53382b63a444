package calendar

import (
	"slices"
	"strings"
	"testing"
)

var filterCards = map[string]string{
	"anne": "BEGIN:VCARD\nVERSION:3.0\nUID:anne\nFN:Anne Martin\nEMAIL;TYPE=work:anne@asso.example.org\n" +
		"EMAIL;TYPE=home,pref:anne.martin@mail.example\nTEL;TYPE=cell:06 00 00 00 01\nEND:VCARD\n",
	"elodie": "BEGIN:VCARD\nVERSION:4.0\nUID:elodie\nFN:Élodie Durand\nEMAIL:elodie@mairie.example.fr\nEND:VCARD\n",
	"paul":   "BEGIN:VCARD\nVERSION:3.0\nUID:paul\nFN:Paul Dupont\nN:Dupont;Paul;;;\nORG:Mairie de Lyon\nEND:VCARD\n",
}

func tm(text, matchType string) TextMatch {
	return TextMatch{Text: text, MatchType: matchType, Collation: CardDefaultCollation}
}

// TestCardFilter evaluates addressbook-query filters on three cards; the expected UIDs are read off
// the cards by hand.
func TestCardFilter(t *testing.T) {
	tests := []struct {
		name   string
		filter CardFilter
		want   []string
	}{
		{"empty filter: every card", CardFilter{}, []string{"anne", "elodie", "paul"}},
		{"FN contains, case-insensitive", CardFilter{Props: []CardPropFilter{{Name: "FN", TextMatches: []TextMatch{tm("DU", "")}}}},
			[]string{"elodie", "paul"}},
		{"unicode-casemap folds accents' case", CardFilter{Props: []CardPropFilter{{Name: "FN", TextMatches: []TextMatch{tm("élodie", "starts-with")}}}},
			[]string{"elodie"}},
		{"ascii-casemap does not fold É", CardFilter{Props: []CardPropFilter{{Name: "FN",
			TextMatches: []TextMatch{{Text: "élodie", MatchType: "starts-with", Collation: "i;ascii-casemap"}}}}}, nil},
		{"any EMAIL instance ends with", CardFilter{Props: []CardPropFilter{{Name: "EMAIL", TextMatches: []TextMatch{tm("@mail.example", "ends-with")}}}},
			[]string{"anne"}},
		{"equals is whole-value", CardFilter{Props: []CardPropFilter{{Name: "EMAIL", TextMatches: []TextMatch{tm("elodie@mairie", "equals")}}}}, nil},
		{"negated: FN without 'mart'", CardFilter{Props: []CardPropFilter{{Name: "FN",
			TextMatches: []TextMatch{{Text: "mart", Collation: CardDefaultCollation, Negate: true}}}}}, []string{"elodie", "paul"}},
		{"is-not-defined TEL", CardFilter{Props: []CardPropFilter{{Name: "TEL", IsNotDefined: true}}}, []string{"elodie", "paul"}},
		{"property exists", CardFilter{Props: []CardPropFilter{{Name: "ORG"}}}, []string{"paul"}},
		{"anyof across properties", CardFilter{Props: []CardPropFilter{
			{Name: "ORG", TextMatches: []TextMatch{tm("mairie", "")}},
			{Name: "EMAIL", TextMatches: []TextMatch{tm("mairie", "")}}}}, []string{"elodie", "paul"}},
		{"allof across properties", CardFilter{AllOf: true, Props: []CardPropFilter{
			{Name: "FN", TextMatches: []TextMatch{tm("a", "")}},
			{Name: "EMAIL", TextMatches: []TextMatch{tm("example", "")}}}}, []string{"anne", "elodie"}},
		{"param TYPE in a list", CardFilter{Props: []CardPropFilter{{Name: "EMAIL",
			Params: []ParamFilter{{Name: "type", TextMatch: &TextMatch{Text: "home", MatchType: "equals", Collation: CardDefaultCollation}}}}}},
			[]string{"anne"}},
		{"allof inside one prop-filter, on one instance", CardFilter{Props: []CardPropFilter{{Name: "EMAIL", AllOf: true,
			TextMatches: []TextMatch{tm("anne", "starts-with"), tm("asso", "")},
			Params:      []ParamFilter{{Name: "TYPE", TextMatch: &TextMatch{Text: "home", MatchType: "equals"}}}}}}, nil},
		{"anyof inside one prop-filter", CardFilter{Props: []CardPropFilter{{Name: "EMAIL",
			TextMatches: []TextMatch{tm("zzz", ""), tm("fr", "ends-with")}}}}, []string{"elodie"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, uid := range []string{"anne", "elodie", "paul"} {
				c, err := ParseCard([]byte(strings.ReplaceAll(filterCards[uid], "\n", "\r\n")))
				if err != nil {
					t.Fatal(err)
				}
				if tt.filter.Matches(c.Card) {
					got = append(got, uid)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("matched %v, want %v", got, tt.want)
			}
		})
	}
}
