package replica

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"parvis/storage/blob"
	"parvis/storage/db"
)

// Replicator carries out the outbox: it copies the contents it lists to the partner, and deletes
// the partner's copies whose time has come. Everything it has to do is in the database, so a
// restart, even a crash, only delays it.
type Replicator struct {
	db      *db.DB
	store   blob.Store // read through the failover store: spooled contents are copied too
	partner *Partner
	mon     *Monitor
	log     *slog.Logger

	wake   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// Pace of the replicator.
const (
	copiesAtOnce = 4
	batchSize    = 64
	idlePoll     = time.Second // also how soon a retry whose time has come is noticed
	firstBackoff = time.Second
	maxBackoff   = 5 * time.Minute
	// maxProbeWait caps the wait between probes of a partner that does not answer: a probe costs
	// one small request, and the storage page should say the partner is back soon after it is.
	maxProbeWait = 30 * time.Second
	opTimeout    = 10 * time.Minute // one content, however large, on a slow link
)

// StartReplicator starts the background copy; Close stops it.
func StartReplicator(d *db.DB, store blob.Store, p *Partner, mon *Monitor, log *slog.Logger) *Replicator {
	ctx, cancel := context.WithCancel(context.Background())
	r := &Replicator{db: d, store: store, partner: p, mon: mon, log: log,
		wake: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	go r.run(ctx)
	return r
}

// Poke says that new contents are queued: the files service calls it after each upload, so that a
// content is on the partner within a second or two.
func (r *Replicator) Poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Close stops the replicator and waits for copies in progress to be abandoned.
func (r *Replicator) Close() error {
	r.cancel()
	<-r.done
	return nil
}

// run works through the outbox. While the partner does not answer, it only probes it, once per
// backoff (1 s doubling to 30 s), and drains the backlog when it answers again.
func (r *Replicator) run(ctx context.Context) {
	defer close(r.done)
	backoff := time.Duration(0) // zero: the partner answers
	for ctx.Err() == nil {
		if backoff > 0 {
			if !r.sleep(ctx, backoff, false) {
				return
			}
			if err := r.probe(ctx); err != nil {
				r.mon.PartnerFailed(err)
				backoff = min(2*backoff, maxProbeWait)
				continue
			}
			r.log.Info("replica: the partner answers again")
			r.mon.PartnerAnswers()
			backoff = 0
		}
		n, err := r.round(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			r.log.Warn("replica: partner unreachable; retrying with backoff", "err", err)
			r.mon.PartnerFailed(err)
			backoff = firstBackoff
		case n < batchSize:
			r.sleep(ctx, idlePoll, true)
		}
	}
}

// sleep waits for d, or for a poke if wakable; false when stopped.
func (r *Replicator) sleep(ctx context.Context, d time.Duration, wakable bool) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	wake := r.wake
	if !wakable {
		wake = nil
	}
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
	case <-wake:
	}
	return true
}

// probe asks the partner something cheap: whether its bucket exists (creating it if not, for a
// server that started while the partner was unreachable).
func (r *Replicator) probe(ctx context.Context) error {
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return r.partner.Ping(pctx)
}

// round carries out one batch of due items, copiesAtOnce at a time. It returns how many items it
// took, and an error when the partner failed (the batch is then abandoned).
func (r *Replicator) round(ctx context.Context) (int, error) {
	items, err := r.db.R(ctx).DueReplicaItems(time.Now(), batchSize)
	if err != nil {
		return 0, fmt.Errorf("replica: outbox: %w", err)
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		slots    = make(chan struct{}, copiesAtOnce)
	)
	for _, it := range items {
		slots <- struct{}{}
		if ctx.Err() != nil {
			break // the partner failed: stop here
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			if err := r.carryOut(ctx, it); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					stop()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return len(items), firstErr
}

// carryOut does one item and records the outcome. It returns an error only when the partner failed.
func (r *Replicator) carryOut(ctx context.Context, it db.OutboxItem) error {
	octx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	var err error
	if it.Op == db.ReplicaDelete {
		err = r.partner.DeleteBlob(octx, it.Key)
	} else {
		err = r.copy(octx, it)
	}
	var se *sourceError
	switch {
	case err == nil:
		if it.Op == db.ReplicaDelete {
			r.mon.BlobDeleted()
		} else {
			r.mon.BlobCopied(it.Size)
		}
		return r.record(func(tx *db.Tx) error { return tx.ReplicaDone(it.Key, it.Op) })
	case ctx.Err() != nil:
		return nil // stopped, or another copy found the partner down: the item stays due
	case errors.As(err, &se):
		r.log.Warn("replica: cannot read a content to copy", "key", it.Key, "attempts", it.Attempts+1, "err", err)
		r.failed(it, err)
		return nil
	default:
		r.failed(it, err)
		return err
	}
}

// copy sends a content unless the partner holds it already (copied before a crash, or shared by
// two files).
func (r *Replicator) copy(ctx context.Context, it db.OutboxItem) error {
	if ok, err := r.partner.HasBlob(ctx, it.Key); err != nil || ok {
		return err
	}
	src, err := r.store.Open(ctx, it.Key)
	if err != nil {
		return &sourceError{err}
	}
	defer src.Close()
	body := &sourceReader{r: src}
	err = r.partner.PutBlob(ctx, it.Key, body, src.Size())
	if body.err != nil {
		return &sourceError{body.err}
	}
	return err
}

// failed records a failed attempt; the next one waits 1 s, doubling per attempt up to 5 min.
func (r *Replicator) failed(it db.OutboxItem, cause error) {
	wait := min(firstBackoff<<min(it.Attempts, 20), maxBackoff)
	err := r.record(func(tx *db.Tx) error { return tx.ReplicaFailed(it.Key, it.Op, cause, time.Now().Add(wait)) })
	if err != nil {
		r.log.Warn("replica: outbox", "err", err)
	}
}

// record writes an outcome; it must not be lost to the replicator stopping, so it has its own context.
func (r *Replicator) record(f func(tx *db.Tx) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return r.db.Write(ctx, f)
}

// sourceError is a failure to read the content from our own store: not the partner's fault.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return "read from the blob store: " + e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// sourceReader remembers a read error, to tell it from the partner's.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}
