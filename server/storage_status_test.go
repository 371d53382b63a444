package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"

	"parvis/access"
	"parvis/storage/db"
)

// TestMetricsNeedAToken: without a configured token /metrics does not exist; with one, it answers
// 401 to anyone without it.
func TestMetricsNeedAToken(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 404, req{method: "GET", path: "/metrics"})
	ts.must(t, 404, req{method: "GET", path: "/metrics", headers: []string{"Authorization", "Bearer x"}})
}

// TestStorageVisibility: after a database copy reached the partner and a content waits in the
// outbox, /metrics (with its token) and the administrators' storage page both say so; the page is
// 404 to others.
func TestStorageVisibility(t *testing.T) {
	ps := newPartnerSetup(t)
	cfg := testConfig(t)
	ps.configure(&cfg)
	cfg.MetricsToken = "jeton-de-supervision"
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	ctx := context.Background()
	err := ts.srv.in.db.Write(ctx, func(tx *db.Tx) error { return tx.EnqueueReplicaPut(strings.Repeat("a", 64), 1234) })
	if err != nil {
		t.Fatal(err)
	}
	shipForTest(t, ts)

	ts.must(t, 401, req{method: "GET", path: "/metrics"})
	ts.must(t, 401, req{method: "GET", path: "/metrics", headers: []string{"Authorization", "Bearer faux"}})
	body, _ := ts.must(t, 200, req{method: "GET", path: "/metrics", headers: []string{"Authorization", "Bearer " + cfg.MetricsToken}})
	families, err := new(expfmt.TextParser).TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not Prometheus text: %v\n%s", err, body)
	}
	value := func(name string) float64 {
		f, ok := families[name]
		if !ok || len(f.Metric) != 1 {
			t.Fatalf("metric %s missing", name)
		}
		if g := f.Metric[0].Gauge; g != nil {
			return g.GetValue()
		}
		return f.Metric[0].Counter.GetValue()
	}
	if value("parvis_replica_backlog_items") != 1 || value("parvis_replica_backlog_bytes") != 1234 ||
		value("parvis_replica_db_last_shipment_timestamp_seconds") == 0 || value("parvis_replica_partner_up") != 1 ||
		value("parvis_storage_primary_up") != 1 || value("parvis_replica_backlog_oldest_age_seconds") <= 0 {
		t.Fatalf("unexpected values:\n%s", body)
	}

	if _, err := ts.srv.in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: "dsi@example.org", Password: pw, Admin: true}); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := signedIn(t, ts, alice).do("GET", "/admin/storage", nil); code != http.StatusNotFound {
		t.Fatalf("storage page for a member: %d", code)
	}
	code, page, _ := signedIn(t, ts, "dsi@example.org").do("GET", "/admin/storage", nil)
	if code != 200 || !strings.Contains(page, "Copies de la base chez le partenaire") || !strings.Contains(page, "1,2\u00a0ko") ||
		strings.Contains(page, "Aucune copie") || !strings.Contains(page, `class="good">joignable`) {
		t.Fatalf("storage page: %d\n%s", code, page)
	}
}
