package server

import (
	"context"

	"parvis/config"
	"parvis/storage/replica"
)

// partnerConfig is the partner bucket's part of the configuration.
func partnerConfig(r config.Replication) replica.Config {
	return replica.Config{Endpoint: r.Endpoint, Bucket: r.Bucket, Region: r.Region, AccessKey: r.AccessKey,
		SecretKey: r.SecretKey, UseTLS: r.UseTLS, PathStyle: r.PathStyle, Recipients: r.RecipientList(),
		Timeout: r.Timeout.Duration}
}

// shipDatabase ships the database to the partner until ctx ends; the shipper itself retries while
// the partner is unreachable (which must not stop the server from starting).
func (s *Server) shipDatabase(ctx context.Context) {
	p := s.in.repl.partner
	if p == nil {
		return
	}
	sh := &replica.Shipper{DB: s.in.db, Partner: p, Monitor: s.in.repl.monitor, TempDir: s.cfg.DataDir,
		Interval: s.cfg.Replication.DBInterval.Duration, Log: s.log}
	sh.Run(ctx)
}

// partnerSnapshots lists the database copies on the partner (none without replication).
func (s *Server) partnerSnapshots(ctx context.Context) ([]replica.Snapshot, error) {
	if s.in.repl.partner == nil {
		return nil, nil
	}
	return s.in.repl.partner.Snapshots(ctx)
}
