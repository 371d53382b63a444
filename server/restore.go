package server

import (
	"context"
	"fmt"
	"io"
	"time"

	"filippo.io/age"

	"parvis/config"
	"parvis/storage/blob"
	"parvis/storage/db"
	"parvis/storage/replica"
)

// RestoreFromPartner rebuilds an instance from the partner's copy into the configured (empty, or
// interrupted when resume is set) data directory and blob store, using the newest database copy
// taken at or before at. Progress goes to out.
func RestoreFromPartner(ctx context.Context, cfg config.Config, ids []age.Identity, at time.Time, resume bool, out io.Writer) error {
	if cfg.Replication.Endpoint == "" {
		return fmt.Errorf("replication.endpoint (%s) must name the partner's bucket to restore from it", config.EnvName("replication.endpoint"))
	}
	p, err := replica.Open(ctx, partnerConfig(cfg.Replication), ids)
	if err != nil {
		return err
	}
	r := &replica.Restore{Partner: p, DataDir: cfg.DataDir, At: at, Resume: resume, Out: out,
		Open: func(ctx context.Context) (*db.DB, blob.Store, io.Closer, error) {
			in, err := Open(ctx, cfg)
			if err != nil {
				return nil, nil, nil, err
			}
			return in.db, in.blobs, in, nil
		}}
	return r.Run(ctx)
}
