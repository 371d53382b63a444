package db

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The outbox's queries, as replica.go runs them: the plan assertions below are about these.
const (
	dueQuery  = `SELECT key, op, size, enqueued_at, not_before, attempts, last_error FROM replica_outbox WHERE not_before <= ? ORDER BY not_before, enqueued_at LIMIT ?`
	doneQuery = `DELETE FROM replica_outbox WHERE key = ? AND op = ?`
)

// TestOutboxScalesToMillions queues 1,000,000 contents and checks, by SQLite's query plans rather
// than by timing (which a shared machine makes noisy), that taking the next items and removing one
// cost an index lookup whatever the queue's length: no scan of the table, no sort.
func TestOutboxScalesToMillions(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a million rows")
	}
	d := openTest(t)
	ctx := context.Background()
	err := d.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
			INSERT INTO replica_outbox (key, op, size, enqueued_at) SELECT printf('%064x', i), 'put', 100000, i FROM n`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	assertPlan(t, d, dueQuery, []any{time.Now().UnixNano(), 64}, "USING INDEX replica_outbox_due", "TEMP B-TREE")
	assertPlan(t, d, doneQuery, []any{"k", "put"}, "USING PRIMARY KEY", "SCAN")

	start := time.Now()
	items, err := d.R(ctx).DueReplicaItems(time.Now(), 64)
	if err != nil || len(items) != 64 || items[0].Key != strings.Repeat("0", 63)+"1" {
		t.Fatalf("due items: %d %v", len(items), err)
	}
	due := time.Since(start)
	start = time.Now()
	if err := d.Write(ctx, func(tx *Tx) error { return tx.ReplicaDone(items[0].Key, ReplicaPut) }); err != nil {
		t.Fatal(err)
	}
	t.Logf("with 1,000,000 queued: next 64 items in %v, one done (with its commit) in %v", due, time.Since(start))
	start = time.Now()
	b, err := d.R(ctx).ReplicaBacklog()
	if err != nil || b.Count != 999999 {
		t.Fatalf("backlog %+v %v", b, err)
	}
	t.Logf("backlog sums (a scan, for the status page and /metrics): %v", time.Since(start))
}

// assertPlan checks that SQLite's plan for query mentions want and not refuse.
func assertPlan(t *testing.T, d *DB, query string, args []any, want, refuse string) {
	t.Helper()
	rows, err := d.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	all := strings.Join(plan, "; ")
	if !strings.Contains(all, want) || strings.Contains(all, refuse) {
		t.Fatalf("plan of %q:\n%s\nwant %q, not %q", query, all, want, refuse)
	}
}
