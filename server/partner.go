package server

import (
	"context"
	"fmt"
	"time"

	"filippo.io/age"

	"parvis/config"
	"parvis/storage/db"
	"parvis/storage/replica"
)

// partnerConfig is the partner bucket's part of the configuration.
func partnerConfig(cfg config.Config) replica.Config {
	r := cfg.Replication
	return replica.Config{Endpoint: r.Endpoint, Bucket: r.Bucket, Region: r.Region, AccessKey: r.AccessKey,
		SecretKey: r.SecretKey, UseTLS: r.UseTLS, PathStyle: r.PathStyle, Recipients: r.RecipientList()}
}

// openPartner connects to the partner's bucket and sets the naming key of the instance's database
// (created on first use). ids may be nil when nothing is read back.
func openPartner(ctx context.Context, cfg config.Config, d *db.DB, ids []age.Identity) (*replica.Partner, error) {
	p, err := replica.Open(ctx, partnerConfig(cfg), ids)
	if err != nil {
		return nil, err
	}
	key, err := replica.NamingKey(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("replica: naming key: %w", err)
	}
	p.SetNamingKey(key)
	return p, nil
}

// partnerRetry is how long to wait before trying an unreachable partner again.
const partnerRetry = 30 * time.Second

// shipDatabase connects to the partner, retrying while it is unreachable (a partner outage must not
// stop the server from starting), then ships the database until ctx ends.
func (s *Server) shipDatabase(ctx context.Context) {
	for {
		p, err := openPartner(ctx, s.cfg, s.in.db, nil)
		if err == nil {
			s.partner.Store(p)
			sh := &replica.Shipper{DB: s.in.db, Partner: p, Monitor: s.monitor, TempDir: s.cfg.DataDir,
				Interval: s.cfg.Replication.DBInterval.Duration, Log: s.log}
			sh.Run(ctx)
			return
		}
		s.monitor.PartnerFailed(err)
		s.log.Warn("replica: partner unreachable", "err", err, "retry_in", partnerRetry)
		select {
		case <-ctx.Done():
			return
		case <-time.After(partnerRetry):
		}
	}
}

// partnerSnapshots lists the database copies on the partner, once connected.
func (s *Server) partnerSnapshots(ctx context.Context) ([]replica.Snapshot, error) {
	p := s.partner.Load()
	if p == nil {
		return nil, nil
	}
	return p.Snapshots(ctx)
}
