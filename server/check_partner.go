package server

import (
	"context"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"parvis/storage/db"
	"parvis/storage/replica"
)

// partnerCheckWorkers is how many contents are looked up on the partner at once.
const partnerCheckWorkers = 8

// staleCopy is how old the newest database copy may be before check warns: a few missed intervals
// are a slow network, an hour is a shipper that stopped.
func staleCopy(interval time.Duration) time.Duration { return max(10*interval, 15*time.Minute) }

// checkPartner verifies the partner's copy, when one is configured: every referenced content that
// is not kept in the database is there (or still queued in the outbox: pending, not a problem), the
// newest database copy is recent, and no object under blobs/ is unknown to us.
func (in *Instance) checkPartner(ctx context.Context, out io.Writer, report func(bool, string, ...any), referenced, inline map[string]bool) error {
	if in.cfg.Replication.Endpoint == "" {
		return nil
	}
	p := in.repl.partner
	if err := p.Ping(ctx); err != nil {
		report(true, "partner: %v", err)
		return nil
	}
	pendingPut, pendingDelete, err := in.outboxKeys(ctx)
	if err != nil {
		return err
	}
	checked, pending := in.checkPartnerContents(ctx, p, report, referenced, inline, pendingPut)
	fmt.Fprintf(out, "partner: %d contents checked, %d still waiting to be copied\n", checked, pending)
	in.checkPartnerCopies(ctx, p, report)
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
		report(true, "partner: listing its objects: %v", err)
	} else if orphans > 0 {
		report(false, "partner: %d objects (%d bytes) under blobs/ belong to no content of this instance", orphans, bytes)
	}
	return nil
}

// outboxKeys returns the contents queued for copy and for removal on the partner.
func (in *Instance) outboxKeys(ctx context.Context) (put, del map[string]bool, err error) {
	items, err := in.db.R(ctx).DueReplicaItems(time.Unix(0, math.MaxInt64), math.MaxInt32)
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

// checkPartnerContents looks every referenced blob-store content up on the partner.
func (in *Instance) checkPartnerContents(ctx context.Context, p *replica.Partner, report func(bool, string, ...any),
	referenced, inline, pendingPut map[string]bool) (checked, pending int) {
	keys := make(chan string)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range partnerCheckWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range keys {
				ok, err := p.HasBlob(ctx, k)
				mu.Lock()
				checked++
				switch {
				case err != nil:
					report(true, "partner: content %s: %v", k, err)
				case !ok && pendingPut[k]:
					pending++
				case !ok:
					report(true, "partner: content %s is missing (object %s) and is not waiting to be copied", k, p.BlobName(k))
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

// checkPartnerCopies reports the newest database copy and warns when it is old.
func (in *Instance) checkPartnerCopies(ctx context.Context, p *replica.Partner, report func(bool, string, ...any)) {
	snaps, err := p.Snapshots(ctx)
	if err != nil {
		report(true, "partner: listing database copies: %v", err)
		return
	}
	if len(snaps) == 0 {
		report(true, "partner: no database copy: the server has never shipped one")
		return
	}
	newest := snaps[len(snaps)-1]
	age := time.Since(newest.At).Round(time.Second)
	if age > staleCopy(in.cfg.Replication.DBInterval.Duration) {
		report(false, "partner: the newest database copy is %s old (%s): is the server running and the partner reachable?", age, newest.At.Format(time.DateTime))
	}
}
