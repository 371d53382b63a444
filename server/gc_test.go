package server

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestContentsAreCollected overwrites and deletes small and large files and checks that their old
// contents stay while versions and the trash hold them, and once the retention ends are removed
// (inline ones at once, stored ones by the collector), while shared and current ones stay, and the
// instance check stays clean.
func TestContentsAreCollected(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	big := func(c string) string { return strings.Repeat(c, 100<<10) } // above the inline limit
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/petit.txt", user: alice, body: "v1"})
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/atelier/petit.txt", user: alice, body: "v2"})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/grand.bin", user: alice, body: big("a")})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/copie.bin", user: alice, body: big("a")})
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/atelier/grand.bin", user: alice, body: big("b")})
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/atelier/grand.bin", user: alice, body: big("c")})
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/d", user: alice})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/d/x.bin", user: alice, body: big("d")})
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/d", user: alice})

	count := func() (inline, stored int) {
		in := ts.srv.in
		in.db.R(ctx).InlineBlobSizes(func(string, int64) error { inline++; return nil })
		in.blobs.Walk(ctx, func(string, int64) error { stored++; return nil })
		return
	}
	// Versions and the trash keep every content until their retention ends.
	if inline, stored := count(); inline != 2 || stored != 4 {
		t.Fatalf("%d inline and %d stored contents, want 2 and 4 (all kept)", inline, stored)
	}
	files := ts.srv.in.files
	if tr, v, err := files.Expire(ctx, time.Now()); err != nil || tr+v != 0 {
		t.Fatalf("retention ended too early: %d trash items, %d versions, %v", tr, v, err)
	}
	if tr, v, err := files.Expire(ctx, time.Now().AddDate(1, 0, 0)); err != nil || tr != 1 || v != 3 {
		t.Fatalf("a year later: %d trash items, %d versions (%v); want 1 and 3", tr, v, err)
	}
	if inline, _ := count(); inline != 1 {
		t.Fatalf("%d inline contents, want 1 (v1 released with its version)", inline)
	}
	// Within the grace period nothing is deleted from the blob store.
	if n, err := files.CollectGarbage(ctx, time.Hour); err != nil || n != 0 {
		t.Fatalf("collected %d within the grace period (%v)", n, err)
	}
	if n, err := files.CollectGarbage(ctx, -time.Second); err != nil || n != 2 {
		t.Fatalf("collected %d (%v), want 2: b and d; a is still used by copie.bin", n, err)
	}
	if _, stored := count(); stored != 2 {
		t.Fatalf("%d stored contents left, want 2 (a and c)", stored)
	}
	for p, want := range map[string]string{"grand.bin": big("c"), "copie.bin": big("a"), "petit.txt": "v2"} {
		if body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/" + p, user: alice}); body != want {
			t.Fatalf("%s changed", p)
		}
	}
	var out strings.Builder
	if err := ts.srv.in.Check(ctx, &out); err != nil || strings.Contains(out.String(), "referenced by no file") {
		t.Fatalf("check after collection: %v\n%s", err, out.String())
	}
}
