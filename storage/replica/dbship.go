package replica

// Shipping the database: how and why.
//
// The database holds everything but large contents (people, groups, the file tree, calendars,
// contacts, contents of 64 KiB or less), so its copy on the partner decides how much a lost server
// loses. Shipper sends a full, consistent copy whenever the database changed, at most every
// interval (replication.db_interval, 10 s by default): the recovery point is that interval.
//
// A copy is made with SQLite's online backup API from a reader connection, in one step: it reads one
// snapshot of the database while the writer goes on committing (WAL mode), so requests are not held
// up. The copy is compressed with zstd (one core, leaving the other to the server), encrypted with
// age to the association's recipients and uploaded as db/<time>. Whether the database changed is read
// from db.DB.Changes, a counter in memory: the shipper records what it sent in the Monitor, never in
// the database, which would change it and make it ship again forever.
//
// Why full copies rather than WAL shipping (what Litestream does: copy each WAL segment as it is
// written, plus a periodic snapshot): full copies are one mechanism with nothing to replay, every
// object on the partner restores alone, and a damaged object loses one copy, not the chain after it.
// Their cost grows with the database, WAL shipping's with the changes. Measured here
// (BenchmarkShipDatabase, MinIO on loopback, 2 shared cores), for 5,000 events and 10,000 files:
//
//   - the files' metadata and the events alone: 6 MiB of database, 1.1 MiB sent, 0.08 s;
//   - with the 45% of files under 64 KiB kept inline (incompressible documents): 84 MiB of database,
//     72 MiB sent, 0.63 s of work; the slowest concurrent commit meanwhile took 20 ms.
//
// So the cost is the inline contents, and the limit is the uplink, not the CPU: 72 MiB every 10 s is
// 60 Mbit/s. Run therefore spends at most a tenth of the time copying (see maxDutyWait): on a
// 20 Mbit/s uplink that copy takes 30 s and the recovery point becomes about 5 minutes. An
// association whose compressed copy passes a few MiB per interval of its uplink (roughly: database
// above 20 MiB on a home connection, above 200 MiB on a 1 Gbit/s one) should switch to WAL shipping,
// whose cost is the changes, or move inline contents out of the copies.
//
// Retention (Thin): the 20 newest copies, the newest of each hour for 48 hours, the newest of each
// day for 30 days. Contents that the server stops using stay on the partner for
// replication.delete_after (30 days), so a kept copy finds its contents.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/zstd"

	"parvis/storage/db"
)

// Shipper sends a copy of the database to the partner whenever it changed, at most every Interval.
type Shipper struct {
	DB       *db.DB
	Partner  *Partner
	Monitor  *Monitor
	TempDir  string // where copies are made before upload: the data directory, so no other disk fills
	Interval time.Duration
	Log      *slog.Logger

	shipped uint64 // db.Changes() at the last copy sent
	sentAny bool   // a copy was sent since start
	// bestRate is the fastest a copy went since start, in bytes per second (busy).
	bestRate float64
}

// Run ships until ctx ends: once at start (the database may have changed while the server was
// stopped, by the command line for instance), then at each interval if it changed. A failure is
// reported to the Monitor and retried at the next interval: a partner that hung for a minute gets
// its next copy one interval after it answers again, not nine minutes later.
//
// Copies take at most a tenth of the time (and so of the uplink): after a copy that kept the uplink
// busy d, the next waits at least 9·d (a failed copy is tried again at the next interval). On a slow uplink a large
// database is then copied less often than the interval says, rather than saturating the association's connection; the storage page shows the real age.
func (s *Shipper) Run(ctx context.Context) {
	wait := time.Duration(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = s.Interval
		if s.sentAny && s.DB.Changes() == s.shipped {
			continue
		}
		start := time.Now()
		snap, err := s.Ship(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.Monitor.PartnerFailed(err)
				s.Log.Warn("replica: database copy", "err", err)
			}
			continue // tried again at the next interval
		}
		took := time.Since(start)
		wait = max(s.Interval-took, maxDutyWait*s.busy(snap.Size, took))
	}
}

// maxDutyWait is how many times the duration of a copy the shipper waits before the next one.
const maxDutyWait = 9

// busy is how long a copy of size bytes keeps the uplink busy: at the best rate copies have gone
// so far, not at this one's. A copy that waited on a partner hung for a minute, then went through,
// used the uplink for a second, and must not put the next copy nine minutes away.
func (s *Shipper) busy(size int64, took time.Duration) time.Duration {
	if took <= 0 {
		return 0
	}
	if rate := float64(size) / took.Seconds(); rate > s.bestRate {
		s.bestRate = rate
	}
	return time.Duration(float64(size) / s.bestRate * float64(time.Second))
}

// Ship takes a copy of the database now, sends it and thins the older copies.
func (s *Shipper) Ship(ctx context.Context) (Snapshot, error) {
	start := time.Now()
	changes := s.DB.Changes() // read before the copy: a change made during it ships next time
	z, size, err := s.compressedCopy(ctx, start)
	if err != nil {
		return Snapshot{}, err
	}
	defer os.Remove(z.Name())
	defer z.Close()
	name, err := s.Partner.PutSnapshot(ctx, start, z, size)
	if err != nil {
		return Snapshot{}, err
	}
	s.shipped, s.sentAny = changes, true
	s.Monitor.DBShipped(start, size, time.Since(start))
	if err := s.thin(ctx, start); err != nil {
		s.Log.Warn("replica: thinning database copies", "err", err)
	}
	return Snapshot{Name: name, At: start, Size: size}, nil
}

// compressedCopy backs the database up to a file, then compresses it into another, returned open at
// its start with its size. Both are temporary.
func (s *Shipper) compressedCopy(ctx context.Context, at time.Time) (*os.File, int64, error) {
	raw := filepath.Join(s.TempDir, fmt.Sprintf(".partner-copy-%d.db", at.UnixNano()))
	defer removeDB(raw)
	if _, err := s.DB.Backup(ctx, raw); err != nil {
		return nil, 0, err
	}
	in, err := os.Open(raw)
	if err != nil {
		return nil, 0, fmt.Errorf("replica: database copy: %w", err)
	}
	defer in.Close()
	out, err := os.CreateTemp(s.TempDir, ".partner-copy-*.zst")
	if err != nil {
		return nil, 0, fmt.Errorf("replica: database copy: %w", err)
	}
	size, err := Compress(out, in)
	if err == nil {
		_, err = out.Seek(0, io.SeekStart)
	}
	if err != nil {
		out.Close()
		os.Remove(out.Name())
		return nil, 0, fmt.Errorf("replica: compress database copy: %w", err)
	}
	return out, size, nil
}

// Compress writes r to w compressed with zstd on one core, and returns the compressed size.
func Compress(w io.Writer, r io.Reader) (int64, error) {
	cw := &countWriter{w: w}
	enc, err := zstd.NewWriter(cw, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault))
	if err != nil {
		return 0, err
	}
	if _, err := io.Copy(enc, r); err != nil {
		enc.Close()
		return 0, err
	}
	if err := enc.Close(); err != nil {
		return 0, err
	}
	return cw.n, nil
}

// Decompress returns the plaintext of a compressed copy.
func Decompress(r io.Reader) (io.ReadCloser, error) {
	dec, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("replica: decompress: %w", err)
	}
	return dec.IOReadCloser(), nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// removeDB removes a database file and whatever SQLite left beside it.
func removeDB(path string) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// thin deletes the copies that the retention rule no longer keeps.
func (s *Shipper) thin(ctx context.Context, now time.Time) error {
	snaps, err := s.Partner.Snapshots(ctx)
	if err != nil {
		return err
	}
	for _, sn := range Thin(snaps, now) {
		if err := s.Partner.DeleteSnapshot(ctx, sn.Name); err != nil {
			return fmt.Errorf("replica: delete %s: %w", sn.Name, err)
		}
	}
	return nil
}
