package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"testing"
)

func TestFSRoundTripDedupAndShort(t *testing.T) {
	ctx := context.Background()
	s, err := Open("fs", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("parvis "), 10000)
	sum := sha256.Sum256(data)
	put := func(announced int64, body []byte) (string, error) {
		w, err := s.Create(ctx, announced)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
		k, _, err := w.Commit(ctx)
		return k, err
	}
	k1, err := put(int64(len(data)), data)
	if err != nil || k1 != hex.EncodeToString(sum[:]) {
		t.Fatalf("key %s err %v", k1, err)
	}
	k2, err := put(-1, data)
	if err != nil || k2 != k1 {
		t.Fatalf("dedup: %s %v", k2, err)
	}
	if _, err := put(int64(len(data)), data[:100]); !errors.Is(err, ErrShort) {
		t.Fatalf("short blob committed: %v", err)
	}
	tmp, _ := os.ReadDir(s.(*FS).tmp())
	if len(tmp) != 0 {
		t.Fatalf("temporary files left: %d", len(tmp))
	}
	r, err := s.Open(ctx, k1)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Seek(7, io.SeekStart)
	got, _ := io.ReadAll(r)
	if !bytes.Equal(got, data[7:]) || r.Size() != int64(len(data)) {
		t.Fatal("content differs after seek")
	}
	n := 0
	s.Walk(ctx, func(string, int64) error { n++; return nil })
	if n != 1 {
		t.Fatalf("walk found %d blobs, want 1", n)
	}
	if _, err := s.Open(ctx, "../../etc/passwd"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a non-key must not be opened: %v", err)
	}
}
