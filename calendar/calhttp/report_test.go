package calhttp

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func syncBody(token string) string {
	return `<D:sync-collection xmlns:D="DAV:"><D:sync-token>` + token + `</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`
}

var tokenRE = regexp.MustCompile(`<D:sync-token>([^<]*)</D:sync-token>`)

func TestSyncCollection(t *testing.T) {
	f := newFixture(t)
	agenda := f.home("alice", "calendars") + "atelier~agenda/"
	for i := range 3 {
		f.expect(f.do("alice", "PUT", fmt.Sprintf("%se%d.ics", agenda, i), event(fmt.Sprint("e", i), "20270101T100000Z", "20270101T110000Z", "")), http.StatusCreated)
	}
	full := f.expect(f.do("alice", "REPORT", agenda, syncBody("")), http.StatusMultiStatus, "e0.ics", "e1.ics", "e2.ics", "<D:getetag>")
	tok := tokenRE.FindStringSubmatch(full)
	if tok == nil || !strings.HasSuffix(full, "</D:sync-token>\n</D:multistatus>\n") {
		t.Fatalf("no sync-token at the end:\n%s", full)
	}
	f.expect(f.do("alice", "PUT", agenda+"e1.ics", event("e1", "20270101T100000Z", "20270101T120000Z", "")), http.StatusNoContent)
	f.expect(f.do("alice", "DELETE", agenda+"e2.ics", ""), http.StatusNoContent)
	inc := f.expect(f.do("alice", "REPORT", agenda, syncBody(tok[1])), http.StatusMultiStatus, "e1.ics", "e2.ics</D:href><D:status>HTTP/1.1 404")
	if strings.Contains(inc, "e0.ics") {
		t.Fatalf("incremental sync returns an unchanged object:\n%s", inc)
	}
	tok2 := tokenRE.FindStringSubmatch(inc)
	if again := f.expect(f.do("alice", "REPORT", agenda, syncBody(tok2[1])), http.StatusMultiStatus); strings.Contains(again, ".ics") {
		t.Fatalf("sync from the latest token returns changes:\n%s", again)
	}
	for _, bad := range []string{"http://parvis.invalid/sync/1/999", "nonsense", "http://parvis.invalid/sync/999/1"} {
		f.expect(f.do("alice", "REPORT", agenda, syncBody(bad)), http.StatusForbidden, "valid-sync-token")
	}
	// The ctag moved with the changes.
	f.expect(f.do("alice", "PROPFIND", agenda, propfindColl, "Depth", "0"), http.StatusMultiStatus, "calendarserver.org/ns/\">"+tok2[1]+"</ns")
}

func TestMultigetAuthorizesEveryHref(t *testing.T) {
	f := newFixture(t)
	atelier := f.home("alice", "calendars") + "atelier~agenda/"
	bureau := f.home("bob", "calendars") + "bureau~agenda/"
	f.expect(f.do("alice", "PUT", atelier+"a.ics", event("a", "20270101T100000Z", "20270101T110000Z", "SUMMARY:atelier\n")), http.StatusCreated)
	f.expect(f.do("bob", "PUT", bureau+"secret.ics", event("s", "20270101T100000Z", "20270101T110000Z", "SUMMARY:secret du bureau\n")), http.StatusCreated)
	body := `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
		`<D:href>` + atelier + `a.ics</D:href><D:href>` + bureau + `secret.ics</D:href>` +
		`<D:href>` + f.home("alice", "calendars") + `bureau~agenda/secret.ics</D:href><D:href>` + atelier + `missing.ics</D:href></C:calendar-multiget>`
	out := f.expect(f.do("alice", "REPORT", atelier, body), http.StatusMultiStatus, "SUMMARY:atelier",
		bureau+"secret.ics</D:href><D:status>HTTP/1.1 404", "missing.ics</D:href><D:status>HTTP/1.1 404")
	if strings.Contains(out, "secret du bureau") {
		t.Fatalf("multiget leaked another group's event:\n%s", out)
	}
}

func queryBody(comp, start, end string) string {
	return `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>` +
		`<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="` + comp + `"><C:time-range start="` + start + `" end="` + end + `"/>` +
		`</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`
}

func TestCalendarQuery(t *testing.T) {
	f := newFixture(t)
	cal := f.home("alice", "calendars") + "agenda/"
	weekly := vcal("BEGIN:VEVENT\nUID:w\nDTSTAMP:20261121T100000Z\nDTSTART;TZID=Europe/Paris:20270322T180000\nDTEND;TZID=Europe/Paris:20270322T200000\n" +
		"RRULE:FREQ=WEEKLY\nEXDATE;TZID=Europe/Paris:20270329T180000\nEND:VEVENT\n")
	f.expect(f.do("alice", "PUT", cal+"weekly.ics", weekly), http.StatusCreated)
	f.expect(f.do("alice", "PUT", cal+"once.ics", event("o", "20270601T100000Z", "20270601T110000Z", "SUMMARY:Réunion Partenaires\n")), http.StatusCreated)
	cases := []struct {
		start, end string
		want       []string
	}{
		{"20270405T164500Z", "20270405T170000Z", []string{"weekly.ics"}}, // CEST instance 16:00–18:00Z, seen by its end
		{"20270329T000000Z", "20270330T000000Z", nil},                    // excluded
		{"20270601T103000Z", "20270601T104000Z", []string{"once.ics"}},
		{"20270531T163000Z", "20270601T103000Z", []string{"weekly.ics", "once.ics"}},
	}
	for _, c := range cases {
		out := f.expect(f.do("alice", "REPORT", cal, queryBody("VEVENT", c.start, c.end), "Depth", "1"), http.StatusMultiStatus)
		if n := strings.Count(out, "<D:response>"); n != len(c.want) {
			t.Errorf("%s–%s: %d responses, want %v:\n%s", c.start, c.end, n, c.want, out)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s–%s: %s missing", c.start, c.end, w)
			}
		}
	}
	text := `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter>` +
		`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match>réunion PARTENAIRES</C:text-match>` +
		`</C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`
	// i;ascii-casemap folds ASCII letters only: "é" must match "é", "PARTENAIRES" matches "Partenaires".
	f.expect(f.do("alice", "REPORT", cal, text), http.StatusMultiStatus, "once.ics")
	f.expect(f.do("alice", "REPORT", cal, "<C:calendar-query xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><C:filter/></C:calendar-query>"),
		http.StatusForbidden, "valid-filter")
}

// TestReportOnAMissingCollection: every report on a collection that does not exist, or was just
// deleted, answers 404 as PROPFIND does there, not 403 supported-report.
func TestReportOnAMissingCollection(t *testing.T) {
	f := newFixture(t)
	home := f.home("alice", "calendars")
	query := `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`
	multiget := `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><D:href>` + home + `perso/a.ics</D:href></C:calendar-multiget>`
	f.expect(f.do("alice", "MKCALENDAR", home+"perso/", ""), http.StatusCreated)
	f.expect(f.do("alice", "DELETE", home+"perso/", ""), http.StatusNoContent)
	for _, coll := range []string{home + "jamais-cree/", home + "perso/"} {
		for name, body := range map[string]string{"calendar-query": query, "calendar-multiget": multiget, "sync-collection": syncBody("")} {
			if w := f.do("alice", "REPORT", coll, body); w.Code != http.StatusNotFound {
				t.Errorf("%s on %s: %d, want 404\n%s", name, coll, w.Code, w.Body)
			}
		}
	}
}
