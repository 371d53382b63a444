package replica

import (
	"context"
	"sync"
	"time"

	"parvis/storage/db"
)

// Backlog is what waits to be copied to the partner, counted in the outbox.
func Backlog(ctx context.Context, d *db.DB) (db.Backlog, error) { return d.R(ctx).ReplicaBacklog() }

// Status is what administrators see of the storage and its copy (status page, /metrics). The
// backlog itself is counted in the database (db.Read.ReplicaBacklog), where it survives restarts.
type Status struct {
	Enabled bool // a partner is configured

	BlobsCopied    int64     // since start
	BytesCopied    int64     // since start
	LastBlobCopied time.Time // zero: none since start
	BlobsDeleted   int64     // partner copies removed after the grace period, since start

	LastDBShipment time.Time     // newest database copy on the partner
	LastDBSize     int64         // its size in bytes (compressed, encrypted)
	LastDBDuration time.Duration // how long taking and sending it took

	LastError   string // the last failure talking to the partner, "" once it works again
	LastErrorAt time.Time
	PartnerDown bool

	PrimaryDown      bool // the primary blob store does not answer: reads from the partner, writes spooled
	PrimaryDownSince time.Time
	SpoolCount       int   // uploads waiting on local disk for the primary store
	SpoolBytes       int64 // their size
	SpoolMax         int64
}

// Monitor gathers the replication's events; every part of it reports here. Safe for concurrent use.
type Monitor struct {
	mu sync.Mutex
	s  Status
}

// NewMonitor returns a monitor; enabled says whether a partner is configured.
func NewMonitor(enabled bool, spoolMax int64) *Monitor {
	return &Monitor{s: Status{Enabled: enabled, SpoolMax: spoolMax}}
}

// Status returns a copy of the current state.
func (m *Monitor) Status() Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.s
}

// BlobCopied records a content now held by the partner.
func (m *Monitor) BlobCopied(size int64) {
	m.update(func(s *Status) {
		s.BlobsCopied++
		s.BytesCopied += size
		s.LastBlobCopied = time.Now()
		s.PartnerDown, s.LastError = false, ""
	})
}

// BlobDeleted records a partner copy removed.
func (m *Monitor) BlobDeleted() { m.update(func(s *Status) { s.BlobsDeleted++ }) }

// DBShipped records a database copy sent.
func (m *Monitor) DBShipped(at time.Time, size int64, took time.Duration) {
	m.update(func(s *Status) {
		s.LastDBShipment, s.LastDBSize, s.LastDBDuration = at, size, took
		s.PartnerDown, s.LastError = false, ""
	})
}

// PartnerFailed records a failure to reach or write the partner.
func (m *Monitor) PartnerFailed(err error) {
	m.update(func(s *Status) {
		s.PartnerDown, s.LastError, s.LastErrorAt = true, err.Error(), time.Now()
	})
}

// PrimaryState records whether the primary blob store answers.
func (m *Monitor) PrimaryState(down bool) {
	m.update(func(s *Status) {
		if down && !s.PrimaryDown {
			s.PrimaryDownSince = time.Now()
		}
		s.PrimaryDown = down
		if !down {
			s.PrimaryDownSince = time.Time{}
		}
	})
}

// Spool records what waits on local disk for the primary store.
func (m *Monitor) Spool(count int, bytes int64) {
	m.update(func(s *Status) { s.SpoolCount, s.SpoolBytes = count, bytes })
}

func (m *Monitor) update(f func(*Status)) {
	m.mu.Lock()
	f(&m.s)
	m.mu.Unlock()
}

// PartnerAnswers records that the partner answers again (a probe succeeded).
func (m *Monitor) PartnerAnswers() {
	m.update(func(s *Status) { s.PartnerDown, s.LastError = false, "" })
}
