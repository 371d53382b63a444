package replica

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"parvis/storage/blob"
)

// Failover is the blob store the server uses: the primary store while it answers; when it does not
// (network errors, timeouts, 5xx), reads come from a local spool or from the partner's copy, and
// writes go to the spool, bounded by its size, then flushed to the primary once it is back. Nothing
// acknowledged is lost: a content is acknowledged only once durable in the primary or in the spool.
//
// With a local primary (fs driver) there is no outage to ride out, but a content lost from the disk
// can still be read back from the partner.
type Failover struct {
	primary blob.Store
	spool   *spool
	partner *Partner // nil: no partner configured, or none to read from (no identity)
	mon     *Monitor
	log     *slog.Logger

	down   atomic.Bool   // the primary does not answer: the circuit is open
	kick   chan struct{} // wakes the background loop (probe, flush)
	cancel context.CancelFunc
	done   chan struct{}
	// flushMu orders a flush of a spooled content with the collector's deletion of it, so that a
	// flush cannot bring back to the primary a content the collector just deleted.
	flushMu sync.Mutex
}

var _ blob.Store = (*Failover)(nil)

// Intervals of the background loop.
const (
	probeEvery   = 500 * time.Millisecond // while the primary is down: one cheap request; else a look at the spool
	probeTimeout = 3 * time.Second
)

// probeKey names no content (no SHA-256 is all zeros): asking for it costs the primary one lookup,
// and "not found" proves it answers.
const probeKey = "0000000000000000000000000000000000000000000000000000000000000000"

// NewFailover wraps primary. spoolDir is a local directory that must survive restarts (contents
// spooled before a restart are flushed after it); spoolMax bounds it in bytes. partner may be nil.
// Close stops the background work and closes the primary store.
func NewFailover(primary blob.Store, spoolDir string, spoolMax int64, partner *Partner, mon *Monitor, log *slog.Logger) (*Failover, error) {
	sp, err := openSpool(spoolDir, spoolMax)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	f := &Failover{primary: primary, spool: sp, partner: partner, mon: mon, log: log,
		kick: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	f.reportSpool()
	go f.loop(ctx)
	return f, nil
}

// Down tells whether the primary store is considered unreachable.
func (f *Failover) Down() bool { return f.down.Load() }

// trip opens the circuit after a failure that says the primary does not answer.
func (f *Failover) trip(err error) {
	if f.down.Swap(true) {
		return
	}
	f.log.Warn("blob store unreachable: reading from the spool and the partner, spooling writes", "err", err)
	f.mon.PrimaryState(true)
	f.poke()
}

func (f *Failover) poke() {
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

// Create starts a blob in the primary store, or in the spool while the primary is down.
func (f *Failover) Create(ctx context.Context, size int64) (blob.Writer, error) {
	if f.down.Load() {
		return f.spool.create(ctx, size, f.reportSpool)
	}
	w, err := f.primary.Create(ctx, size)
	if unavailable(err) {
		f.trip(err)
		return f.spool.create(ctx, size, f.reportSpool)
	}
	if err != nil {
		return nil, err
	}
	return &primaryWriter{Writer: w, f: f}, nil
}

// primaryWriter turns an outage in the middle of an upload into ErrUnavailable: the upload fails
// cleanly (nothing is visible) and the client's retry goes to the spool.
type primaryWriter struct {
	blob.Writer
	f *Failover
}

func (w *primaryWriter) Write(p []byte) (int, error) {
	n, err := w.Writer.Write(p)
	return n, w.f.check(err)
}

func (w *primaryWriter) Commit(ctx context.Context) (string, int64, error) {
	key, n, err := w.Writer.Commit(ctx)
	return key, n, w.f.check(err)
}

// check trips the circuit on an outage and says so with ErrUnavailable.
func (f *Failover) check(err error) error {
	if !unavailable(err) {
		return err
	}
	f.trip(err)
	return fmt.Errorf("%w: %v", blob.ErrUnavailable, err)
}

// Open reads from the primary; from the spool for a content not flushed yet; from the partner when
// the primary is down or lost the content.
func (f *Failover) Open(ctx context.Context, key string) (blob.Reader, error) {
	primaryMissing := false
	if !f.down.Load() {
		r, err := f.primary.Open(ctx, key)
		switch {
		case err == nil:
			return r, nil
		case errors.Is(err, blob.ErrNotFound):
			primaryMissing = true
		case unavailable(err):
			f.trip(err)
		default:
			return nil, err
		}
	}
	if r, err := f.spool.fs.Open(ctx, key); err == nil {
		return r, nil
	}
	if primaryMissing {
		// Flushed between the two lookups? Then the primary has it now.
		if r, err := f.primary.Open(ctx, key); err == nil {
			return r, nil
		}
	}
	return f.fromPartner(ctx, key, primaryMissing)
}

// fromPartner reads a content back from the partner's copy, checking its hash on a whole read.
func (f *Failover) fromPartner(ctx context.Context, key string, primaryMissing bool) (blob.Reader, error) {
	missing := blob.ErrUnavailable
	if primaryMissing {
		missing = blob.ErrNotFound
	}
	if f.partner == nil || len(f.partner.identities) == 0 {
		return nil, missing
	}
	pl, err := f.partner.OpenBlob(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return nil, missing
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", blob.ErrUnavailable, err)
	}
	if primaryMissing {
		f.log.Warn("content missing from the blob store: served from the partner's copy", "key", key)
	}
	return newVerified(pl, key), nil
}

// Stat answers from the primary, then the spool. Only while the primary is down does it ask the
// partner: a content the primary lost must show as missing to checks.
func (f *Failover) Stat(ctx context.Context, key string) (int64, error) {
	if !f.down.Load() {
		n, err := f.primary.Stat(ctx, key)
		if err == nil || !errors.Is(err, blob.ErrNotFound) && !unavailable(err) {
			return n, err
		}
		if errors.Is(err, blob.ErrNotFound) {
			if n, err := f.spool.fs.Stat(ctx, key); err == nil {
				return n, nil
			}
			return f.primary.Stat(ctx, key) // flushed meanwhile?
		}
		f.trip(err)
	}
	if n, err := f.spool.fs.Stat(ctx, key); err == nil {
		return n, nil
	}
	r, err := f.fromPartner(ctx, key, false)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return r.Size(), nil
}

// Delete removes a content from the spool and from the primary. While the primary is down, the
// spool's copy goes and ErrUnavailable reports that the primary's (if any) stays.
func (f *Failover) Delete(ctx context.Context, key string, unusedSince time.Time) error {
	f.flushMu.Lock()
	defer f.flushMu.Unlock()
	if err := f.spool.remove(ctx, key, unusedSince); err != nil {
		return err
	}
	f.reportSpool()
	if f.down.Load() {
		return fmt.Errorf("%w: primary copy of %s not deleted", blob.ErrUnavailable, key)
	}
	return f.check(f.primary.Delete(ctx, key, unusedSince))
}

// Walk lists the primary's contents, then those only in the spool.
func (f *Failover) Walk(ctx context.Context, fn func(key string, size int64) error) error {
	if f.down.Load() {
		return fmt.Errorf("%w: cannot list the primary store", blob.ErrUnavailable)
	}
	spooled := f.spool.keys()
	err := f.primary.Walk(ctx, func(key string, size int64) error {
		delete(spooled, key)
		return fn(key, size)
	})
	if err != nil {
		return f.check(err)
	}
	for key, size := range spooled {
		if err := fn(key, size); err != nil {
			return err
		}
	}
	return nil
}

// Close stops the background work, then closes the primary store. Spooled contents stay on disk
// for the next start.
func (f *Failover) Close() error {
	f.cancel()
	<-f.done
	return f.primary.Close()
}

func (f *Failover) reportSpool() {
	n, b := f.spool.usage()
	f.mon.Spool(n, b)
}
