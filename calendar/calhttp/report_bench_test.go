package calhttp

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"parvis/calendar"
	"parvis/storage/db"
)

// benchAgenda fills atelier's agenda with n one-hour events, one every 4 hours from 1 January 2026,
// stored directly (the PUT path is not what is measured), and returns its href.
func benchAgenda(b *testing.B, n int) (*fixture, string, db.Collection) {
	f := newFixture(b)
	ctx := context.Background()
	g, err := f.h.DB.R(ctx).GroupBySlug("atelier")
	if err != nil {
		b.Fatal(err)
	}
	var coll db.Collection
	err = f.h.DB.Write(ctx, func(tx *db.Tx) error {
		if coll, err = tx.R().Collection(g.ID, 0, db.KindCalendar, "agenda"); err != nil {
			return err
		}
		for i := range n {
			h := 4 * i
			start := fmt.Sprintf("2026%02d%02dT%02d0000Z", 1+h/24/28%12, 1+h/24%28, h%24)
			end := fmt.Sprintf("2026%02d%02dT%02d5900Z", 1+h/24/28%12, 1+h/24%28, h%24)
			data := []byte(event(fmt.Sprint("e", i), start, end, "SUMMARY:Réunion du collectif\nLOCATION:Salle des fêtes\n"))
			o, err := calendar.Parse(data)
			if err != nil {
				return err
			}
			obj := db.Object{CollectionID: coll.ID, Name: fmt.Sprintf("e%05d.ics", i), UID: o.UID, Component: o.Kind, Data: data, Window: o.Window()}
			if _, err := tx.PutObject(&obj); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return f, f.home("alice", "calendars") + "atelier~agenda/", coll
}

// BenchmarkReports times the reports clients repeat: the listing query (comp-filter VEVENT, no
// time-range), a one-month query, and sync-collection in full, from a token as old as the
// collection, and after one change.
func BenchmarkReports(b *testing.B) {
	f, agenda, coll := benchAgenda(b, 2000)
	listing := `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>` +
		`<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>`
	month := queryBody("VEVENT", "20260601T000000Z", "20260701T000000Z")
	oldest := syncTokenPrefix + fmt.Sprint(coll.ID) + "/1"
	latest := syncTokenPrefix + fmt.Sprint(coll.ID) + "/" + fmt.Sprint(coll.Revision+2000-1)
	cases := []struct{ name, body string }{
		{"ListingQuery", listing},
		{"MonthQuery", month},
		{"SyncFull", syncBody("")},
		{"SyncFromOldestToken", syncBody(oldest)},
		{"SyncAfterOneChange", syncBody(latest)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if w := f.do("alice", "REPORT", agenda, c.body, "Depth", "1"); w.Code != http.StatusMultiStatus {
					b.Fatalf("status %d: %s", w.Code, w.Body.String())
				}
			}
		})
	}
}
