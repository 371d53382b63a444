package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config is an S3-compatible endpoint (MinIO, Garage, Ceph, a host's object storage).
type S3Config struct {
	Endpoint, Bucket, Region, AccessKey, SecretKey string
	UseTLS, PathStyle                              bool
	// Timeout bounds every request, and every stall of a transfer: a store that stopped (not
	// crashed) must answer ErrUnavailable within it, so that the failover takes over. 10 s when zero.
	Timeout time.Duration
}

// S3 stores blobs as objects: blobs/ab/cd/<sha256> for contents, tmp/<random> for uploads in progress.
// An upload streams into a temporary object in parts of a known size (minio-go would otherwise buffer
// parts of hundreds of MiB for an upload of unknown length), then becomes visible under its content
// name by a server-side copy: a reader never sees a partial blob.
type S3 struct {
	c       *minio.Client // every request but server-side copies
	copier  *minio.Client // server-side copies, which answer once done
	bucket  string
	timeout time.Duration
}

// s3PartSize bounds the memory one upload takes: minio-go holds one part in memory.
const s3PartSize = 16 << 20

// OpenS3 connects to an endpoint and creates the bucket if it does not exist. When the endpoint does
// not answer, it returns the store together with an error wrapping ErrUnavailable: the caller may
// start degraded (the store's calls fail with ErrUnavailable until it answers).
func OpenS3(ctx context.Context, cfg S3Config) (*S3, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second) // a stopped store must not hold the start
	defer cancel()
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	// Two clients: requests answer within the timeout (minio-go does not always give up a request
	// waiting for its answer when its context ends, the transport's deadline does); a server-side
	// copy answers once done, which for a large file takes longer.
	client := func(headers time.Duration) (*minio.Client, error) {
		tr, err := FailFastTransport(cfg.UseTLS, headers)
		if err != nil {
			return nil, err
		}
		return minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
			Secure: cfg.UseTLS, Region: cfg.Region, BucketLookup: lookup, Transport: tr, MaxRetries: s3MaxRetries})
	}
	c, err := client(timeout)
	if err != nil {
		return nil, fmt.Errorf("blob: s3 %s: %w", cfg.Endpoint, err)
	}
	copier, err := client(max(timeout, 5*time.Minute))
	if err != nil {
		return nil, fmt.Errorf("blob: s3 %s: %w", cfg.Endpoint, err)
	}
	s := &S3{c: c, copier: copier, bucket: cfg.Bucket, timeout: timeout}
	ok, err := c.BucketExists(ctx, cfg.Bucket)
	var nerr net.Error
	if err != nil && (errors.As(err, &nerr) || errors.Is(err, context.DeadlineExceeded)) {
		// Nothing answered (a stopped or unreachable store): the store is returned with the error,
		// so that the server can start degraded, its failover reading from the partner and spooling
		// uploads, and the administration works. A store that answered "no" is a configuration error.
		return s, fmt.Errorf("%w: s3 %s/%s does not answer: %v", ErrUnavailable, cfg.Endpoint, cfg.Bucket, err)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: s3 %s/%s: %w", cfg.Endpoint, cfg.Bucket, err)
	}
	if !ok {
		if err := c.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region}); err != nil {
			return nil, fmt.Errorf("blob: s3 create bucket %s: %w", cfg.Bucket, err)
		}
	}
	return s, nil
}

// s3MaxRetries is the attempts of one request. minio-go's default (ten, with growing waits) hides
// an outage for seconds behind every request; with two, a dead store is noticed at once and the
// failover store (storage/replica) spools writes and reads from the partner.
const s3MaxRetries = 2

// FailFastTransport is minio-go's transport with shorter waits for an endpoint that does not answer:
// a connection within 5 s, response headers within headers of the request's end. The partner's
// client uses it too: a hung store must not hold a request (or the database shipper) for minutes.
func FailFastTransport(secure bool, headers time.Duration) (*http.Transport, error) {
	tr, err := minio.DefaultTransport(secure)
	if err != nil {
		return nil, err
	}
	tr.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 15 * time.Second}).DialContext
	tr.ResponseHeaderTimeout = headers
	return tr, nil
}

func s3Key(key string) string { return "blobs/" + key[0:2] + "/" + key[2:4] + "/" + key }

// Create starts an upload: bytes written go through a pipe to PutObject while they are hashed.
func (s *S3) Create(ctx context.Context, size int64) (Writer, error) {
	tmp := "tmp/" + newTmpName()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(ctx)
	w := &s3Writer{s: s, tmp: tmp, pw: pw, h: sha256.New(), want: size, cancel: cancel, done: make(chan error, 1),
		w: NewWatchdog(s.timeout, cancel)}
	go func() {
		_, err := s.c.PutObject(ctx, s.bucket, tmp, pr, size, minio.PutObjectOptions{PartSize: s3PartSize, ContentType: "application/octet-stream"})
		pr.CloseWithError(err) // unblock a writer if the upload failed
		w.done <- err
	}()
	return w, nil
}

type s3Writer struct {
	s        *S3
	tmp      string
	pw       *io.PipeWriter
	h        hash.Hash
	n, want  int64
	cancel   context.CancelFunc
	done     chan error
	finished bool
	w        *Watchdog // a write the store does not take within the timeout ends the upload
}

func (w *s3Writer) Write(p []byte) (int, error) {
	w.w.Start()
	n, err := w.pw.Write(p)
	err = w.w.Stop(err)
	w.h.Write(p[:n])
	w.n += int64(n)
	return n, err
}

// Commit ends the upload, checks the length, and copies the temporary object to its content name
// (unless that content is stored already: then its time is refreshed, so the collector spares it).
func (w *s3Writer) Commit(ctx context.Context) (string, int64, error) {
	if w.finished {
		return "", 0, errors.New("blob: writer already finished")
	}
	w.finished = true
	defer w.cancel()
	if w.want >= 0 && w.n != w.want {
		w.pw.CloseWithError(ErrShort)
		<-w.done
		w.s.c.RemoveObject(context.Background(), w.s.bucket, w.tmp, minio.RemoveObjectOptions{})
		return "", 0, fmt.Errorf("%w: got %d of %d", ErrShort, w.n, w.want)
	}
	w.pw.Close()
	w.w.Start()
	err := w.w.Stop(<-w.done)
	if err != nil {
		w.s.c.RemoveObject(context.Background(), w.s.bucket, w.tmp, minio.RemoveObjectOptions{})
		return "", 0, fmt.Errorf("blob: s3 upload: %w", err)
	}
	defer w.s.c.RemoveObject(context.Background(), w.s.bucket, w.tmp, minio.RemoveObjectOptions{})
	key := hex.EncodeToString(w.h.Sum(nil))
	// Copying onto the content name either creates it or, for a content stored already, refreshes
	// its time: one request both ways.
	// A server-side copy takes time with the size; a store that does not answer, only the timeout.
	cctx, cancel := context.WithTimeout(ctx, w.s.timeout+time.Duration(w.n/(20<<20))*time.Second)
	defer cancel()
	_, err = w.s.copier.CopyObject(cctx, minio.CopyDestOptions{Bucket: w.s.bucket, Object: s3Key(key), ReplaceMetadata: true},
		minio.CopySrcOptions{Bucket: w.s.bucket, Object: w.tmp})
	if err != nil {
		return "", 0, fmt.Errorf("blob: s3 commit: %w", err)
	}
	return key, w.n, nil
}

func (w *s3Writer) Abort() error {
	if w.finished {
		return nil
	}
	w.finished = true
	w.cancel()
	w.pw.CloseWithError(errors.New("blob: upload aborted"))
	<-w.done
	return w.s.c.RemoveObject(context.Background(), w.s.bucket, w.tmp, minio.RemoveObjectOptions{})
}

// Open returns a reader that seeks (minio-go fetches ranges as needed).
func (s *S3) Open(ctx context.Context, key string) (Reader, error) {
	if !validKey(key) {
		return nil, ErrNotFound
	}
	sctx, scancel := context.WithTimeout(ctx, s.timeout)
	info, err := s.c.StatObject(sctx, s.bucket, s3Key(key), minio.StatObjectOptions{})
	scancel()
	if err != nil {
		return nil, s3Err(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	obj, err := s.c.GetObject(rctx, s.bucket, s3Key(key), minio.GetObjectOptions{})
	if err != nil {
		cancel()
		return nil, s3Err(err)
	}
	return &s3Reader{Object: obj, size: info.Size, w: NewWatchdog(s.timeout, cancel)}, nil
}

// s3Reader is an object being read; a read that stalls past the timeout ends the request and
// answers ErrUnavailable.
type s3Reader struct {
	*minio.Object
	size int64
	w    *Watchdog
}

func (r *s3Reader) Read(p []byte) (int, error) {
	r.w.Start()
	n, err := r.Object.Read(p)
	return n, r.w.Stop(err)
}

func (r *s3Reader) ReadAt(p []byte, off int64) (int, error) {
	r.w.Start()
	n, err := r.Object.ReadAt(p, off)
	return n, r.w.Stop(err)
}

func (r *s3Reader) Seek(off int64, whence int) (int64, error) { return r.Object.Seek(off, whence) }

func (r *s3Reader) Close() error {
	r.w.cancel()
	return r.Object.Close()
}

func (r *s3Reader) Size() int64 { return r.size }

// Stat returns a blob's size.
func (s *S3) Stat(ctx context.Context, key string) (int64, error) {
	if !validKey(key) {
		return 0, ErrNotFound
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	info, err := s.c.StatObject(ctx, s.bucket, s3Key(key), minio.StatObjectOptions{})
	if err != nil {
		return 0, s3Err(err)
	}
	return info.Size, nil
}

// Delete removes a blob not written or reused since unusedSince. Between the check and the removal
// another process could reuse it; the collector's hour of grace makes that window irrelevant.
func (s *S3) Delete(ctx context.Context, key string, unusedSince time.Time) error {
	if !validKey(key) {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*s.timeout)
	defer cancel()
	info, err := s.c.StatObject(ctx, s.bucket, s3Key(key), minio.StatObjectOptions{})
	if errors.Is(s3Err(err), ErrNotFound) {
		return nil
	} else if err != nil {
		return s3Err(err)
	}
	if !unusedSince.IsZero() && info.LastModified.After(unusedSince) {
		return nil
	}
	return s3Err(s.c.RemoveObject(ctx, s.bucket, s3Key(key), minio.RemoveObjectOptions{}))
}

// Walk lists every blob.
func (s *S3) Walk(ctx context.Context, fn func(key string, size int64) error) error {
	for obj := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: "blobs/", Recursive: true}) {
		if obj.Err != nil {
			return s3Err(obj.Err)
		}
		key := obj.Key[len(obj.Key)-min(64, len(obj.Key)):]
		if validKey(key) {
			if err := fn(key, obj.Size); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close does nothing: the client has no resources to release.
func (s *S3) Close() error { return nil }

// s3Err maps "no such key" to ErrNotFound.
func s3Err(err error) error {
	if err == nil {
		return nil
	}
	if minio.ToErrorResponse(err).Code == "NoSuchKey" {
		return ErrNotFound
	}
	return fmt.Errorf("blob: s3: %w", err)
}
