package server

import (
	"context"
	"strings"
	"testing"

	"parvis/storage/db"
)

// TestCheckPartner: admin check finds a content copied to the partner, one still queued (pending,
// not a problem), one missing (a problem), and an object on the partner that is nobody's (a warning).
func TestCheckPartner(t *testing.T) {
	ps := newPartnerSetup(t)
	cfg := testConfig(t)
	ps.configure(&cfg)
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	ctx := context.Background()
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/copie.bin", user: alice, body: randomBytes(100 << 10)})
	p := shipForTest(t, ts)
	queued := randomBytes(100 << 10)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/en-attente.bin", user: alice, body: queued})
	err := ts.srv.in.db.Write(ctx, func(tx *db.Tx) error { return tx.EnqueueReplicaPut(sha256Hex(queued), int64(len(queued))) })
	if err != nil {
		t.Fatal(err)
	}
	if err := p.PutBlob(ctx, strings.Repeat("f", 64), strings.NewReader("personne"), 8); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, ps.env(cfg.DataDir), "", "admin", "check")
	if code != 0 || !strings.Contains(out, "partner: 2 contents checked, 1 still waiting") || !strings.Contains(out, "1 objects (") {
		t.Fatalf("check with a pending content: exit %d\n%s", code, out)
	}
	missing := randomBytes(70 << 10)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/oublie.bin", user: alice, body: missing})
	code, out, _ = run(t, ps.env(cfg.DataDir), "", "admin", "check")
	if code == 0 || !strings.Contains(out, "content "+sha256Hex(missing)+" is missing (object "+p.BlobName(sha256Hex(missing))) {
		t.Fatalf("check with a missing content: exit %d\n%s", code, out)
	}
}
