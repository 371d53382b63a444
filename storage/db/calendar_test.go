package db

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

// agendaTest is an empty group agenda.
func agendaTest(t *testing.T) (*DB, Collection) {
	t.Helper()
	ctx := context.Background()
	d := openTest(t)
	g := Group{Slug: "atelier", Name: "Atelier"}
	if err := d.Write(ctx, func(tx *Tx) error { return tx.CreateGroup(&g) }); err != nil {
		t.Fatal(err)
	}
	c, err := d.R(ctx).Collection(g.ID, 0, KindCalendar, "agenda")
	if err != nil {
		t.Fatal(err)
	}
	return d, c
}

func putWindows(t *testing.T, d *DB, c Collection, ws map[string]Window) {
	t.Helper()
	err := d.Write(context.Background(), func(tx *Tx) error {
		for name, w := range ws {
			o := Object{CollectionID: c.ID, Name: name, UID: name, Component: "VEVENT", Data: []byte("data of " + name), Window: w}
			if _, err := tx.PutObject(&o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

const week = 7 * 86400

// TestEachObjectIn: the short/long split finds exactly the objects whose window meets the range.
// Windows and ranges in seconds; expectations by hand from "first_start <= end and (unbounded or
// last_end >= start)".
func TestEachObjectIn(t *testing.T) {
	d, c := agendaTest(t)
	putWindows(t, d, c, map[string]Window{
		"hour.ics":       {Start: 100_000, End: 103_600},            // short
		"week.ics":       {Start: 100_000, End: 100_000 + week},     // exactly a week: still short
		"weekplus.ics":   {Start: 100_000, End: 100_000 + week + 1}, // long
		"series.ics":     {Start: 0, End: 10_000_000},               // long
		"endless.ics":    {Start: 50_000, End: math.MaxInt64, Unbounded: true},
		"everywhere.ics": Everywhere,
		"later.ics":      {Start: 5_000_000, End: 5_003_600},
	})
	cases := []struct {
		name       string
		start, end int64
		want       string
	}{
		{"before everything", -10, -5, "everywhere.ics"},
		{"inside the hour", 101_000, 101_001, "endless.ics everywhere.ics hour.ics series.ics week.ics weekplus.ics"},
		{"range starting at the hour's end (last_end >= start)", 103_600, 103_700, "endless.ics everywhere.ics hour.ics series.ics week.ics weekplus.ics"},
		{"just after the hour", 103_601, 103_700, "endless.ics everywhere.ics series.ics week.ics weekplus.ics"},
		{"last second of the week", 100_000 + week, 100_000 + week, "endless.ics everywhere.ics series.ics week.ics weekplus.ics"},
		{"after the week", 100_001 + week, 100_001 + week, "endless.ics everywhere.ics series.ics weekplus.ics"},
		{"range ending at a start (first_start <= end)", 4_000_000, 5_000_000, "endless.ics everywhere.ics later.ics series.ics"},
		{"after the series", 20_000_000, 30_000_000, "endless.ics everywhere.ics"},
		{"open range", math.MinInt64, math.MaxInt64, "endless.ics everywhere.ics hour.ics later.ics series.ics week.ics weekplus.ics"},
	}
	r := d.R(context.Background())
	for _, tc := range cases {
		var got []string
		err := r.EachObjectIn(c.ID, tc.start, tc.end, func(o Object) error {
			if string(o.Data) != "data of "+o.Name {
				t.Errorf("%s: %s read without its data", tc.name, o.Name)
			}
			got = append(got, o.Name)
			return nil
		})
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("%s: %v %v, want %s", tc.name, got, err, tc.want)
		}
	}
}

// queryPlan is SQLite's plan for q, one line per step.
func queryPlan(t *testing.T, d *DB, q string, args ...any) string {
	t.Helper()
	rows, err := d.r.Query(`EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		rows.Scan(&id, &parent, &unused, &detail)
		plan = append(plan, detail)
	}
	return strings.Join(plan, "\n")
}

// TestTimeRangeUsesBothIndexes guards the split of EachObjectIn: short windows by a two-sided range
// on first_start, long ones by the partial index; a plan that falls back to first_start <= end alone
// would read the whole history of the calendar again.
func TestTimeRangeUsesBothIndexes(t *testing.T) {
	d, _ := agendaTest(t)
	plan := queryPlan(t, d, eachObjectInQuery, 1, 2, 3, 4)
	for _, want := range []string{"USING INDEX cal_object_window (collection_id=? AND first_start>? AND first_start<?)",
		"USING INDEX cal_object_long (collection_id=? AND first_start<?)"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "SCAN") {
		t.Errorf("plan scans:\n%s", plan)
	}
}

// TestEachChangedObject: one statement gives each change with the object as it is now.
func TestEachChangedObject(t *testing.T) {
	ctx := context.Background()
	d, c := agendaTest(t)
	putWindows(t, d, c, map[string]Window{"a.ics": {}})                                                // revision 1
	putWindows(t, d, c, map[string]Window{"b.ics": {}})                                                // 2
	putWindows(t, d, c, map[string]Window{"c.ics": {}})                                                // 3
	if err := d.Write(ctx, func(tx *Tx) error { return tx.DeleteObject(c.ID, "b.ics") }); err != nil { // 4
		t.Fatal(err)
	}
	putWindows(t, d, c, map[string]Window{"a.ics": {Start: 1, End: 2}}) // 5
	putWindows(t, d, c, map[string]Window{"d.ics": {}})                 // 6
	cases := []struct {
		name        string
		since, upTo int64
		withData    bool
		want        string
	}{
		{"from the start", 0, 6, true, "c.ics@3 b.ics@4:gone a.ics@5 d.ics@6"},
		{"since 4, without data", 4, 6, false, "a.ics@5 d.ics@6"},
		{"up to 5: the later change is left out", 3, 5, true, "b.ics@4:gone a.ics@5"},
		{"nothing since the latest", 6, 6, true, ""},
	}
	for _, tc := range cases {
		var got []string
		err := d.R(ctx).EachChangedObject(c.ID, tc.since, tc.upTo, tc.withData, func(ch Change, o *Object) error {
			s := ch.Name + "@" + string(rune('0'+ch.Revision))
			switch {
			case o == nil:
				s += ":gone"
			case o.Name != ch.Name || o.ETag != ContentETag([]byte("data of "+o.Name)) || (o.Data != nil) != tc.withData:
				t.Errorf("%s: object %+v", tc.name, o)
			case o.Name == "a.ics" && o.Window != (Window{Start: 1, End: 2}):
				t.Errorf("%s: a.ics is not the current version: %+v", tc.name, o.Window)
			}
			got = append(got, s)
			return nil
		})
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("%s: %v %v, want %q", tc.name, got, err, tc.want)
		}
	}
	plan := queryPlan(t, d, `SELECT 1 FROM cal_change c LEFT JOIN cal_object o ON NOT c.deleted AND o.collection_id = c.collection_id
		AND o.name = c.name WHERE c.collection_id = ? AND c.revision > ? AND c.revision <= ? ORDER BY c.revision`, 1, 2, 3)
	if strings.Contains(plan, "SCAN") || !slices.ContainsFunc(strings.Split(plan, "\n"), func(l string) bool { return strings.Contains(l, "cal_change_revision") }) {
		t.Errorf("change lookup plan:\n%s", plan)
	}
}
