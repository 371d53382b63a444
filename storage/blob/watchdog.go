package blob

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Watchdog ends a transfer whose step (a read, a write, the end of an upload) takes longer than
// its timeout: a stopped store holds connections open without answering, and only a deadline on
// each step tells that from a slow but moving transfer.
type Watchdog struct {
	timeout time.Duration
	cancel  context.CancelFunc
	mu      sync.Mutex
	timer   *time.Timer
	fired   bool
}

// NewWatchdog returns a watchdog that calls cancel when a step outlasts timeout.
func NewWatchdog(timeout time.Duration, cancel context.CancelFunc) *Watchdog {
	return &Watchdog{timeout: timeout, cancel: cancel}
}

// Start arms the deadline of one step.
func (w *Watchdog) Start() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.timer = time.AfterFunc(w.timeout, func() {
		w.mu.Lock()
		w.fired = true
		w.mu.Unlock()
		w.cancel()
	})
}

// Stop disarms it; an error of a step the deadline ended is ErrUnavailable.
func (w *Watchdog) Stop(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.timer != nil {
		w.timer.Stop()
	}
	if w.fired && err != nil {
		return fmt.Errorf("%w: the store did not answer within %s: %v", ErrUnavailable, w.timeout, err)
	}
	return err
}
