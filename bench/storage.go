package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The storage phase compares Parvis on its two blob stores (local files, S3 on a loopback MinIO)
// and measures the replication lag: how long after a PUT is acknowledged its content is on the
// partner. Files are larger than 64 KiB, the size up to which contents live in the database and
// never reach the blob store.
const (
	storeFiles    = 500
	storeFileSize = 100 << 10
	storeClients  = 16
	lagWait       = 10 * time.Second // with no copy in this time, replication is not running
	lagTimeout    = 2 * time.Minute
)

// storageRows are the storage table's lines.
func storageRows(bigSize int64) []rowDef {
	return []rowDef{
		{"store_put_ops", fmt.Sprintf("PUT %d × 100 KiB, %d clients (ops/s ↑)", storeFiles, storeClients), "ops/s", true},
		{"store_get_ops", fmt.Sprintf("GET %d × 100 KiB, %d clients (ops/s ↑)", storeFiles, storeClients), "ops/s", true},
		{"store_bigput_mbs", fmt.Sprintf("PUT one %d MiB file (MB/s ↑)", bigSize>>20), "MB/s", true},
		{"store_bigget_mbs", fmt.Sprintf("GET one %d MiB file (MB/s ↑)", bigSize>>20), "MB/s", true},
		{"lag_p50_ms", "replication lag after PUT, under the PUT load (p50 ms ↓)", "ms", false},
		{"lag_max_ms", "replication lag after PUT, under the PUT load (max ms ↓)", "ms", false},
	}
}

// storageBigSize is the large file of the storage phase.
func storageBigSize(quick bool) int64 {
	if quick {
		return 32 << 20
	}
	return 256 << 20
}

// runStorage runs the storage phase; metrics is the server's /metrics URL and token its bearer token.
func (b *bench) runStorage(ctx context.Context, metrics, token string) {
	m := &metricsClient{url: metrics, token: token}
	copied0, _ := m.copied(ctx)
	if err := b.c.mkcol(ctx, "store/"); err != nil {
		b.fail(err, "store_put_ops", "store_get_ops", "lag_p50_ms", "lag_max_ms")
	} else {
		acks := b.storePuts(ctx)
		b.storeGets(ctx)
		if acks != nil {
			b.lag(ctx, m, copied0, acks)
		}
	}
	size := storageBigSize(b.cfg.Quick)
	gen := newPattern(b.payload)
	if err := b.c.mkcol(ctx, "big/"); err != nil {
		b.fail(err, "store_bigput_mbs", "store_bigget_mbs")
		return
	}
	b.bigPut(ctx, "big/one.bin", size, gen)
	b.bigGet(ctx, "big/one.bin", size, gen)
	for _, k := range []string{"put", "get"} { // same measurements, this phase's keys
		b.res.Cells["store_big"+k+"_mbs"] = b.res.Cells["big"+k+"_mbs"]
		delete(b.res.Cells, "big"+k+"_mbs")
	}
}

// storeBody is file i's content: distinct per file, so that none is deduplicated.
func (b *bench) storeBody(i int) []byte {
	body := make([]byte, storeFileSize)
	copy(body, b.payload[(i*4099)%(len(b.payload)-storeFileSize):])
	copy(body, fmt.Sprintf("file %d ", i))
	return body
}

// storePuts PUTs the files and returns when each was acknowledged, in order.
func (b *bench) storePuts(ctx context.Context) []time.Time {
	acks := make([]time.Time, storeFiles)
	_, wall, err := parallel(ctx, storeFiles, storeClients, func(ctx context.Context, i int) error {
		err := b.c.put(ctx, fileName("store/", i), b.storeBody(i))
		acks[i] = time.Now()
		return err
	})
	if err != nil {
		b.fail(err, "store_put_ops", "lag_p50_ms", "lag_max_ms")
		return nil
	}
	b.set("store_put_ops", storeFiles/wall.Seconds(), "")
	slices.SortFunc(acks, func(a, b time.Time) int { return a.Compare(b) })
	return acks
}

func (b *bench) storeGets(ctx context.Context) {
	_, wall, err := parallel(ctx, storeFiles, storeClients, func(ctx context.Context, i int) error {
		return b.c.get(ctx, fileName("store/", i), b.storeBody(i))
	})
	if err != nil {
		b.fail(err, "store_get_ops")
		return
	}
	b.set("store_get_ops", storeFiles/wall.Seconds(), "")
}

// lag watches the partner's copy counter: the outbox copies oldest first, so the k-th content copied
// after the burst is the k-th acknowledged, and its lag is when the counter reached k minus its
// acknowledgement. Without a replicator the counter never moves: "n/a".
func (b *bench) lag(ctx context.Context, m *metricsClient, copied0 float64, acks []time.Time) {
	var lags []time.Duration
	deadline := time.Now().Add(lagTimeout)
	for k := 0; k < len(acks) && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		n, err := m.copied(ctx)
		if err != nil {
			b.fail(fmt.Errorf("n/a: /metrics: %v", err), "lag_p50_ms", "lag_max_ms")
			return
		}
		if n == copied0 && time.Since(acks[len(acks)-1]) > lagWait {
			b.fail(fmt.Errorf("n/a: replication is not running (no content copied to the partner)"), "lag_p50_ms", "lag_max_ms")
			return
		}
		for ; k < len(acks) && float64(k) < n-copied0; k++ {
			lags = append(lags, time.Since(acks[k]))
		}
	}
	if len(lags) < len(acks) {
		b.fail(fmt.Errorf("only %d of %d contents copied within %v", len(lags), len(acks), lagTimeout), "lag_p50_ms", "lag_max_ms")
		return
	}
	b.set("lag_p50_ms", ms(percentile(lags, 50)), "")
	b.set("lag_max_ms", ms(slices.Max(lags)), "")
}

// metricsClient reads one counter of Parvis' /metrics.
type metricsClient struct{ url, token string }

func (m *metricsClient) copied(ctx context.Context) (float64, error) {
	if m.url == "" {
		return 0, fmt.Errorf("no -metrics URL")
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", m.url, nil)
	req.Header.Set("Authorization", "Bearer "+m.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return 0, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "parvis_replica_blobs_copied_total "); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, fmt.Errorf("no parvis_replica_blobs_copied_total")
}
