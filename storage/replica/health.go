package replica

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"

	"parvis/storage/blob"
)

// loop is the failover store's background work: while the primary is down, probe it; once it
// answers, flush the spool to it, oldest first.
func (f *Failover) loop(ctx context.Context) {
	defer close(f.done)
	t := time.NewTicker(probeEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-f.kick:
		}
		if f.down.Load() && !f.probe(ctx) {
			continue
		}
		if n, _ := f.spool.usage(); n > 0 {
			f.flush(ctx)
		}
	}
}

// probe asks the primary for a content that does not exist; an answer, even "not found", closes
// the circuit.
func (f *Failover) probe(ctx context.Context) bool {
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	_, err := f.primary.Stat(pctx, probeKey)
	if err != nil && !errors.Is(err, blob.ErrNotFound) {
		return false
	}
	if f.down.Swap(false) {
		f.log.Info("blob store answers again: flushing the spool")
		f.mon.PrimaryState(false)
	}
	return true
}

// unavailable tells whether err says the store did not answer (network error, timeout, 5xx), as
// opposed to an answer (not found, a short upload) or a client that went away.
func unavailable(err error) bool {
	switch {
	case err == nil, errors.Is(err, blob.ErrNotFound), errors.Is(err, blob.ErrShort), errors.Is(err, context.Canceled):
		return false
	case errors.Is(err, blob.ErrUnavailable), errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var re minio.ErrorResponse
	return errors.As(err, &re) && re.StatusCode >= 500
}
