package replica

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
)

// Snapshot is one database copy on the partner.
type Snapshot struct {
	Name string    // object name, db/<unix nanos, 20 digits>
	At   time.Time // when it was taken
	Size int64     // ciphertext bytes
}

// SnapshotName is the object name of a database copy taken at t: zero-padded nanoseconds, so that
// names sort by time.
func SnapshotName(t time.Time) string { return fmt.Sprintf("db/%020d", t.UnixNano()) }

// PutSnapshot encrypts and uploads a database copy (already compressed by the caller).
func (p *Partner) PutSnapshot(ctx context.Context, t time.Time, r io.Reader, size int64) (string, error) {
	name := SnapshotName(t)
	return name, p.put(ctx, name, r, size)
}

// Snapshots lists the database copies, oldest first.
func (p *Partner) Snapshots(ctx context.Context) ([]Snapshot, error) {
	var out []Snapshot
	for o := range p.c.ListObjects(ctx, p.bucket, minio.ListObjectsOptions{Prefix: "db/"}) {
		if o.Err != nil {
			return nil, fmt.Errorf("replica: list database copies: %w", o.Err)
		}
		ns, err := strconv.ParseInt(strings.TrimPrefix(o.Key, "db/"), 10, 64)
		if err != nil {
			continue // not ours
		}
		out = append(out, Snapshot{Name: o.Key, At: time.Unix(0, ns), Size: o.Size})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// OpenSnapshot returns a database copy's plaintext (still compressed).
func (p *Partner) OpenSnapshot(ctx context.Context, name string) (*Plain, error) {
	return p.open(ctx, name)
}

// DeleteSnapshot removes a database copy.
func (p *Partner) DeleteSnapshot(ctx context.Context, name string) error {
	return p.c.RemoveObject(ctx, p.bucket, name, minio.RemoveObjectOptions{})
}

// Objects calls fn for every object of the partner bucket: checks count them and look for orphans.
func (p *Partner) Objects(ctx context.Context, prefix string, fn func(name string, size int64) error) error {
	for o := range p.c.ListObjects(ctx, p.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return fmt.Errorf("replica: list: %w", o.Err)
		}
		if err := fn(o.Key, o.Size); err != nil {
			return err
		}
	}
	return nil
}

// ReadObject returns an object's raw bytes (ciphertext): tests use it to prove the partner never
// sees plaintext.
func (p *Partner) ReadObject(ctx context.Context, name string) (io.ReadCloser, error) {
	return p.c.GetObject(ctx, p.bucket, name, minio.GetObjectOptions{})
}
