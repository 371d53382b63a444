package replica

import (
	"context"
	"crypto/rand"
	"errors"

	"parvis/storage/db"
)

// namingKeyMeta is the replica_meta entry holding the naming key.
const namingKeyMeta = "naming_key"

// NamingKey returns the instance's naming key, creating it on first use. It lives in the database, so
// every database copy on the partner carries the key to find the contents it references.
func NamingKey(ctx context.Context, d *db.DB) ([]byte, error) {
	key, err := d.R(ctx).ReplicaMeta(namingKeyMeta)
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	err = d.Write(ctx, func(tx *db.Tx) error {
		if k, err := tx.R().ReplicaMeta(namingKeyMeta); err == nil {
			key = k // created meanwhile
			return nil
		}
		key = make([]byte, 32)
		rand.Read(key)
		return tx.SetReplicaMeta(namingKeyMeta, key)
	})
	return key, err
}

// StoredNamingKey returns the naming key a database holds, without creating one: a restored database
// without a key cannot name its contents on the partner.
func StoredNamingKey(ctx context.Context, d *db.DB) ([]byte, error) {
	key, err := d.R(ctx).ReplicaMeta(namingKeyMeta)
	if errors.Is(err, db.ErrNotFound) {
		return nil, errors.New("replica: the database holds no naming key: it never replicated")
	}
	return key, err
}
