package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// The mixed workload: MixClients clients loop for MixDuration, each picking
//
//	50% GET of a file of a shared, never-modified pool (content checked),
//	30% PUT of 4–64 KiB to one of its own MixOwn names (create or overwrite),
//	10% PROPFIND Depth 1 of the pool folder,
//	10% DELETE or MOVE (half each) of one of its own existing files.
//
// Each client works in its own folder and tracks which of its names exist,
// so every answer is predictable: any unexpected status or error counts as
// an error.
const (
	opGet = iota
	opPut
	opPropfind
	opDelete
	opMove
	numOps
)

var opNames = [numOps]string{"GET", "PUT", "PROPFIND", "DELETE", "MOVE"}

// mixWorker is one client's tally.
type mixWorker struct {
	lat       []time.Duration
	ok, errs  [numOps]int
	errSample []string
}

// runMixed runs the mixed workload and records mixed_ops, mixed_p99 and
// mixed_errors.
func (b *bench) runMixed(ctx context.Context) {
	cfg := b.cfg
	keys := []string{"mixed_ops", "mixed_p99", "mixed_errors"}
	const pool = "mix/pool/"
	sizes := make([]int, cfg.MixPool)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range sizes {
		sizes[i] = 4<<10 + rng.IntN(60<<10+1)
	}
	poolFile := func(i int) []byte {
		off := (i * 7919) % (len(b.payload) - 64<<10)
		return b.payload[off : off+sizes[i]]
	}

	// Set up, untimed: the folders and the pool.
	sctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	err := b.c.mkcol(sctx, "mix/")
	if err == nil {
		err = b.c.mkcol(sctx, pool)
	}
	for w := 0; err == nil && w < cfg.MixClients; w++ {
		err = b.c.mkcol(sctx, fmt.Sprintf("mix/c%02d/", w))
	}
	if err == nil {
		_, _, err = parallel(sctx, cfg.MixPool, cfg.Clients, func(ctx context.Context, i int) error {
			return b.c.put(ctx, fileName(pool, i), poolFile(i))
		})
	}
	if err != nil {
		b.fail(fmt.Errorf("setup: %w", err), keys...)
		return
	}

	workers := make([]mixWorker, cfg.MixClients)
	deadline := time.Now().Add(cfg.MixDuration)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.mixClient(ctx, w, deadline, pool, poolFile, &workers[w])
		}()
	}
	wg.Wait()
	wall := time.Since(start)

	// Merge the tallies.
	var lat []time.Duration
	var ok, errs [numOps]int
	var samples []string
	for _, w := range workers {
		lat = append(lat, w.lat...)
		for k := range numOps {
			ok[k] += w.ok[k]
			errs[k] += w.errs[k]
		}
		if len(samples) < 3 {
			samples = append(samples, w.errSample...)
		}
	}
	totalOK, totalErr := 0, 0
	perOp := map[string]string{}
	for k := range numOps {
		totalOK += ok[k]
		totalErr += errs[k]
		perOp[opNames[k]] = fmt.Sprintf("%d ok, %d errors", ok[k], errs[k])
	}
	b.res.Detail["mixed_per_op"] = perOp
	b.res.Detail["mixed_error_samples"] = samples
	if totalOK == 0 {
		b.fail(fmt.Errorf("all %d operations failed (first: %s)", totalErr, strings.Join(samples, "; ")), keys...)
		return
	}
	b.set("mixed_ops", float64(totalOK)/wall.Seconds(), fmt.Sprintf("%d ok operations in %.1f s", totalOK, wall.Seconds()))
	b.set("mixed_p99", ms(percentile(lat, 99)), fmt.Sprintf("p50 %.2f ms", ms(percentile(lat, 50))))
	note := ""
	if totalErr > 0 {
		note = "first: " + strings.Join(samples, "; ")
	}
	b.set("mixed_errors", float64(totalErr), note)
}

// mixClient is the loop of client w of the mixed workload.
func (b *bench) mixClient(ctx context.Context, w int, deadline time.Time, pool string, poolFile func(int) []byte, t *mixWorker) {
	rng := rand.New(rand.NewPCG(uint64(w), 5))
	exists := make([]bool, b.cfg.MixOwn)
	own := func(k int) string { return fmt.Sprintf("mix/c%02d/o%03d.bin", w, k) }
	// pick returns a random own name that exists (or not), or -1.
	pick := func(exist bool) int {
		start := rng.IntN(len(exists))
		for i := range exists {
			if k := (start + i) % len(exists); exists[k] == exist {
				return k
			}
		}
		return -1
	}
	put := func(ctx context.Context) error {
		k, size := rng.IntN(len(exists)), 4<<10+rng.IntN(60<<10+1)
		off := rng.IntN(len(b.payload) - size)
		err := b.c.put(ctx, own(k), b.payload[off:off+size])
		if err == nil {
			exists[k] = true
		}
		return err
	}
	for time.Now().Before(deadline) && ctx.Err() == nil {
		octx, cancel := context.WithTimeout(ctx, callTimeout)
		p, op := rng.IntN(100), opPut
		var err error
		start := time.Now()
		switch {
		case p < 50:
			op = opGet
			i := rng.IntN(b.cfg.MixPool)
			err = b.c.get(octx, fileName(pool, i), poolFile(i))
		case p < 80:
			err = put(octx)
		case p < 90:
			op = opPropfind
			_, err = b.c.propfind(octx, pool, false)
		default:
			k := pick(true)
			if k < 0 {
				err = put(octx) // nothing to remove yet
				break
			}
			if j := pick(false); j >= 0 && rng.IntN(2) == 0 {
				op = opMove
				if err = b.c.move(octx, own(k), own(j)); err == nil {
					exists[k], exists[j] = false, true
				}
			} else {
				op = opDelete
				if err = b.c.del(octx, own(k)); err == nil {
					exists[k] = false
				}
			}
		}
		t.lat = append(t.lat, time.Since(start))
		cancel()
		if err != nil {
			t.errs[op]++
			if len(t.errSample) < 1 {
				t.errSample = append(t.errSample, err.Error())
			}
		} else {
			t.ok[op]++
		}
	}
}
