package replica

import (
	"context"
	"errors"

	"parvis/storage/db"
)

// backfillMeta marks a database whose contents were all queued for the partner once.
const backfillMeta = "backfilled"

// Backfill queues, once per database, every content stored outside it: contents uploaded before
// the outbox existed, or before replication was enabled on a server whose outbox was cleared. Later
// uploads are queued by their own transaction. It returns how many items it added.
func Backfill(ctx context.Context, d *db.DB) (int64, error) {
	if _, err := d.R(ctx).ReplicaMeta(backfillMeta); err == nil {
		return 0, nil
	} else if !errors.Is(err, db.ErrNotFound) {
		return 0, err
	}
	var n int64
	err := d.Write(ctx, func(tx *db.Tx) error {
		var err error
		if n, err = tx.EnqueueReplicaAll(); err != nil {
			return err
		}
		return tx.SetReplicaMeta(backfillMeta, []byte{1})
	})
	return n, err
}
