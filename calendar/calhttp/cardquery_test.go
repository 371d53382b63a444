package calhttp

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var cardHrefRE = regexp.MustCompile(`atelier~contacts/([a-z]+)\.vcf</D:href>`)

// TestAddressbookQuery runs addressbook-query REPORTs over HTTP; the expected cards are read off
// the three cards by hand.
func TestAddressbookQuery(t *testing.T) {
	f := newFixture(t)
	book := f.home("alice", "addressbooks") + "atelier~contacts/"
	cards := map[string]string{
		"anne":   "BEGIN:VCARD\nVERSION:3.0\nUID:anne\nFN:Anne Martin\nEMAIL;TYPE=work:anne@asso.example.org\nTEL:0600000001\nEND:VCARD\n",
		"elodie": "BEGIN:VCARD\nVERSION:4.0\nUID:elodie\nFN:Élodie Durand\nEMAIL:elodie@mairie.example.fr\nEND:VCARD\n",
		"paul":   "BEGIN:VCARD\nVERSION:3.0\nUID:paul\nFN:Paul Dupont\nORG:Mairie de Lyon\nEND:VCARD\n",
	}
	for name, c := range cards {
		f.expect(f.do("alice", "PUT", book+name+".vcf", strings.ReplaceAll(c, "\n", "\r\n"), "Content-Type", "text/vcard"), http.StatusCreated)
	}
	query := func(filter, extra string) string {
		return `<A:addressbook-query xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><A:address-data/></D:prop>` +
			filter + extra + `</A:addressbook-query>`
	}
	tests := []struct {
		name, filter, extra string
		status              int
		want                []string
	}{
		{"FN contains, unicode-casemap by default", `<A:filter><A:prop-filter name="FN"><A:text-match>ÉLODIE</A:text-match></A:prop-filter></A:filter>`, "",
			207, []string{"elodie"}},
		{"EMAIL ends-with", `<A:filter><A:prop-filter name="EMAIL"><A:text-match match-type="ends-with">.fr</A:text-match></A:prop-filter></A:filter>`, "",
			207, []string{"elodie"}},
		{"anyof FN or ORG", `<A:filter test="anyof"><A:prop-filter name="FN"><A:text-match match-type="starts-with">anne</A:text-match></A:prop-filter>` +
			`<A:prop-filter name="ORG"><A:text-match>mairie</A:text-match></A:prop-filter></A:filter>`, "", 207, []string{"anne", "paul"}},
		{"allof", `<A:filter test="allof"><A:prop-filter name="FN"><A:text-match>d</A:text-match></A:prop-filter>` +
			`<A:prop-filter name="EMAIL"/></A:filter>`, "", 207, []string{"elodie"}},
		{"negate and is-not-defined", `<A:filter test="allof"><A:prop-filter name="FN"><A:text-match negate-condition="yes">anne</A:text-match></A:prop-filter>` +
			`<A:prop-filter name="TEL"><A:is-not-defined/></A:prop-filter></A:filter>`, "", 207, []string{"elodie", "paul"}},
		{"param-filter TYPE", `<A:filter><A:prop-filter name="EMAIL"><A:param-filter name="TYPE"><A:text-match match-type="equals">WORK</A:text-match>` +
			`</A:param-filter></A:prop-filter></A:filter>`, "", 207, []string{"anne"}},
		{"empty filter, limited to 2", `<A:filter/>`, `<A:limit><A:nresults>2</A:nresults></A:limit>`, 207, []string{"anne", "elodie"}},
		{"unknown match-type", `<A:filter><A:prop-filter name="FN"><A:text-match match-type="regex">.*</A:text-match></A:prop-filter></A:filter>`, "",
			403, nil},
		{"unknown collation", `<A:filter><A:prop-filter name="FN"><A:text-match collation="i;klingon">a</A:text-match></A:prop-filter></A:filter>`, "",
			403, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := f.expect(f.do("alice", "REPORT", book, query(tt.filter, tt.extra), "Depth", "1"), tt.status)
			if tt.status != 207 {
				return
			}
			var got []string
			for _, m := range cardHrefRE.FindAllStringSubmatch(body, -1) {
				got = append(got, m[1])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("cards %v, want %v:\n%s", got, tt.want, body)
			}
			if strings.Contains(body, "HTTP/1.1 507") != (tt.extra != "") {
				t.Errorf("507 on the collection only when truncated:\n%s", body)
			}
			if len(got) > 0 && !strings.Contains(body, "BEGIN:VCARD") {
				t.Errorf("no address-data:\n%s", body)
			}
		})
	}
	// Outsiders learn nothing.
	f.expect(f.do("bob", "REPORT", book, query(`<A:filter/>`, ""), "Depth", "1"), http.StatusNotFound)
}
