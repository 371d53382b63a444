package server

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"parvis/storage/db"
	"parvis/storage/replica"
)

// storageCollector reads the replication's state at scrape time: the Monitor (in memory) and the
// outbox's backlog (one indexed query), so that nothing has to keep Prometheus' gauges up to date.
type storageCollector struct {
	db      *db.DB
	monitor *replica.Monitor
	log     *slog.Logger
}

func metricDesc(name, help string) *prometheus.Desc {
	return prometheus.NewDesc("parvis_"+name, help, nil, nil)
}

var (
	mEnabled       = metricDesc("replica_enabled", "1 when a partner is configured.")
	mPartnerUp     = metricDesc("replica_partner_up", "1 when the last exchange with the partner succeeded.")
	mBacklogItems  = metricDesc("replica_backlog_items", "Contents waiting to be copied to the partner.")
	mBacklogBytes  = metricDesc("replica_backlog_bytes", "Bytes of the contents waiting to be copied to the partner.")
	mOldestAge     = metricDesc("replica_backlog_oldest_age_seconds", "Age of the oldest content waiting to be copied (0 when none waits).")
	mDeletions     = metricDesc("replica_pending_deletions", "Partner copies scheduled for removal after the grace period.")
	mDBShipTime    = metricDesc("replica_db_last_shipment_timestamp_seconds", "Unix time of the newest database copy sent (0: none since start).")
	mDBShipAge     = metricDesc("replica_db_last_shipment_age_seconds", "Seconds since the newest database copy was taken (absent: none since start).")
	mDBShipBytes   = metricDesc("replica_db_last_shipment_bytes", "Compressed size of the newest database copy.")
	mDBShipSeconds = metricDesc("replica_db_last_shipment_duration_seconds", "How long taking and sending the newest database copy took.")
	mBlobsCopied   = metricDesc("replica_blobs_copied_total", "Contents copied to the partner since start.")
	mBytesCopied   = metricDesc("replica_bytes_copied_total", "Bytes copied to the partner since start.")
	mPrimaryUp     = metricDesc("storage_primary_up", "1 when the primary blob store answers.")
	mSpoolItems    = metricDesc("storage_spool_items", "Uploads kept on local disk while the primary store is down.")
	mSpoolBytes    = metricDesc("storage_spool_bytes", "Bytes kept on local disk while the primary store is down.")
)

func (c *storageCollector) Describe(ch chan<- *prometheus.Desc) {
	prometheus.DescribeByCollect(c, ch)
}

func (c *storageCollector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	s := c.monitor.Status()
	gauge(mEnabled, b2f(s.Enabled))
	gauge(mPartnerUp, b2f(s.Enabled && !s.PartnerDown))
	gauge(mPrimaryUp, b2f(!s.PrimaryDown))
	gauge(mSpoolItems, float64(s.SpoolCount))
	gauge(mSpoolBytes, float64(s.SpoolBytes))
	ch <- prometheus.MustNewConstMetric(mBlobsCopied, prometheus.CounterValue, float64(s.BlobsCopied))
	ch <- prometheus.MustNewConstMetric(mBytesCopied, prometheus.CounterValue, float64(s.BytesCopied))
	if !s.LastDBShipment.IsZero() {
		gauge(mDBShipTime, float64(s.LastDBShipment.UnixNano())/1e9)
		gauge(mDBShipAge, time.Since(s.LastDBShipment).Seconds())
		gauge(mDBShipBytes, float64(s.LastDBSize))
		gauge(mDBShipSeconds, s.LastDBDuration.Seconds())
	} else {
		gauge(mDBShipTime, 0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, err := replica.Backlog(ctx, c.db)
	if err != nil {
		c.log.Warn("metrics: replica backlog", "err", err)
		return
	}
	gauge(mBacklogItems, float64(b.Count))
	gauge(mBacklogBytes, float64(b.Bytes))
	gauge(mDeletions, float64(b.Deletions))
	age := 0.0
	if !b.Oldest.IsZero() {
		age = time.Since(b.Oldest).Seconds()
	}
	gauge(mOldestAge, age)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// metricsHandler serves /metrics in Prometheus' text format to whoever presents the token. Without
// a configured token the endpoint does not exist (404): nothing about the instance leaks by default.
func metricsHandler(token string, d *db.DB, m *replica.Monitor, log *slog.Logger) http.Handler {
	if token == "" {
		return http.NotFoundHandler()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(&storageCollector{db: d, monitor: m, log: log},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)})
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(strings.TrimSpace(r.Header.Get("Authorization")))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="Parvis metrics"`)
			http.Error(w, "a bearer token is required", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
