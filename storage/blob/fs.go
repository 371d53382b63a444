package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// FS stores blobs as files under a directory: blobs/ab/cd/abcd… for the content, tmp/ for uploads in
// progress. Every blob is fsync'd, and so is its folder after the rename, before Commit returns.
type FS struct {
	dir string
	// mu makes "reuse an existing blob" and "delete an old blob" exclusive, so a deduplicated
	// upload cannot lose its blob to the collector between the two.
	mu sync.Mutex
}

// OpenFS opens (creating) a blob directory. Temporary files left by a crash are removed.
func OpenFS(dir string) (*FS, error) {
	for _, d := range []string{"blobs", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o750); err != nil {
			return nil, fmt.Errorf("blob: %w", err)
		}
	}
	s := &FS{dir: dir}
	entries, _ := os.ReadDir(s.tmp())
	for _, e := range entries {
		os.Remove(filepath.Join(s.tmp(), e.Name()))
	}
	return s, nil
}

func (s *FS) tmp() string { return filepath.Join(s.dir, "tmp") }

func (s *FS) path(key string) string {
	return filepath.Join(s.dir, "blobs", key[0:2], key[2:4], key)
}

// Create starts a blob in tmp/.
func (s *FS) Create(ctx context.Context, size int64) (Writer, error) {
	f, err := os.CreateTemp(s.tmp(), "upload-*")
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &fsWriter{s: s, f: f, h: sha256.New(), want: size}, nil
}

type fsWriter struct {
	s    *FS
	f    *os.File
	h    hash.Hash
	n    int64
	want int64
	done bool
}

func (w *fsWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.h.Write(p[:n])
	w.n += int64(n)
	return n, err
}

// Commit fsyncs the temporary file and renames it to its content name. If a blob with that content
// already exists, the copy is dropped and the existing one's time refreshed, so that a garbage
// collector that spares recent blobs cannot remove it under a commit in progress.
func (w *fsWriter) Commit(ctx context.Context) (string, int64, error) {
	if w.done {
		return "", 0, errors.New("blob: writer already finished")
	}
	if w.want >= 0 && w.n != w.want {
		w.Abort()
		return "", 0, fmt.Errorf("%w: got %d of %d", ErrShort, w.n, w.want)
	}
	w.done = true
	key := hex.EncodeToString(w.h.Sum(nil))
	name := w.f.Name()
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		os.Remove(name)
		return "", 0, fmt.Errorf("blob: sync: %w", err)
	}
	if err := w.f.Close(); err != nil {
		os.Remove(name)
		return "", 0, fmt.Errorf("blob: close: %w", err)
	}
	final := w.s.path(key)
	w.s.mu.Lock()
	if _, err := os.Stat(final); err == nil {
		t := time.Now()
		err := os.Chtimes(final, t, t)
		w.s.mu.Unlock()
		os.Remove(name)
		if err != nil {
			return "", 0, fmt.Errorf("blob: %w", err)
		}
		return key, w.n, nil
	}
	w.s.mu.Unlock()
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		os.Remove(name)
		return "", 0, fmt.Errorf("blob: %w", err)
	}
	if err := os.Rename(name, final); err != nil {
		os.Remove(name)
		return "", 0, fmt.Errorf("blob: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return "", 0, err
	}
	return key, w.n, nil
}

func (w *fsWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.f.Close()
	return os.Remove(w.f.Name())
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("blob: sync dir: %w", err)
	}
	return nil
}

// Open opens a blob for reading.
func (s *FS) Open(ctx context.Context, key string) (Reader, error) {
	if !validKey(key) {
		return nil, ErrNotFound
	}
	f, err := os.Open(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &fsReader{File: f, size: st.Size()}, nil
}

type fsReader struct {
	*os.File
	size int64
}

func (r *fsReader) Size() int64 { return r.size }

// OSFile returns the open file, so that an HTTP server can send it with sendfile.
func (r *fsReader) OSFile() *os.File { return r.File }

// Stat returns a blob's size.
func (s *FS) Stat(ctx context.Context, key string) (int64, error) {
	if !validKey(key) {
		return 0, ErrNotFound
	}
	st, err := os.Stat(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("blob: %w", err)
	}
	return st.Size(), nil
}

// Modified returns when a blob was stored or last reused: a spool is flushed oldest first.
func (s *FS) Modified(key string) (time.Time, error) {
	if !validKey(key) {
		return time.Time{}, ErrNotFound
	}
	st, err := os.Stat(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, ErrNotFound
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("blob: %w", err)
	}
	return st.ModTime(), nil
}

// Delete removes a blob not written or reused since unusedSince.
func (s *FS) Delete(ctx context.Context, key string, unusedSince time.Time) error {
	if !validKey(key) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, err := os.Stat(s.path(key)); err == nil && !unusedSince.IsZero() && st.ModTime().After(unusedSince) {
		return nil
	}
	err := os.Remove(s.path(key))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: %w", err)
	}
	return nil
}

// Walk lists every blob.
func (s *FS) Walk(ctx context.Context, fn func(key string, size int64) error) error {
	return filepath.WalkDir(filepath.Join(s.dir, "blobs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !validKey(d.Name()) || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return fn(d.Name(), info.Size())
	})
}

// Close does nothing for files.
func (s *FS) Close() error { return nil }
