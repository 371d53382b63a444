// Package blob stores file contents as immutable blobs named by the SHA-256 of their bytes. A blob
// is written to a temporary place while it is hashed and counted, and only becomes visible under its
// name when Commit has checked it and made it durable: a reader never sees a partial blob, and the
// same content is stored once.
package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"
)

// ErrNotFound is returned for a blob that does not exist.
var ErrNotFound = errors.New("blob: not found")

// ErrShort is returned by Commit when fewer bytes arrived than announced: a truncated upload.
var ErrShort = errors.New("blob: fewer bytes than announced")

// ErrUnavailable is returned when the store cannot take or serve a blob for now (the S3 store is
// down and the local spool full): the client should retry later, nothing was stored.
var ErrUnavailable = errors.New("blob: store unavailable, retry later")

// Store is a content-addressed blob store. Keys are lowercase SHA-256 hex strings.
type Store interface {
	// Create starts a new blob. size is the announced length, or -1 if unknown (chunked uploads):
	// S3 uses it to choose part sizes, Commit uses it to refuse a short blob.
	Create(ctx context.Context, size int64) (Writer, error)
	// Open returns a reader positioned at the start; it also seeks, for Range requests.
	Open(ctx context.Context, key string) (Reader, error)
	// Stat returns the size of a blob, or ErrNotFound.
	Stat(ctx context.Context, key string) (int64, error)
	// Delete removes a blob unless it was stored, or stored again (deduplicated), after unusedSince:
	// the database may have dropped its last reference while an upload of the same bytes was about
	// to reuse it. A zero unusedSince deletes unconditionally. Deleting an absent blob is not an error.
	Delete(ctx context.Context, key string, unusedSince time.Time) error
	// Walk calls fn for every stored blob, for consistency checks and garbage collection.
	Walk(ctx context.Context, fn func(key string, size int64) error) error
	// Close releases the store's resources.
	Close() error
}

// Writer receives a blob's bytes.
type Writer interface {
	io.Writer
	// Commit checks the length, makes the blob durable and visible under its key, and returns the key
	// and size. After Commit or Abort the writer is done.
	Commit(ctx context.Context) (key string, size int64, err error)
	// Abort discards what was written. It is safe to call after Commit (it then does nothing).
	Abort() error
}

// Reader reads a blob.
type Reader interface {
	io.ReadSeekCloser
	// Size is the blob's length in bytes.
	Size() int64
}

// Open returns the store named by driver: "fs" takes a directory.
func Open(driver, source string) (Store, error) {
	switch driver {
	case "fs":
		return OpenFS(source)
	default:
		return nil, fmt.Errorf("blob: unknown driver %q", driver)
	}
}

// validKey tells whether key looks like a SHA-256 hex digest, so that a key can never be a path.
func validKey(key string) bool {
	if len(key) != 64 {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// newTmpName returns a random name for an upload in progress.
func newTmpName() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
