package replica

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"parvis/storage/blob"
)

// spool holds uploads on local disk while the primary store is down. It is a blob.FS (durable:
// fsync'd before an upload is acknowledged) with its usage counted, so that it never grows past max.
type spool struct {
	fs  *blob.FS
	max int64

	mu       sync.Mutex
	items    map[string]int64 // spooled contents and their sizes
	bytes    int64            // their total
	reserved int64            // room taken by uploads in progress
}

func openSpool(dir string, max int64) (*spool, error) {
	fs, err := blob.OpenFS(dir)
	if err != nil {
		return nil, fmt.Errorf("replica: spool: %w", err)
	}
	s := &spool{fs: fs, max: max, items: map[string]int64{}}
	err = fs.Walk(context.Background(), func(key string, size int64) error {
		s.items[key] = size
		s.bytes += size
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replica: spool: %w", err)
	}
	return s, nil
}

// errSpoolFull is what an upload gets when the primary is down and the spool has no room left.
func (s *spool) errFull() error {
	return fmt.Errorf("%w: the local spool is full (%d bytes) and the blob store still unreachable", blob.ErrUnavailable, s.max)
}

// reserve takes n bytes of room, or says there is none.
func (s *spool) reserve(n int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bytes+s.reserved+n > s.max {
		return false
	}
	s.reserved += n
	return true
}

func (s *spool) release(n int64) {
	s.mu.Lock()
	s.reserved -= n
	s.mu.Unlock()
}

// added turns an upload's reserved room into a spooled content (counted once if spooled twice).
func (s *spool) added(key string, size, reserved int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reserved -= reserved
	if _, ok := s.items[key]; !ok {
		s.items[key] = size
		s.bytes += size
	}
}

func (s *spool) usage() (int, int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items), s.bytes
}

// keys returns a copy of the spooled contents.
func (s *spool) keys() map[string]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int64, len(s.items))
	for k, v := range s.items {
		out[k] = v
	}
	return out
}

// remove deletes a spooled content unless stored again after unusedSince (zero: unconditionally).
func (s *spool) remove(ctx context.Context, key string, unusedSince time.Time) error {
	if err := s.fs.Delete(ctx, key, unusedSince); err != nil {
		return fmt.Errorf("replica: spool: %w", err)
	}
	if _, err := s.fs.Stat(ctx, key); errors.Is(err, blob.ErrNotFound) {
		s.mu.Lock()
		if size, ok := s.items[key]; ok {
			delete(s.items, key)
			s.bytes -= size
		}
		s.mu.Unlock()
	}
	return nil
}

// oldest lists the spooled contents, oldest first: the order they were acknowledged in.
func (s *spool) oldest() []string {
	type item struct {
		key string
		at  time.Time
	}
	var items []item
	for key := range s.keys() {
		at, err := s.fs.Modified(key)
		if err == nil {
			items = append(items, item{key, at})
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].at.Before(items[j].at) })
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.key
	}
	return out
}

// create starts an upload into the spool, refused when it cannot fit. An upload of unknown length
// takes room as its bytes arrive.
func (s *spool) create(ctx context.Context, size int64, report func()) (blob.Writer, error) {
	if size >= 0 && !s.reserve(size) {
		return nil, s.errFull()
	}
	w, err := s.fs.Create(ctx, size)
	if err != nil {
		s.release(max(size, 0))
		return nil, fmt.Errorf("replica: spool: %w", err)
	}
	return &spoolWriter{Writer: w, s: s, chunked: size < 0, reserved: max(size, 0), report: report}, nil
}

type spoolWriter struct {
	blob.Writer
	s        *spool
	chunked  bool
	reserved int64
	report   func()
}

func (w *spoolWriter) Write(p []byte) (int, error) {
	if w.chunked {
		if !w.s.reserve(int64(len(p))) {
			return 0, w.s.errFull()
		}
		w.reserved += int64(len(p))
	}
	return w.Writer.Write(p)
}

func (w *spoolWriter) Commit(ctx context.Context) (string, int64, error) {
	key, n, err := w.Writer.Commit(ctx)
	if err != nil {
		w.s.release(w.reserved)
		w.reserved = 0
		return key, n, err
	}
	w.s.added(key, n, w.reserved)
	w.reserved = 0
	w.report()
	return key, n, nil
}

func (w *spoolWriter) Abort() error {
	err := w.Writer.Abort()
	w.s.release(w.reserved)
	w.reserved = 0
	return err
}

// flush moves the spooled contents to the primary, oldest first; it stops at the first outage.
func (f *Failover) flush(ctx context.Context) {
	for _, key := range f.spool.oldest() {
		if f.down.Load() || ctx.Err() != nil {
			return
		}
		if err := f.flushOne(ctx, key); unavailable(err) {
			f.trip(err)
			return
		} else if err != nil {
			f.log.Error("spool: content not flushed; it stays in the spool", "key", key, "err", err)
		}
	}
}

// flushOne copies one spooled content to the primary, checks that the primary computed the same
// hash and size, then drops it from the spool.
func (f *Failover) flushOne(ctx context.Context, key string) error {
	f.flushMu.Lock()
	defer f.flushMu.Unlock()
	r, err := f.spool.fs.Open(ctx, key)
	if errors.Is(err, blob.ErrNotFound) {
		return f.spool.remove(ctx, key, time.Time{}) // deleted meanwhile: forget it
	} else if err != nil {
		return fmt.Errorf("replica: spool: %w", err)
	}
	defer r.Close()
	w, err := f.primary.Create(ctx, r.Size())
	if err != nil {
		return err
	}
	defer w.Abort()
	if _, err := io.Copy(w, r); err != nil {
		return err
	}
	got, n, err := w.Commit(ctx)
	if err != nil {
		return err
	}
	if got != key || n != r.Size() {
		return fmt.Errorf("replica: spool: %s flushed as %s (%d of %d bytes): the spool's copy is damaged", key, got, n, r.Size())
	}
	if err := f.spool.remove(ctx, key, time.Time{}); err != nil {
		return err
	}
	f.reportSpool()
	return nil
}
