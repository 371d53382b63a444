package main

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// callTimeout bounds each small request, so that a hung server fails a row
// quickly instead of stalling the whole run.
const callTimeout = 15 * time.Second

// parallel calls fn(ctx, i) for every i in [0, n) from `workers` goroutines,
// each call bounded by callTimeout, and returns each call's latency and the
// wall time. It stops at the first error, which it returns.
func parallel(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) ([]time.Duration, time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lat := make([]time.Duration, n)
	var (
		next  atomic.Int64
		once  sync.Once
		first error
		wg    sync.WaitGroup
	)
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				cctx, cancelCall := context.WithTimeout(ctx, callTimeout)
				t := time.Now()
				err := fn(cctx, i)
				lat[i] = time.Since(t)
				cancelCall()
				if err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	if first == nil && ctx.Err() != nil {
		first = ctx.Err()
	}
	return lat, wall, first
}

// percentile returns the p-th percentile (0 < p ≤ 100) of d, nearest rank.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	k := int(float64(len(s))*p/100+0.999999) - 1
	return s[min(max(k, 0), len(s)-1)]
}

// ms converts a duration to fractional milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
