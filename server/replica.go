package server

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"filippo.io/age"

	"parvis/config"
	"parvis/files"
	"parvis/storage/blob"
	"parvis/storage/db"
	"parvis/storage/replica"
)

// replication is the association's second copy as an instance runs it: the failover store around
// the primary blob store always, and the partner with its replicator when one is configured.
type replication struct {
	monitor    *replica.Monitor
	partner    *replica.Partner // nil without a partner
	failover   *replica.Failover
	replicator *replica.Replicator // running only in a server (not in admin commands)
	log        *slog.Logger
}

// openReplication wraps the primary store in the failover store (spool under DataDir/spool) and
// connects to the partner if one is configured. It does not wait for the partner to answer: a
// server starts while its partner is away, and the replicator catches up.
func openReplication(ctx context.Context, cfg config.Config, d *db.DB, primary blob.Store, log *slog.Logger) (*replication, error) {
	rc := cfg.Replication
	r := &replication{monitor: replica.NewMonitor(rc.Endpoint != "", cfg.Storage.SpoolMax), log: log}
	if rc.Endpoint != "" {
		p, err := connectPartner(ctx, rc, d, log)
		if err != nil {
			return nil, err
		}
		r.partner = p
	}
	f, err := replica.NewFailover(primary, filepath.Join(cfg.DataDir, "spool"), cfg.Storage.SpoolMax, r.partner, r.monitor, log)
	if err != nil {
		return nil, err
	}
	r.failover = f
	return r, nil
}

// connectPartner opens the partner's bucket with the instance's naming key and, if configured, the
// identity that decrypts copies for failover reads.
func connectPartner(ctx context.Context, rc config.Replication, d *db.DB, log *slog.Logger) (*replica.Partner, error) {
	var ids []age.Identity
	if rc.IdentityFile != "" {
		var err error
		if ids, err = replica.ReadIdentities(rc.IdentityFile); err != nil {
			return nil, fmt.Errorf("config: replication.identity_file: %w", err)
		}
	}
	if len(ids) == 0 {
		log.Warn("replication.identity_file is not set: while the blob store is down, contents not in the local spool cannot be read from the partner")
	}
	p, err := replica.Connect(partnerConfig(rc), ids)
	if err != nil {
		return nil, fmt.Errorf("replication: %w", err)
	}
	key, err := replica.NamingKey(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("replication: naming key: %w", err)
	}
	p.SetNamingKey(key)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := p.Ping(pctx); err != nil {
		log.Warn("replication: the partner does not answer; contents wait in the outbox", "err", err)
	}
	return p, nil
}

// start queues, once, what was stored before the outbox existed, then starts the replicator; the
// files service wakes it after each upload.
func (r *replication) start(ctx context.Context, d *db.DB, fs *files.Service) error {
	if r.partner == nil {
		return nil
	}
	n, err := replica.Backfill(ctx, d)
	if err != nil {
		return fmt.Errorf("replication: backfill: %w", err)
	}
	if n > 0 {
		r.log.Info("replication: queued the contents stored so far for the partner", "count", n)
	}
	r.replicator = replica.StartReplicator(d, r.failover, r.partner, r.monitor, r.log)
	fs.OnStored(r.replicator.Poke)
	return nil
}

// Close stops the replicator; the failover store is closed with the instance's blob store.
func (r *replication) Close() error {
	if r == nil || r.replicator == nil {
		return nil
	}
	return r.replicator.Close()
}
