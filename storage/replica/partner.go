// Package replica keeps the association's second copy: every content and the database, encrypted
// with age, in a bucket a partner association lends. The partner stores ciphertext under names that
// reveal nothing either: a content's object is named by an HMAC of its hash, so the partner cannot
// even test whether we hold a given file.
//
// Layout of the partner bucket:
//
//	blobs/ab/<hmac>   one content, age-encrypted (ab: first two hex digits of the name)
//	db/<unix nanos>   a consistent copy of the SQLite database, zstd-compressed then age-encrypted
//
// The naming key lives in the database (so it travels in every database copy): restoring reads the
// newest database copy first, then fetches contents by name.
package replica

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"parvis/storage/blob"

	"filippo.io/age"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Config is the partner's endpoint and the keys the copies are encrypted to.
type Config struct {
	Endpoint, Bucket, Region, AccessKey, SecretKey string
	UseTLS, PathStyle                              bool
	// Recipients are age public keys; at least two, so that one lost key does not lose the copy.
	Recipients []string
	// Timeout bounds each request's wait for an answer and each stall of an upload: a partner
	// that stopped answering (hung, not gone) fails the attempt then, instead of holding it for
	// minutes. Zero: DefaultTimeout.
	Timeout time.Duration
}

// DefaultTimeout is a partner's Timeout when none is set: longer than the primary's, as the
// partner is reached over the association's uplink.
const DefaultTimeout = 30 * time.Second

// ErrNotFound is returned for an object the partner does not have.
var ErrNotFound = errors.New("replica: not on the partner")

// Partner reads and writes encrypted objects in the partner's bucket.
type Partner struct {
	c          *minio.Client
	bucket     string
	region     string
	recipients []age.Recipient
	identities []age.Identity // only for reading back: restore and failover reads
	namingKey  []byte
	timeout    time.Duration
}

// partSize bounds the memory of one upload: minio-go buffers a part when the length is unknown.
const partSize = 16 << 20

// ReadIdentities reads an age identity file (AGE-SECRET-KEY-1…, as age-keygen writes it): a key
// holder's identity, for restore and for failover reads.
func ReadIdentities(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	defer f.Close()
	ids, err := age.ParseIdentities(f)
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", path, err)
	}
	return ids, nil
}

// Open connects to the partner's bucket, creating it if missing. identities may be nil on a server
// that only writes; reading contents back (failover, restore) needs one of the matching secret keys.
func Open(ctx context.Context, cfg Config, identities []age.Identity) (*Partner, error) {
	p, err := Connect(cfg, identities)
	if err != nil {
		return nil, err
	}
	if err := p.Ping(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// Connect is Open without a request: a server starts while its partner is unreachable, and
// replicates once Ping succeeds.
func Connect(cfg Config, identities []age.Identity) (*Partner, error) {
	if len(cfg.Recipients) < 2 {
		return nil, errors.New("replica: at least two recipients are needed")
	}
	var recips []age.Recipient
	for _, s := range cfg.Recipients {
		r, err := age.ParseRecipients(strings.NewReader(s))
		if err != nil {
			return nil, fmt.Errorf("replica: recipient %q: %w", s, err)
		}
		recips = append(recips, r...)
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	// Answers within the timeout, and two attempts: a partner that stopped answering shows as
	// down at once, and the shipper and the replicator try again on their own schedule.
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	tr, err := blob.FailFastTransport(cfg.UseTLS, cfg.Timeout)
	if err != nil {
		return nil, fmt.Errorf("replica: %s: %w", cfg.Endpoint, err)
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.UseTLS, Region: cfg.Region, BucketLookup: lookup, Transport: tr, MaxRetries: 2,
	})
	if err != nil {
		return nil, fmt.Errorf("replica: %s: %w", cfg.Endpoint, err)
	}
	return &Partner{c: c, bucket: cfg.Bucket, region: cfg.Region, recipients: recips, identities: identities, timeout: cfg.Timeout}, nil
}

// Ping checks that the partner answers, creating the bucket if missing.
func (p *Partner) Ping(ctx context.Context) error {
	ok, err := p.c.BucketExists(ctx, p.bucket)
	if err != nil {
		return fmt.Errorf("replica: bucket %s: %w", p.bucket, err)
	}
	if !ok {
		if err := p.c.MakeBucket(ctx, p.bucket, minio.MakeBucketOptions{Region: p.region}); err != nil {
			return fmt.Errorf("replica: create bucket %s: %w", p.bucket, err)
		}
	}
	return nil
}

// SetNamingKey sets the secret that turns content hashes into object names (see the package doc).
func (p *Partner) SetNamingKey(key []byte) { p.namingKey = append([]byte(nil), key...) }

// BlobName is the object name of the content with the given SHA-256 hex key.
func (p *Partner) BlobName(key string) string {
	if len(p.namingKey) == 0 {
		panic("replica: naming key not set")
	}
	m := hmac.New(sha256.New, p.namingKey)
	m.Write([]byte(key))
	name := hex.EncodeToString(m.Sum(nil))
	return "blobs/" + name[:2] + "/" + name
}

// PutBlob encrypts and uploads a content of the given size (-1: unknown).
func (p *Partner) PutBlob(ctx context.Context, key string, r io.Reader, size int64) error {
	return p.put(ctx, p.BlobName(key), r, size)
}

// HasBlob tells whether the partner already holds a content.
func (p *Partner) HasBlob(ctx context.Context, key string) (bool, error) {
	_, err := p.c.StatObject(ctx, p.bucket, p.BlobName(key), minio.StatObjectOptions{})
	if isNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// DeleteBlob removes a content's copy; an absent one is not an error.
func (p *Partner) DeleteBlob(ctx context.Context, key string) error {
	return p.c.RemoveObject(ctx, p.bucket, p.BlobName(key), minio.RemoveObjectOptions{})
}

// OpenBlob returns a content's plaintext, decrypted on the fly, seekable for Range reads: age
// encrypts in 64 KiB chunks that can be read independently. The caller checks the hash if it needs to.
func (p *Partner) OpenBlob(ctx context.Context, key string) (*Plain, error) {
	return p.open(ctx, p.BlobName(key))
}

// Plain is a decrypted object: a ReadSeeker over the partner's ciphertext.
type Plain struct {
	*io.SectionReader
	obj *minio.Object
}

// Close releases the connection.
func (pl *Plain) Close() error { return pl.obj.Close() }

// Size is the plaintext length.
func (pl *Plain) Size() int64 { return pl.SectionReader.Size() }

func (p *Partner) open(ctx context.Context, name string) (*Plain, error) {
	if len(p.identities) == 0 {
		return nil, errors.New("replica: no age identity to decrypt with")
	}
	obj, err := p.c.GetObject(ctx, p.bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("replica: get %s: %w", name, err)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		if isNotFound(err) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("replica: get %s: %w", name, err)
	}
	ra, n, err := age.DecryptReaderAt(obj, st.Size, p.identities...)
	if err != nil {
		obj.Close()
		return nil, fmt.Errorf("replica: decrypt %s: %w", name, err)
	}
	return &Plain{SectionReader: io.NewSectionReader(ra, 0, n), obj: obj}, nil
}

// put encrypts r into the named object. With a known size the ciphertext's length is known too
// (header, then each 64 KiB chunk plus a 16-byte tag), so the upload is a plain PUT or a multipart
// one of fixed parts; with an unknown size minio-go buffers parts of partSize.
func (p *Partner) put(ctx context.Context, name string, r io.Reader, size int64) error {
	var head bytes.Buffer
	sw := &switchWriter{w: &head}
	enc, err := age.Encrypt(sw, p.recipients...) // writes the header and nonce now
	if err != nil {
		return fmt.Errorf("replica: encrypt: %w", err)
	}
	total := int64(-1)
	if size >= 0 {
		total = int64(head.Len()) + CiphertextSize(size)
	}
	pr, pw := io.Pipe()
	// Each write into the pipe waits for the upload to take it: one that waits longer than the
	// timeout means the partner stopped reading, and ends the upload.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dog := blob.NewWatchdog(p.timeout, cancel)
	sw.w = &guardedWriter{w: pw, dog: dog}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := io.Copy(enc, r)
		if err == nil {
			err = enc.Close()
		}
		pw.CloseWithError(err)
	}()
	body := io.MultiReader(&head, pr)
	_, err = p.c.PutObject(ctx, p.bucket, name, body, total, minio.PutObjectOptions{PartSize: partSize, ContentType: "application/octet-stream"})
	pr.CloseWithError(errors.New("replica: upload ended")) // unblock the encrypting goroutine
	<-done                                                 // and let it end: r is the caller's again (and its error)
	if err != nil {
		return fmt.Errorf("replica: put %s: %w", name, dog.Stop(err))
	}
	return nil
}

// guardedWriter arms a watchdog around each write.
type guardedWriter struct {
	w   io.Writer
	dog *blob.Watchdog
}

func (g *guardedWriter) Write(b []byte) (int, error) {
	g.dog.Start()
	n, err := g.w.Write(b)
	return n, g.dog.Stop(err)
}

// CiphertextSize is the length of the age payload (after header and nonce) for n plaintext bytes.
func CiphertextSize(n int64) int64 {
	const chunk, tag = 64 << 10, 16
	chunks := (n + chunk - 1) / chunk
	if chunks == 0 {
		chunks = 1 // an empty plaintext still has one (empty, authenticated) chunk
	}
	return n + chunks*tag
}

// switchWriter writes to the header buffer while age writes its header, then to the upload pipe.
type switchWriter struct{ w io.Writer }

func (s *switchWriter) Write(b []byte) (int, error) { return s.w.Write(b) }

func isNotFound(err error) bool {
	var e minio.ErrorResponse
	return errors.As(err, &e) && (e.Code == "NoSuchKey" || e.StatusCode == 404)
}
