package db

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// calendarBenchDB is a group agenda of n one-hour events, one every 4 hours from 1 January 2024
// (5,000 span 2024–2026), every tenth a weekly series of 26 weeks, each object about 1 KiB.
func calendarBenchDB(b *testing.B, n int) (Read, Collection) {
	ctx := context.Background()
	d, err := Open(ctx, b.TempDir()+"/c.db")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	g := Group{Slug: "atelier", Name: "Atelier"}
	var c Collection
	err = d.Write(ctx, func(tx *Tx) error {
		if err := tx.CreateGroup(&g); err != nil {
			return err
		}
		var err error
		c, err = tx.R().Collection(g.ID, 0, KindCalendar, "agenda")
		if err != nil {
			return err
		}
		t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		for i := range n {
			start := t0 + int64(i)*4*3600
			w := Window{Start: start, End: start + 3600}
			if i%10 == 0 {
				w.End = start + 25*7*86400 + 3600
			}
			o := Object{CollectionID: c.ID, Name: fmt.Sprintf("e%05d.ics", i), UID: fmt.Sprint(i), Component: "VEVENT",
				Data: []byte(strings.Repeat("x", 1000)), Window: w}
			if _, err := tx.PutObject(&o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return d.R(ctx), c
}

// BenchmarkTimeRange reads the candidates of a one-month query early and late in the calendar:
// with the index doing its job both cost about the same.
func BenchmarkTimeRange(b *testing.B) {
	r, c := calendarBenchDB(b, 5000)
	for _, m := range []struct {
		name string
		from time.Time
	}{{"early", time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}, {"late", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}} {
		b.Run(m.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				n = 0
				err := r.EachObjectIn(c.ID, m.from.Unix(), m.from.AddDate(0, 1, 0).Unix(), func(Object) error { n++; return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "objects")
		})
	}
}
