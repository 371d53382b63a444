package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// testStore is what every driver must do; each driver's test runs it.
func testStore(t *testing.T, s Store) {
	ctx := context.Background()
	data := bytes.Repeat([]byte("parvis "), 40000) // 280 KB: several writes
	sum := sha256.Sum256(data)
	put := func(announced int64, body []byte) (string, error) {
		t.Helper()
		w, err := s.Create(ctx, announced)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(body); i += 7000 {
			w.Write(body[i:min(i+7000, len(body))])
		}
		k, _, err := w.Commit(ctx)
		return k, err
	}
	k1, err := put(int64(len(data)), data)
	if err != nil || k1 != hex.EncodeToString(sum[:]) {
		t.Fatalf("key %s err %v", k1, err)
	}
	if k2, err := put(-1, data); err != nil || k2 != k1 {
		t.Fatalf("dedup of an upload of unknown length: %s %v", k2, err)
	}
	if _, err := put(int64(len(data)), data[:1000]); !errors.Is(err, ErrShort) {
		t.Fatalf("a short blob was committed: %v", err)
	}
	w, _ := s.Create(ctx, -1)
	w.Write([]byte("abandoned"))
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(ctx, k1)
	if err != nil {
		t.Fatal(err)
	}
	r.Seek(7, io.SeekStart)
	got, _ := io.ReadAll(r)
	r.Close()
	if !bytes.Equal(got, data[7:]) || r.Size() != int64(len(data)) {
		t.Fatal("content differs after seek")
	}
	if n, err := s.Stat(ctx, k1); err != nil || n != int64(len(data)) {
		t.Fatalf("stat: %d %v", n, err)
	}
	keys := 0
	s.Walk(ctx, func(k string, n int64) error { keys++; return nil })
	if keys != 1 {
		t.Fatalf("walk found %d blobs, want 1 (no temporary leftovers listed)", keys)
	}
	for _, bad := range []string{"../../etc/passwd", strings.Repeat("z", 64), ""} {
		if _, err := s.Open(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Fatalf("open %q: %v", bad, err)
		}
	}
	// A blob (re)written after unusedSince is kept; an older one goes.
	if err := s.Delete(ctx, k1, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(ctx, k1); err != nil {
		t.Fatal("a blob written within the grace period was deleted")
	}
	if err := s.Delete(ctx, k1, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(ctx, k1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted blob still there: %v", err)
	}
	if err := s.Delete(ctx, k1, time.Time{}); err != nil {
		t.Fatalf("deleting an absent blob: %v", err)
	}
}

func TestFSStore(t *testing.T) {
	s, err := OpenFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	testStore(t, s)
}

func TestS3Store(t *testing.T) {
	testStore(t, startMinIO(t))
}
