package caldav

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The events khal must list for June 2026, all in Europe/Paris: a weekly collectif with one date
// cancelled (EXDATE) and one moved (RECURRENCE-ID), created locally and renamed on the server; an
// appointment in UTC and an all-day general assembly, created on the server.
var (
	collectif = vcalendar(parisTZ + `BEGIN:VEVENT
UID:collectif-juin-2026
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Paris:20260602T183000
DTEND;TZID=Europe/Paris:20260602T203000
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Paris:20260616T183000
SUMMARY:Collectif
CATEGORIES:collectif
END:VEVENT
BEGIN:VEVENT
UID:collectif-juin-2026
DTSTAMP:20260101T000000Z
RECURRENCE-ID;TZID=Europe/Paris:20260623T183000
DTSTART;TZID=Europe/Paris:20260623T190000
DTEND;TZID=Europe/Paris:20260623T210000
SUMMARY:Collectif (salle B)
LOCATION:Salle B
END:VEVENT
`)
	partenaires = vcalendar(`BEGIN:VEVENT
UID:partenaires-2026
DTSTAMP:20260101T000000Z
DTSTART:20260611T080000Z
DTEND:20260611T090000Z
SUMMARY:Rendez-vous partenaires
END:VEVENT
`)
	assemblee = vcalendar(`BEGIN:VEVENT
UID:ag-2026
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20260620
DTEND;VALUE=DATE:20260621
SUMMARY:Assemblée générale
CATEGORIES:AG
END:VEVENT
`)
)

// khalWant is what `khal list` prints for June 2026, computed by hand: the collectif on 2, 9 and 23
// June (16 excluded, 23 moved to 19:00), 08:00Z is 10:00 in Paris summer time, the AG all day.
var khalWant = []string{
	"2026-06-02 18:30 → 2026-06-02 20:30 Collectif d'animation",
	"2026-06-09 18:30 → 2026-06-09 20:30 Collectif d'animation",
	"2026-06-11 10:00 → 2026-06-11 11:00 Rendez-vous partenaires",
	"2026-06-20 → 2026-06-20 Assemblée générale",
	"2026-06-23 19:00 → 2026-06-23 21:00 Collectif (salle B)",
}

// addKhalEvents puts the collectif in the local agenda, the others on the server.
func addKhalEvents(t *testing.T, c davClient, agenda *syncedColl) {
	t.Helper()
	writeFile(t, filepath.Join(agenda.local, "collectif-juin-2026.ics"), collectif)
	c.putAll(t, agenda.remote, map[string]string{"partenaires-2026.ics": partenaires, "ag-2026.ics": assemblee}, "text/calendar")
	agenda.want["collectif-juin-2026"] = collectif
	agenda.want["partenaires-2026"] = partenaires
	agenda.want["ag-2026"] = assemblee
}

// renameCollectif renames the series on the server (the master only), between two syncs.
func renameCollectif(t *testing.T, c davClient, agenda *syncedColl) {
	t.Helper()
	renamed := strings.Replace(collectif, "SUMMARY:Collectif\r\n", "SUMMARY:Collectif d'animation\r\n", 1)
	resp, out, err := c.do(http.MethodPut, agenda.remote+"collectif-juin-2026.ics", "text/calendar", renamed)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT collectif: %v %v %s", err, resp, out)
	}
	agenda.want["collectif-juin-2026"] = renamed
}

// checkKhal lists June 2026 of the synced agenda with Debian's khal and compares line by line.
func checkKhal(t *testing.T, home, agenda string) {
	t.Helper()
	conf := fmt.Sprintf(`[calendars]
[[atelier]]
path = %s
type = calendar

[locale]
timeformat = %%H:%%M
dateformat = %%Y-%%m-%%d
longdateformat = %%Y-%%m-%%d
datetimeformat = %%Y-%%m-%%d %%H:%%M
longdatetimeformat = %%Y-%%m-%%d %%H:%%M
local_timezone = Europe/Paris
default_timezone = Europe/Paris

[sqlite]
path = %s
`, agenda, filepath.Join(home, "khal.db"))
	path := filepath.Join(home, "khal.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "LC_ALL=C.UTF-8", "TZ=Europe/Paris"}
	out, err := run(t, env, "/usr/bin/khal", "-c", path, "list", "--day-format", "",
		"--format", "{start} → {end} {title}", "2026-06-01", "2026-06-30")
	if err != nil {
		t.Fatalf("khal: %v\n%s", err, out)
	}
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			got = append(got, l)
		}
	}
	if !slices.Equal(got, khalWant) {
		t.Errorf("khal list printed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(khalWant, "\n"))
	}
}
