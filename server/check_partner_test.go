package server

import (
	"context"
	"strings"
	"testing"

	"parvis/storage/db"
	"parvis/storage/replica"
)

// TestCheckPartner: admin check finds a content copied to the partner, one still queued (pending,
// not a problem), one missing (a problem), and an object on the partner that is nobody's (a warning).
// The server runs without replication here, so that the test decides what reaches the partner.
func TestCheckPartner(t *testing.T) {
	ps := newPartnerSetup(t)
	cfg := testConfig(t)
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	ctx := context.Background()
	withPartner := cfg
	ps.configure(&withPartner)
	p, err := replica.Open(ctx, partnerConfig(withPartner.Replication), nil)
	if err != nil {
		t.Fatal(err)
	}
	key, err := replica.NamingKey(ctx, ts.srv.in.db)
	if err != nil {
		t.Fatal(err)
	}
	p.SetNamingKey(key)
	// copy puts a file and, if it reaches the partner, copies it there; either way it leaves the outbox.
	copy := func(name string, body string, reaches bool) {
		t.Helper()
		ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/" + name, user: alice, body: body})
		if reaches {
			if err := p.PutBlob(ctx, sha256Hex(body), strings.NewReader(body), int64(len(body))); err != nil {
				t.Fatal(err)
			}
		}
		err := ts.srv.in.db.Write(ctx, func(tx *db.Tx) error { return tx.ReplicaDone(sha256Hex(body), db.ReplicaPut) })
		if err != nil {
			t.Fatal(err)
		}
	}
	copy("copie.bin", randomBytes(100<<10), true)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/en-attente.bin", user: alice, body: randomBytes(100 << 10)})
	if err := p.PutBlob(ctx, strings.Repeat("f", 64), strings.NewReader("personne"), 8); err != nil {
		t.Fatal(err)
	}
	sh := &replica.Shipper{DB: ts.srv.in.db, Partner: p, Monitor: replica.NewMonitor(true, 0), TempDir: cfg.DataDir, Interval: 1}
	if _, err := sh.Ship(ctx); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, ps.env(cfg.DataDir), "", "admin", "check")
	if code != 0 || !strings.Contains(out, "partner: 2 contents checked, 1 still waiting") || !strings.Contains(out, "1 objects (") {
		t.Fatalf("check with a pending content: exit %d\n%s", code, out)
	}
	missing := randomBytes(70 << 10)
	copy("oublie.bin", missing, false)
	code, out, _ = run(t, ps.env(cfg.DataDir), "", "admin", "check")
	if code == 0 || !strings.Contains(out, "content "+sha256Hex(missing)+" is missing (object "+p.BlobName(sha256Hex(missing))) {
		t.Fatalf("check with a missing content: exit %d\n%s", code, out)
	}
}
