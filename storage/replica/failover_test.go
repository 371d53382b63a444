package replica

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"parvis/storage/blob"
	"parvis/test/miniotest"
)

// rig is a primary S3 store and a partner, each on its own MinIO that a test can kill.
type rig struct {
	primaryMinIO, partnerMinIO *miniotest.Server
	primary                    *blob.S3
	partner                    *Partner
	mon                        *Monitor
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := context.Background()
	r := &rig{primaryMinIO: miniotest.Start(t), partnerMinIO: miniotest.Start(t), mon: NewMonitor(true, 0)}
	var err error
	r.primary, err = blob.OpenS3(ctx, blob.S3Config{Endpoint: r.primaryMinIO.Addr, Bucket: "primary",
		AccessKey: miniotest.User, SecretKey: miniotest.Secret, PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := age.GenerateX25519Identity()
	b, _ := age.GenerateX25519Identity()
	r.partner, err = Open(ctx, Config{Endpoint: r.partnerMinIO.Addr, Bucket: "partner", AccessKey: miniotest.User,
		SecretKey: miniotest.Secret, PathStyle: true, Recipients: []string{a.Recipient().String(), b.Recipient().String()}},
		[]age.Identity{a})
	if err != nil {
		t.Fatal(err)
	}
	r.partner.SetNamingKey([]byte("0123456789abcdef0123456789abcdef"))
	return r
}

func (r *rig) failover(t *testing.T, spoolMax int64) *Failover {
	t.Helper()
	f, err := NewFailover(r.primary, filepath.Join(t.TempDir(), "spool"), spoolMax, r.partner, r.mon, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func keyOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// put stores data through a store and returns its key.
func put(t *testing.T, s blob.Store, data []byte) (string, error) {
	t.Helper()
	w, err := s.Create(context.Background(), int64(len(data)))
	if err != nil {
		return "", err
	}
	defer w.Abort()
	if _, err := w.Write(data); err != nil {
		return "", err
	}
	key, _, err := w.Commit(context.Background())
	return key, err
}

func readAll(t *testing.T, s blob.Store, key string) []byte {
	t.Helper()
	r, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key[:8], err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s: %v", key[:8], err)
	}
	return b
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
	}
}

// TestFailoverOutage plays a primary outage: reads come from the partner (checked against the hash),
// writes go to the spool until it is full, then are refused with ErrUnavailable; once the primary is
// back the spool is flushed to it and reads come from it again.
func TestFailoverOutage(t *testing.T) {
	r := newRig(t)
	f := r.failover(t, 1<<20)
	ctx := context.Background()
	old := randomBytes(200 << 10)
	oldKey, err := put(t, f, old)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.partner.PutBlob(ctx, oldKey, bytes.NewReader(old), int64(len(old))); err != nil {
		t.Fatal(err)
	}
	lost := randomBytes(100 << 10) // in the primary only: not readable during the outage

	lostKey, _ := put(t, f, lost)
	r.primaryMinIO.Kill()

	if got := readAll(t, f, oldKey); !bytes.Equal(got, old) {
		t.Fatal("read from the partner differs")
	}
	if !f.Down() || !r.mon.Status().PrimaryDown {
		t.Fatal("the outage went unnoticed")
	}
	if _, err := f.Open(ctx, lostKey); !errors.Is(err, blob.ErrUnavailable) {
		t.Fatalf("content only on the dead primary: %v, want ErrUnavailable", err)
	}
	spooled := randomBytes(600 << 10)
	spooledKey, err := put(t, f, spooled)
	if err != nil {
		t.Fatalf("spooled write: %v", err)
	}
	if got := readAll(t, f, spooledKey); !bytes.Equal(got, spooled) {
		t.Fatal("spooled content reads back differently")
	}
	if n, err := f.Stat(ctx, spooledKey); err != nil || n != int64(len(spooled)) {
		t.Fatalf("stat spooled: %d %v", n, err)
	}
	if _, err := put(t, f, randomBytes(500<<10)); !errors.Is(err, blob.ErrUnavailable) {
		t.Fatalf("write beyond the spool: %v, want ErrUnavailable", err)
	}
	if st := r.mon.Status(); st.SpoolCount != 1 || st.SpoolBytes != int64(len(spooled)) {
		t.Fatalf("spool status %+v", st)
	}

	r.primaryMinIO.Restart()
	eventually(t, 10*time.Second, "spool flushed", func() bool { return r.mon.Status().SpoolCount == 0 && !f.Down() })
	if n, err := r.primary.Stat(ctx, spooledKey); err != nil || n != int64(len(spooled)) {
		t.Fatalf("flushed content on the primary: %d %v", n, err)
	}
	if got := readAll(t, f, lostKey); !bytes.Equal(got, lost) {
		t.Fatal("primary content after the outage")
	}
	seen := 0
	f.Walk(ctx, func(key string, size int64) error { seen++; return nil })
	if seen != 3 {
		t.Fatalf("walk sees %d contents, want 3", seen)
	}
}

// TestFailoverMidUpload kills the primary while an upload streams to it: the upload fails with
// ErrUnavailable and leaves nothing behind; the retry is spooled.
func TestFailoverMidUpload(t *testing.T) {
	r := newRig(t)
	f := r.failover(t, 64<<20)
	ctx := context.Background()
	data := randomBytes(8 << 20)
	w, err := f.Create(ctx, int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data[:1<<20])
	r.primaryMinIO.Kill()
	_, werr := w.Write(data[1<<20:])
	_, _, cerr := w.Commit(ctx)
	w.Abort()
	if !errors.Is(errors.Join(werr, cerr), blob.ErrUnavailable) {
		t.Fatalf("upload cut by the outage: write %v, commit %v", werr, cerr)
	}
	key, err := put(t, f, data)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	r.primaryMinIO.Restart()
	eventually(t, 10*time.Second, "spool flushed", func() bool { return r.mon.Status().SpoolCount == 0 })
	if got := readAll(t, r.primary, key); !bytes.Equal(got, data) {
		t.Fatal("flushed content differs")
	}
}

// TestFailoverSpoolSurvivesRestart spools a content, closes the store (a restart), and checks the
// next one flushes it.
func TestFailoverSpoolSurvivesRestart(t *testing.T) {
	r := newRig(t)
	dir := filepath.Join(t.TempDir(), "spool")
	log := slog.New(slog.DiscardHandler)
	f, err := NewFailover(r.primary, dir, 1<<30, nil, r.mon, log)
	if err != nil {
		t.Fatal(err)
	}
	r.primaryMinIO.Kill()
	f.Stat(context.Background(), probeKey) // notices the outage
	data := randomBytes(300 << 10)
	key, err := put(t, f, data)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	r.primaryMinIO.Restart()
	f, err = NewFailover(r.primary, dir, 1<<30, nil, r.mon, log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	eventually(t, 10*time.Second, "spool flushed after a restart", func() bool { return r.mon.Status().SpoolCount == 0 })
	if got := readAll(t, r.primary, key); !bytes.Equal(got, data) {
		t.Fatal("flushed content differs")
	}
}

// TestFailoverLostLocalBlob reads a content a local store lost from the partner, and refuses a
// partner copy that does not match its hash.
func TestFailoverLostLocalBlob(t *testing.T) {
	r := newRig(t)
	fs, err := blob.OpenFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewFailover(fs, filepath.Join(t.TempDir(), "spool"), 1<<20, r.partner, r.mon, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	data := randomBytes(150 << 10)
	key := keyOf(data)
	r.partner.PutBlob(ctx, key, bytes.NewReader(data), int64(len(data)))
	if got := readAll(t, f, key); !bytes.Equal(got, data) {
		t.Fatal("lost content read from the partner differs")
	}
	if _, err := f.Stat(ctx, key); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("stat of a lost content: %v, want not found (checks must see it)", err)
	}
	// A swapped object: the partner serves other bytes under this content's name.
	swapped := keyOf([]byte("other"))
	r.partner.PutBlob(ctx, swapped, bytes.NewReader(data), int64(len(data)))
	rd, err := f.Open(ctx, swapped)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if _, err := io.ReadAll(rd); err == nil {
		t.Fatal("a partner copy that does not match its hash was served")
	}
}
