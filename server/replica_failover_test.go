package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"parvis/config"
	"parvis/storage/blob"
	"parvis/storage/db"
)

// TestReplicaPrimaryOutage kills the primary S3 store while 64 clients upload: files stored before
// keep being read (from the partner), new uploads are spooled and acknowledged; when the primary is
// back the spool is flushed and every acknowledged file reads back byte for byte, from the primary.
func TestReplicaPrimaryOutage(t *testing.T) {
	r := newReplicaRig(t)
	r.cfg.Storage.SpoolMax = 256 << 20
	populate(t, r.cfg)
	ts := serveConfig(t, r.cfg)
	in := ts.srv.in
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}

	old := map[string][]byte{}
	for i := range 8 {
		p, b := fmt.Sprintf("/old%d.bin", i), noisy(fmt.Sprint("old", i), 100<<10+i<<10)
		if code, _, err := davPut(client, ts.URL, p, b); code != 201 {
			t.Fatalf("put %s: %d %v", p, code, err)
		}
		old[p] = b
	}
	waitFor(t, 10*time.Second, "the first files on the partner", func() bool { return backlog(t, in.db) == 0 })

	const clients, files = 64, 4
	load := startUploads(t, client, ts.URL, clients, files)
	waitFor(t, 20*time.Second, "uploads before the outage", func() bool { return load.count() >= clients })
	r.primary.Kill()
	before := load.count()
	for p, want := range old { // reads keep working, from the partner
		if code, got, err := davGet(client, ts.URL, p); code != 200 || !bytes.Equal(got, want) {
			t.Fatalf("read %s during the outage: %d %v", p, code, err)
		}
	}
	waitFor(t, 60*time.Second, "every upload acknowledged during the outage", func() bool { return load.count() == clients*files })
	if st := in.repl.monitor.Status(); !st.PrimaryDown || st.SpoolCount == 0 {
		t.Fatalf("during the outage: %+v", st)
	}
	acked := load.stop()
	t.Logf("%d uploads acknowledged, %d during the outage, %d refused with 503 and retried", len(acked), len(acked)-before, load.retries)

	r.primary.Restart()
	waitFor(t, 30*time.Second, "spool flushed", func() bool {
		st := in.repl.monitor.Status()
		return !st.PrimaryDown && st.SpoolCount == 0
	})
	if left, _ := filepath.Glob(filepath.Join(r.cfg.DataDir, "spool", "blobs", "*", "*", "*")); len(left) > 0 {
		t.Fatalf("%d contents left in the spool", len(left))
	}
	primary := r.primaryClient(t)
	for p, want := range acked {
		if code, got, err := davGet(client, ts.URL, p); code != 200 || !bytes.Equal(got, want) {
			t.Fatalf("%s after the outage: %d (%d bytes) %v", p, code, len(got), err)
		}
		if n, err := primary.Stat(context.Background(), sha(want)); err != nil || n != int64(len(want)) {
			t.Fatalf("%s not on the primary: %d %v", p, n, err)
		}
	}
	assertNoPartialFile(t, in, load)
	waitFor(t, 30*time.Second, "backlog drained", func() bool { return backlog(t, in.db) == 0 })
}

// assertNoPartialFile checks that every file in the group holds the whole content its client sent.
func assertNoPartialFile(t *testing.T, in *Instance, load *uploads) {
	t.Helper()
	ctx := context.Background()
	g, err := in.db.R(ctx).GroupBySlug("atelier")
	if err != nil {
		t.Fatal(err)
	}
	err = in.files.Descendants(ctx, g.ID, "/", func(n db.Node) error {
		want, ok := load.body(n.Path)
		if ok && (n.Size != int64(len(want)) || n.Blob != sha(want)) {
			return fmt.Errorf("%s is not the content sent (%d bytes)", n.Path, n.Size)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReplicaSpoolFull refuses uploads with 503 and Retry-After when the primary is down and the
// spool full, and stores nothing of them.
func TestReplicaSpoolFull(t *testing.T) {
	r := newReplicaRig(t)
	r.cfg.Storage.SpoolMax = 300 << 10
	populate(t, r.cfg)
	ts := serveConfig(t, r.cfg)
	r.primary.Kill()
	first := noisy("fits", 200<<10)
	code, _, _ := davPut(http.DefaultClient, ts.URL, "/fits.bin", first)
	if code == 503 { // the upload that found the primary dead; its retry is spooled
		code, _, _ = davPut(http.DefaultClient, ts.URL, "/fits.bin", first)
	}
	if code != 201 {
		t.Fatalf("spooled upload: %d", code)
	}
	code, retry, err := davPut(http.DefaultClient, ts.URL, "/too-much.bin", noisy("too much", 200<<10))
	if code != 503 || retry == "" || err != nil {
		t.Fatalf("upload beyond the spool: %d, Retry-After %q, %v", code, retry, err)
	}
	if code, _, _ := davGet(http.DefaultClient, ts.URL, "/too-much.bin"); code != 404 {
		t.Fatalf("refused upload visible: %d", code)
	}
	if _, err := ts.srv.in.blobs.Stat(context.Background(), sha(noisy("too much", 200<<10))); !errors.Is(err, blob.ErrUnavailable) && !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("refused content stored: %v", err)
	}
	if n, _ := os.ReadDir(filepath.Join(r.cfg.DataDir, "spool", "tmp")); len(n) > 0 {
		t.Fatalf("%d partial uploads left in the spool", len(n))
	}
}

// uploads is a load of clients each writing its own files in turn, a given number each; a 503 is retried (after a short
// pause: the test does not wait the Retry-After a person would).
type uploads struct {
	mu      sync.Mutex
	acked   map[string][]byte
	sent    map[string][]byte
	retries int
	done    chan struct{}
	wg      sync.WaitGroup
}

func startUploads(t *testing.T, client *http.Client, base string, clients, files int) *uploads {
	u := &uploads{acked: map[string][]byte{}, sent: map[string][]byte{}, done: make(chan struct{})}
	for c := range clients {
		u.wg.Add(1)
		go func() {
			defer u.wg.Done()
			for i := range files {
				p := fmt.Sprintf("/c%02d-%03d.bin", c, i)
				body := noisy(p, 65<<10+(c*7+i*13)%64<<10)
				u.mu.Lock()
				u.sent[p] = body
				u.mu.Unlock()
				if !u.put(t, client, base, p, body) {
					return
				}
			}
		}()
	}
	return u
}

// put sends one file until it is acknowledged; false when the load is stopped.
func (u *uploads) put(t *testing.T, client *http.Client, base, p string, body []byte) bool {
	for {
		select {
		case <-u.done:
			return false
		default:
		}
		code, _, err := davPut(client, base, p, body)
		switch {
		case err == nil && code == 201:
			u.mu.Lock()
			u.acked[p] = body
			u.mu.Unlock()
			return true
		case err == nil && code == 503:
			u.mu.Lock()
			u.retries++
			u.mu.Unlock()
			time.Sleep(20 * time.Millisecond)
		default:
			t.Errorf("upload %s: %d %v", p, code, err)
			return false
		}
	}
}

func (u *uploads) count() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.acked)
}

func (u *uploads) body(p string) ([]byte, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	b, ok := u.sent[p]
	return b, ok
}

// stop ends the load and returns what was acknowledged.
func (u *uploads) stop() map[string][]byte {
	close(u.done)
	u.wg.Wait()
	return u.acked
}

// TestServeWithThePrimaryDown: with the primary S3 store dead when the server starts, it starts
// all the same and says why in one line; files are read from the partner, uploads are spooled,
// and an administration command works; once the primary answers, the spool is flushed.
func TestServeWithThePrimaryDown(t *testing.T) {
	r := newReplicaRig(t)
	populate(t, r.cfg)
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	first, err := New(ctx, r.cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(first.Handler())
	old := noisy("avant", 200<<10)
	if code, _, err := davPut(http.DefaultClient, hs.URL, "/avant.bin", old); code != 201 {
		t.Fatalf("put: %d %v", code, err)
	}
	waitFor(t, 10*time.Second, "the file on the partner", func() bool { return backlog(t, first.in.db) == 0 })
	hs.Close()
	first.Close()

	r.primary.Kill()
	var logged lockedBuffer
	s, err := New(ctx, r.cfg, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatalf("serve with the primary down: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	hs = httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	lines := strings.Split(strings.TrimSpace(logged.String()), "\n")
	why := ""
	for _, l := range lines {
		if strings.Contains(l, "does not answer") {
			why = l
		}
	}
	if !strings.Contains(why, "storage.s3.endpoint = "+r.primary.Addr) || !strings.Contains(why, "spool") {
		t.Fatalf("the start does not say why in one line:\n%s", logged.String())
	}
	if code, got, err := davGet(http.DefaultClient, hs.URL, "/avant.bin"); code != 200 || !bytes.Equal(got, old) {
		t.Fatalf("read with the primary down: %d %v", code, err)
	}
	fresh := noisy("pendant", 150<<10)
	if code, _, err := davPut(http.DefaultClient, hs.URL, "/pendant.bin", fresh); code != 201 {
		t.Fatalf("upload with the primary down: %d %v", code, err)
	}
	if st := s.in.repl.monitor.Status(); !st.PrimaryDown || st.SpoolCount == 0 {
		t.Fatalf("the failover store: %+v", st)
	}
	conf := filepath.Join(t.TempDir(), "parvis.toml")
	if err := os.WriteFile(conf, []byte(r.toml()), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, nil, "", "admin", "group", "add", "velo", "--data", r.cfg.DataDir, "--config", conf); code != 0 {
		t.Fatalf("an admin command with the primary down: exit %d\n%s%s", code, out, errOut)
	}
	r.primary.Restart()
	waitFor(t, 30*time.Second, "spool flushed", func() bool {
		st := s.in.repl.monitor.Status()
		return !st.PrimaryDown && st.SpoolCount == 0
	})
	if code, got, _ := davGet(http.DefaultClient, hs.URL, "/pendant.bin"); code != 200 || !bytes.Equal(got, fresh) {
		t.Fatalf("the spooled upload after the primary came back: %d", code)
	}
}

// TestReplicaPrimaryHung: a primary S3 store that stops answering (SIGSTOP, not killed: its port
// stays open) is treated as down within the configured timeout: a read answers from the partner,
// an upload is spooled (its first try may answer 503 and its retry is taken), each within a few
// timeouts rather than the minute a hung connection used to hold; when it runs again the spool
// is flushed.
func TestReplicaPrimaryHung(t *testing.T) {
	r := newReplicaRig(t)
	r.cfg.Storage.S3.Timeout = config.Duration{Duration: 2 * time.Second}
	populate(t, r.cfg)
	ts := serveConfig(t, r.cfg)
	in := ts.srv.in
	old := noisy("avant-gel", 120<<10)
	if code, _, err := davPut(http.DefaultClient, ts.URL, "/avant.bin", old); code != 201 {
		t.Fatalf("put: %d %v", code, err)
	}
	waitFor(t, 10*time.Second, "the file on the partner", func() bool { return backlog(t, in.db) == 0 })

	r.primary.Stop()
	defer r.primary.Continue()
	limit := 4 * r.cfg.Storage.S3.Timeout.Duration
	start := time.Now()
	if code, got, err := davGet(http.DefaultClient, ts.URL, "/avant.bin"); code != 200 || !bytes.Equal(got, old) {
		t.Fatalf("read with the primary hung: %d %v", code, err)
	}
	if took := time.Since(start); took > limit {
		t.Fatalf("the read took %s with the primary hung, want under %s", took, limit)
	}
	fresh := noisy("pendant-gel", 150<<10)
	start = time.Now()
	code, _, err := davPut(http.DefaultClient, ts.URL, "/pendant.bin", fresh)
	if code == 503 { // the upload that found the primary hung; its retry is spooled
		code, _, err = davPut(http.DefaultClient, ts.URL, "/pendant.bin", fresh)
	}
	if code != 201 {
		t.Fatalf("upload with the primary hung: %d %v", code, err)
	}
	if took := time.Since(start); took > limit {
		t.Fatalf("the upload took %s with the primary hung, want under %s", took, limit)
	}
	if st := in.repl.monitor.Status(); !st.PrimaryDown || st.SpoolCount == 0 {
		t.Fatalf("the failover store: %+v", st)
	}
	r.primary.Continue()
	waitFor(t, 60*time.Second, "spool flushed", func() bool {
		st := in.repl.monitor.Status()
		return !st.PrimaryDown && st.SpoolCount == 0
	})
	if code, got, _ := davGet(http.DefaultClient, ts.URL, "/pendant.bin"); code != 200 || !bytes.Equal(got, fresh) {
		t.Fatalf("the spooled upload after the primary ran again: %d", code)
	}
}

// TestReplicaPartnerHung: a partner that stops answering (SIGSTOP) costs members nothing — uploads
// go on at the primary's pace — and fails each copy within the partner's timeout; once it runs
// again, a database copy reaches it within two intervals and the storage page says it answers,
// and the contents written meanwhile follow.
func TestReplicaPartnerHung(t *testing.T) {
	r := newReplicaRig(t)
	r.cfg.Replication.Timeout = config.Duration{Duration: 2 * time.Second}
	r.cfg.Replication.DBInterval = config.Duration{Duration: 2 * time.Second}
	populate(t, r.cfg)
	ts := serveConfig(t, r.cfg)
	in := ts.srv.in
	mon := in.repl.monitor
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ts.srv.shipDatabase(ctx) // as serve runs it
	waitFor(t, 20*time.Second, "a first database copy", func() bool { return !mon.Status().LastDBShipment.IsZero() })

	r.partner.Stop()
	defer r.partner.Continue()
	start := time.Now()
	for i := 0; i < 3; i++ {
		name := fmt.Sprintf("/pendant-%d.bin", i)
		if code, _, err := davPut(http.DefaultClient, ts.URL, name, noisy(name, 100<<10)); code != 201 {
			t.Fatalf("upload with the partner hung: %d %v", code, err)
		}
	}
	wrote := time.Now()
	if took := wrote.Sub(start); took > 2*time.Second {
		t.Fatalf("three uploads took %s with the partner hung: the partner held members up", took)
	}
	timeout := r.cfg.Replication.Timeout.Duration
	waitFor(t, 2*time.Second+4*timeout, "the partner shown down", func() bool { return mon.Status().PartnerDown })
	t.Logf("the partner shown down %s after it hung", time.Since(start).Round(10*time.Millisecond))
	time.Sleep(8 * time.Second) // hung for a while, as a partner's overloaded disk would be

	r.partner.Continue()
	back := time.Now()
	interval := r.cfg.Replication.DBInterval.Duration
	waitFor(t, 2*interval, "a database copy with the writes made while the partner hung", func() bool {
		st := mon.Status()
		return st.LastDBShipment.After(wrote) && !st.PartnerDown
	})
	t.Logf("database copy on the partner %s after it answered again", time.Since(back).Round(10*time.Millisecond))
	waitFor(t, 40*time.Second, "the contents written meanwhile on the partner", func() bool { return backlog(t, in.db) == 0 })
}
