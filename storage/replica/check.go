package replica

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"parvis/storage/db"
)

// checkWorkers is how many contents are looked up on the partner at once.
const checkWorkers = 8

// StaleCopy is how old the newest database copy may be before a check warns: a few missed
// intervals are a slow network, an hour is a shipper that stopped.
func StaleCopy(interval time.Duration) time.Duration { return max(10*interval, 15*time.Minute) }

// Check verifies the partner's copy of an instance: every referenced content not kept inline in
// the database is there (or still queued in the outbox: pending, not a problem), the newest
// database copy is younger than stale, and no object under blobs/ is unknown to the instance.
// report receives each finding, a problem or a warning; it returns the counts for the summary.
func Check(ctx context.Context, p *Partner, d *db.DB, referenced, inline map[string]bool, stale time.Duration,
	report func(problem bool, text string)) (checked, pending int, err error) {
	if err := p.Ping(ctx); err != nil {
		report(true, fmt.Sprintf("partner: %v", err))
		return 0, 0, nil
	}
	pendingPut, pendingDelete, err := outboxKeys(ctx, d)
	if err != nil {
		return 0, 0, err
	}
	checked, pending = checkContents(ctx, p, report, referenced, inline, pendingPut)
	checkCopies(ctx, p, stale, report)
	known := map[string]bool{}
	for k := range referenced {
		known[p.BlobName(k)] = true
	}
	for k := range pendingDelete {
		known[p.BlobName(k)] = true
	}
	orphans, bytes := 0, int64(0)
	err = p.Objects(ctx, "blobs/", func(name string, size int64) error {
		if !known[name] {
			orphans, bytes = orphans+1, bytes+size
		}
		return nil
	})
	if err != nil {
		report(true, fmt.Sprintf("partner: listing its objects: %v", err))
	} else if orphans > 0 {
		report(false, fmt.Sprintf("partner: %d objects (%d bytes) under blobs/ belong to no content of this instance", orphans, bytes))
	}
	return checked, pending, nil
}

// outboxKeys returns the contents queued for copy and for removal on the partner.
func outboxKeys(ctx context.Context, d *db.DB) (put, del map[string]bool, err error) {
	items, err := d.R(ctx).DueReplicaItems(time.Unix(0, math.MaxInt64), math.MaxInt32)
	if err != nil {
		return nil, nil, err
	}
	put, del = map[string]bool{}, map[string]bool{}
	for _, it := range items {
		if it.Op == db.ReplicaPut {
			put[it.Key] = true
		} else {
			del[it.Key] = true
		}
	}
	return put, del, nil
}

// checkContents looks every referenced blob-store content up on the partner.
func checkContents(ctx context.Context, p *Partner, report func(bool, string), referenced, inline, pendingPut map[string]bool) (checked, pending int) {
	keys := make(chan string)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range checkWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range keys {
				ok, err := p.HasBlob(ctx, k)
				mu.Lock()
				checked++
				switch {
				case err != nil:
					report(true, fmt.Sprintf("partner: content %s: %v", k, err))
				case !ok && pendingPut[k]:
					pending++
				case !ok:
					report(true, fmt.Sprintf("partner: content %s is missing (object %s) and is not waiting to be copied", k, p.BlobName(k)))
				}
				mu.Unlock()
			}
		}()
	}
	for k := range referenced {
		if !inline[k] {
			keys <- k
		}
	}
	close(keys)
	wg.Wait()
	return checked, pending
}

// checkCopies warns when the newest database copy is missing or older than stale.
func checkCopies(ctx context.Context, p *Partner, stale time.Duration, report func(bool, string)) {
	snaps, err := p.Snapshots(ctx)
	if err != nil {
		report(true, fmt.Sprintf("partner: listing database copies: %v", err))
		return
	}
	if len(snaps) == 0 {
		report(true, "partner: no database copy: the server has never shipped one")
		return
	}
	newest := snaps[len(snaps)-1]
	if age := time.Since(newest.At).Round(time.Second); age > stale {
		report(false, fmt.Sprintf("partner: the newest database copy is %s old (%s): is the server running and the partner reachable?", age, newest.At.Format(time.DateTime)))
	}
}
