package blob

import (
	"context"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"parvis/test/stream"
)

// TestS3LargeUploadConstantMemory streams 1 GiB into S3, announced and of unknown length (how
// Finder uploads), and reads it back: the heap stays within a few parts, whatever the size.
func TestS3LargeUploadConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 3 GiB through MinIO; skipped with -short")
	}
	s := startMinIO(t)
	ctx := context.Background()
	const size = 1 << 30
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	for _, announced := range []int64{size, -1} {
		w, err := s.Create(ctx, announced)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.CopyBuffer(w, stream.Pattern(size), make([]byte, 256<<10)); err != nil {
			t.Fatal(err)
		}
		key, n, err := w.Commit(ctx)
		if err != nil || n != size {
			t.Fatalf("commit: %d bytes, %v", n, err)
		}
		r, err := s.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.CopyBuffer(io.Discard, r, make([]byte, 256<<10))
		r.Close()
		if err != nil || got != size {
			t.Fatalf("read back %d bytes: %v", got, err)
		}
	}
	close(stop)
	grew := int64(peak.Load()) - int64(base.HeapInuse)
	t.Logf("heap in use grew by %d MiB moving 1 GiB up twice and down twice", grew>>20)
	if grew > 96<<20 {
		t.Fatalf("heap grew by %d MiB: uploads are buffered", grew>>20)
	}
}
