package server

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestReplicaUploadTree uploads a tree through WebDAV to an S3 store with a partner: within seconds
// every content is on the partner, which holds no plaintext anywhere, and the backlog is empty.
func TestReplicaUploadTree(t *testing.T) {
	r := newReplicaRig(t)
	populate(t, r.cfg)
	ts := serveConfig(t, r.cfg)
	in := ts.srv.in
	for _, dir := range []string{"/docs", "/docs/ag", "/photos"} {
		ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier" + dir, user: alice})
	}
	var plain [][]byte
	total := 0
	dirs := []string{"/docs", "/docs/ag", "/photos", ""}
	start := time.Now()
	for i := range 16 {
		body := noisy(fmt.Sprint("tree", i), 70<<10+i*37<<10) // 70 KiB to 625 KiB: blob-store contents
		if code, _, err := davPut(http.DefaultClient, ts.URL, fmt.Sprintf("%s/f%02d.bin", dirs[i%4], i), body); err != nil || code != 201 {
			t.Fatalf("put %d: %d %v", i, code, err)
		}
		plain = append(plain, body)
		total += len(body)
	}
	small := noisy("small", 10<<10) // inline: travels in the database, not as a blob
	davPut(http.DefaultClient, ts.URL, "/small.txt", small)
	waitFor(t, 5*time.Second, "every content on the partner", func() bool { return backlog(t, in.db) == 0 })
	t.Logf("16 contents (%.1f MiB) uploaded and on the partner in %v", float64(total)/(1<<20), time.Since(start).Round(time.Millisecond))
	p := r.partnerClient(t, in.db)
	ctx := context.Background()
	for i, b := range plain {
		if ok, err := p.HasBlob(ctx, sha(b)); !ok {
			t.Fatalf("content %d not on the partner: %v", i, err)
		}
	}
	if ok, _ := p.HasBlob(ctx, sha(small)); ok {
		t.Fatal("an inline content was copied as a blob")
	}
	assertNoPlaintext(t, p, append(plain, small))
	if st := in.repl.monitor.Status(); st.BlobsCopied != 16 || st.PartnerDown {
		t.Fatalf("monitor %+v", st)
	}
}

// TestReplicaPartnerOutage kills the partner while clients upload: no client notices; once the
// partner is back, the backlog drains to zero.
func TestReplicaPartnerOutage(t *testing.T) {
	r := newReplicaRig(t)
	populate(t, r.cfg)
	ts := serveConfig(t, r.cfg)
	in := ts.srv.in
	var acked, failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				code, _, err := davPut(http.DefaultClient, ts.URL, fmt.Sprintf("/p%02d-%03d.bin", c, i), noisy(fmt.Sprint(c, i), 80<<10))
				if err != nil || code != 201 {
					failed.Add(1)
					t.Errorf("upload during the partner outage: %d %v", code, err)
					return
				}
				acked.Add(1)
			}
		}()
	}
	waitFor(t, 10*time.Second, "uploads before the outage", func() bool { return acked.Load() >= 16 })
	r.partner.Kill()
	before := acked.Load()
	waitFor(t, 15*time.Second, "uploads during the outage", func() bool { return acked.Load() >= before+48 })
	waitFor(t, 15*time.Second, "outage noticed", func() bool { return in.repl.monitor.Status().PartnerDown })
	close(stop)
	wg.Wait()
	if backlog(t, in.db) == 0 {
		t.Fatal("nothing waits for the partner during its outage")
	}
	r.partner.Restart()
	waitFor(t, 30*time.Second, "backlog drained after the outage", func() bool { return backlog(t, in.db) == 0 })
	p := r.partnerClient(t, in.db)
	n := 0
	p.Objects(context.Background(), "blobs/", func(string, int64) error { n++; return nil })
	if int64(n) != acked.Load() {
		t.Fatalf("partner holds %d contents, %d uploads acknowledged", n, acked.Load())
	}
}
