package server

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestContentsAreCollected overwrites and deletes small and large files and checks that contents
// nobody references any more are removed (inline ones at once, stored ones by the collector), while
// shared and current ones stay, and the instance check stays clean.
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
	if inline, _ := count(); inline != 1 {
		t.Fatalf("%d inline contents, want 1 (v1 released at once)", inline)
	}
	// Within the grace period nothing is deleted.
	if n, err := ts.srv.in.files.CollectGarbage(ctx, time.Hour); err != nil || n != 0 {
		t.Fatalf("collected %d within the grace period (%v)", n, err)
	}
	if n, err := ts.srv.in.files.CollectGarbage(ctx, -time.Second); err != nil || n != 2 {
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
	if err := ts.srv.in.check(ctx, &out); err != nil || strings.Contains(out.String(), "referenced by no file") {
		t.Fatalf("check after collection: %v\n%s", err, out.String())
	}
}
