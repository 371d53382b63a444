// Package files is the shared folder of each group: a tree of nodes in the database whose file
// contents are immutable blobs. Every change is one database transaction that first re-checks the
// caller's preconditions (ETags, locks), so two writers can never both win, and an upload becomes
// visible only once its blob is complete and durable.
package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"path"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"parvis/storage/blob"
	"parvis/storage/db"
)

// Errors the protocol layer maps to statuses.
var (
	ErrNotFound   = errors.New("files: not found")
	ErrExists     = errors.New("files: destination exists")
	ErrNoParent   = errors.New("files: parent folder missing")
	ErrIsDir      = errors.New("files: is a folder")
	ErrIncomplete = errors.New("files: upload incomplete")
	ErrQuota      = errors.New("files: group quota exceeded")
	ErrForbidden  = errors.New("files: operation not allowed on this resource")
)

// Service manages the groups' file trees.
type Service struct {
	db     *db.DB
	blobs  blob.Store
	keep   Retention
	stored func() // called after an upload to the blob store committed; may be nil
}

// Retention says how long deleted files and previous versions are kept.
type Retention struct {
	Trash       time.Duration // a deleted file or folder stays restorable this long
	Versions    time.Duration // a previous version is kept this long
	MaxVersions int           // and at most this many per file
	// Partner is how long the partner keeps a content after the collector deleted it here, so that
	// the database copies shipped meanwhile can still be restored whole.
	Partner time.Duration
}

// DefaultRetention is what an association gets without configuring anything.
var DefaultRetention = Retention{Trash: 30 * 24 * time.Hour, Versions: 90 * 24 * time.Hour, MaxVersions: 20, Partner: 30 * 24 * time.Hour}

// New returns the service.
func New(d *db.DB, b blob.Store, keep Retention) *Service {
	return &Service{db: d, blobs: b, keep: keep}
}

// OnStored sets a function called after each upload to the blob store is committed: the
// replicator's wake-up, so that a new content reaches the partner within a second or two. Call it
// before serving.
func (s *Service) OnStored(fn func()) { s.stored = fn }

// Precondition is evaluated inside the write transaction, against the state the write will change,
// so that nothing can slip in between the check and the write. It returns an error to abort.
type Precondition func(r db.Read) error

func (c Precondition) run(r db.Read) error {
	if c == nil {
		return nil
	}
	return c(r)
}

// Limits of names, as the file systems of members' computers have them: a name longer than 255
// bytes, or a path past 4096, cannot be synced to Windows, macOS or Linux.
const (
	MaxName = 255
	MaxPath = 4096
)

// ErrBadName refuses a name no member's computer could store or show: not UTF-8, with a control
// character, or too long.
var ErrBadName = fmt.Errorf("%w: a file name is UTF-8 text without control characters, of at most %d bytes (paths %d)",
	ErrForbidden, MaxName, MaxPath)

// Clean validates and normalises a path inside a group: it must be absolute, and neither "..",
// "." nor empty segments nor NUL or backslash are accepted, so that no path can leave its group or
// mean two things; names must be ones members' computers can store (ErrBadName). It returns "/"
// for the root and never a trailing slash.
func Clean(p string) (string, error) {
	if !strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("%w: path must be absolute", ErrForbidden)
	}
	trimmed := strings.TrimSuffix(p, "/")
	if trimmed == "" {
		return "/", nil
	}
	if len(trimmed) > MaxPath {
		return "", ErrBadName
	}
	for _, seg := range strings.Split(trimmed[1:], "/") {
		if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "\x00\\") {
			return "", fmt.Errorf("%w: invalid path %q", ErrForbidden, p)
		}
		if len(seg) > MaxName || !utf8.ValidString(seg) || strings.ContainsFunc(seg, unicode.IsControl) {
			return "", ErrBadName
		}
	}
	return trimmed, nil
}

// mapErr turns storage errors into this package's.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, db.ErrNotFound):
		return fmt.Errorf("%w: %v", ErrNotFound, err)
	case errors.Is(err, db.ErrNoParent):
		return ErrNoParent
	case errors.Is(err, db.ErrIsDir):
		return ErrIsDir
	case errors.Is(err, db.ErrConflict):
		return fmt.Errorf("%w: %v", ErrExists, err)
	}
	return err
}

// Stat returns the node at p.
func (s *Service) Stat(ctx context.Context, groupID int64, p string) (db.Node, error) {
	n, err := s.db.R(ctx).Node(groupID, p)
	return n, mapErr(err)
}

// List calls fn for each child of the folder p, by name.
func (s *Service) List(ctx context.Context, groupID int64, p string, fn func(db.Node) error) error {
	return mapErr(s.db.R(ctx).Children(groupID, p, fn))
}

// InlineMax is the largest content kept in the database rather than in the blob store: small files
// are most files, and keeping them inline makes an upload one row in a group commit instead of a file
// creation, a rename and two fsyncs that the file system's journal serialises.
const InlineMax = db.InlineMax

// Open returns a reader of a file's content.
func (s *Service) Open(ctx context.Context, n db.Node) (blob.Reader, error) {
	if n.IsDir {
		return nil, ErrIsDir
	}
	if n.Size <= InlineMax {
		data, err := s.db.R(ctx).InlineBlob(n.Blob)
		if err == nil {
			return newInlineReader(data), nil
		} else if !errors.Is(err, db.ErrNotFound) {
			return nil, err
		}
	}
	return s.openBlob(ctx, n)
}

// StatOpen returns the node at p and, for a file, a reader of its content: one query for a small
// file, which is what most downloads are. The reader is nil for a folder.
func (s *Service) StatOpen(ctx context.Context, groupID int64, p string) (db.Node, blob.Reader, error) {
	n, data, err := s.db.R(ctx).NodeContent(groupID, p)
	switch {
	case err != nil:
		return n, nil, mapErr(err)
	case n.IsDir:
		return n, nil, nil
	case data != nil || n.Size == 0:
		return n, newInlineReader(data), nil
	}
	r, err := s.openBlob(ctx, n)
	return n, r, err
}

func (s *Service) openBlob(ctx context.Context, n db.Node) (blob.Reader, error) {
	r, err := s.blobs.Open(ctx, n.Blob)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, fmt.Errorf("files: blob %s of %s is missing: %w", n.Blob, n.Path, err)
	}
	return r, err
}

// inlineReader reads a content held in memory.
type inlineReader struct {
	*bytes.Reader
	data []byte
}

func newInlineReader(data []byte) inlineReader { return inlineReader{bytes.NewReader(data), data} }

func (inlineReader) Close() error { return nil }

// Bytes returns the whole content, for a server that can write it at once.
func (r inlineReader) Bytes() []byte { return r.data }

// PutOptions qualifies an upload.
type PutOptions struct {
	Size        int64  // announced length, -1 when unknown (chunked)
	ContentType string // as sent by the client; guessed from the name when empty or generic
	By          int64  // the person writing, recorded with the version this write replaces
	Check       Precondition
	// Beside replaces nothing: when the name is taken, the file gets the first free "name (2).ext",
	// chosen in the write transaction, so that concurrent deposits of one name all stay (drop links).
	Beside bool
}

// stored is a content once received: in the blob store, or inline when data is set. data lives in
// a pooled buffer until release: SQLite copies it when it is bound, so it is not copied here.
type stored struct {
	key  string
	size int64
	data []byte
	buf  *[]byte
}

func (st stored) release() {
	if st.buf != nil {
		smallBufs.Put(st.buf)
	}
}

// Put stores body as the file at p of group g, atomically: the content is received and made durable
// first, then one transaction re-checks the precondition and points the node at it. A body that ends
// early or fails leaves the previous version untouched and returns ErrIncomplete.
func (s *Service) Put(ctx context.Context, g db.Group, p string, body io.Reader, o PutOptions) (db.Node, bool, error) {
	if p == "/" {
		return db.Node{}, false, ErrIsDir
	}
	// Cheap early refusals, so a doomed upload is not read: they are checked again in the transaction.
	room, err := s.precheckPut(ctx, g, p, o)
	if err != nil {
		return db.Node{}, false, err
	}
	if room >= 0 {
		body = &quotaReader{r: body, left: room + 1}
	}
	st, err := s.receive(ctx, body, o.Size)
	if err != nil {
		return db.Node{}, false, err
	}
	defer st.release()
	content := db.FileContent{Blob: st.key, Size: st.size, ContentType: contentType(p, o.ContentType), ETag: st.key[:24], By: o.By}
	var n db.Node
	var created bool
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		if err := o.Check.run(tx.R()); err != nil {
			return err
		}
		if st.data != nil {
			if err := tx.PutInlineBlob(st.key, st.data); err != nil {
				return err
			}
		}
		var old db.Node
		var err error
		target := p
		if o.Beside {
			if target, err = freeName(tx.R(), g.ID, p); err != nil {
				return err
			}
		}
		n, old, created, err = tx.PutFile(g.ID, target, content)
		if err != nil {
			return err
		}
		if err := tx.PruneVersions(n, s.keep.MaxVersions); err != nil {
			return err
		}
		if g.QuotaBytes == 0 {
			return nil
		}
		return checkQuota(tx, g.ID, st.size-old.Size)
	})
	if err == nil && st.data == nil && s.stored != nil {
		s.stored()
	}
	return n, created, mapErr(err)
}

// freeName is p, or when p is taken the first of "name (2).ext", "name (3).ext"… that is free.
func freeName(r db.Read, groupID int64, p string) (string, error) {
	dir, name := path.Split(p)
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i < 1000; i++ {
		candidate := p
		if i > 1 {
			candidate = dir + fmt.Sprintf("%s (%d)%s", stem, i, ext)
		}
		if _, err := r.Node(groupID, candidate); errors.Is(err, db.ErrNotFound) {
			return candidate, nil
		} else if err != nil {
			return "", err
		}
	}
	return "", ErrExists
}

// smallBufs hold a body while it may still turn out small enough to keep inline.
var smallBufs = sync.Pool{New: func() any { b := make([]byte, InlineMax+1); return &b }}

// receive reads the body: a small one into memory, a large one streamed into the blob store.
func (s *Service) receive(ctx context.Context, body io.Reader, size int64) (stored, error) {
	if size > InlineMax {
		return s.stream(ctx, body, size)
	}
	bp := smallBufs.Get().(*[]byte)
	buf := *bp
	n := 0
	for n < len(buf) {
		m, err := body.Read(buf[n:])
		n += m
		if err == io.EOF {
			if size >= 0 && int64(n) != size {
				smallBufs.Put(bp)
				return stored{}, fmt.Errorf("%w: got %d of %d bytes", ErrIncomplete, n, size)
			}
			sum := sha256.Sum256(buf[:n])
			return stored{key: hex.EncodeToString(sum[:]), size: int64(n), data: buf[:n:n], buf: bp}, nil
		}
		if err != nil {
			smallBufs.Put(bp)
			return stored{}, readErr(err)
		}
	}
	// Chunked, or longer than announced, and large: continue into the blob store.
	defer smallBufs.Put(bp)
	return s.stream(ctx, io.MultiReader(bytes.NewReader(buf[:n]), body), size)
}

// stream copies a body into a new blob and commits it.
func (s *Service) stream(ctx context.Context, body io.Reader, size int64) (stored, error) {
	w, err := s.blobs.Create(ctx, size)
	if err != nil {
		return stored{}, err
	}
	defer w.Abort()
	buf := copyBufs.Get().(*[]byte)
	_, err = io.CopyBuffer(w, body, *buf)
	copyBufs.Put(buf)
	if err != nil {
		return stored{}, readErr(err)
	}
	key, n, err := w.Commit(ctx)
	if errors.Is(err, blob.ErrShort) {
		return stored{}, fmt.Errorf("%w: %v", ErrIncomplete, err)
	}
	return stored{key: key, size: n}, err
}

// readErr classifies a failure to read an upload's body.
func readErr(err error) error {
	if errors.Is(err, ErrQuota) || errors.Is(err, blob.ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrIncomplete, err)
}

// copyBufs are large read buffers: uploads are disk-bound, and 256 KiB reads halve system calls.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// precheckPut refuses an upload before its body is read when it cannot succeed: no parent folder,
// a precondition that fails, or an announced length beyond the quota. It returns the bytes the
// quota leaves for this file (the current version's size counts as free), or -1 without a quota.
func (s *Service) precheckPut(ctx context.Context, g db.Group, p string, o PutOptions) (int64, error) {
	r := s.db.R(ctx)
	parent, err := r.Node(g.ID, path.Dir(p))
	if errors.Is(err, db.ErrNotFound) || err == nil && !parent.IsDir {
		return 0, ErrNoParent
	} else if err != nil {
		return 0, err
	}
	if err := o.Check.run(r); err != nil {
		return 0, err
	}
	if g.QuotaBytes == 0 {
		return -1, nil
	}
	fresh, err := r.GroupByID(g.ID) // the caller's copy may be seconds old
	if err != nil {
		return 0, err
	}
	room := fresh.QuotaBytes - fresh.UsedBytes
	if old, err := r.Node(g.ID, p); err == nil {
		room += old.Size
	}
	if o.Size > room {
		return 0, ErrQuota
	}
	return max(room, 0), nil
}

// checkQuota refuses a change that leaves the group over its quota; growth only.
func checkQuota(tx *db.Tx, groupID, delta int64) error {
	if delta <= 0 {
		return nil
	}
	g, err := tx.R().GroupByID(groupID)
	if err != nil {
		return err
	}
	if g.QuotaBytes > 0 && g.UsedBytes > g.QuotaBytes {
		return ErrQuota
	}
	return nil
}

// quotaReader fails a chunked upload as soon as it passes what the quota leaves.
type quotaReader struct {
	r    io.Reader
	left int64
}

func (q *quotaReader) Read(p []byte) (int, error) {
	n, err := q.r.Read(p)
	q.left -= int64(n)
	if q.left <= 0 {
		return n, ErrQuota
	}
	return n, err
}

// contentType keeps a specific type sent by the client, else guesses from the file name.
func contentType(p, sent string) string {
	if sent != "" && !strings.HasPrefix(sent, "application/octet-stream") {
		return sent
	}
	if t := mime.TypeByExtension(path.Ext(p)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Mkdir creates a folder.
func (s *Service) Mkdir(ctx context.Context, groupID int64, p string, check Precondition) (db.Node, error) {
	var n db.Node
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := check.run(tx.R()); err != nil {
			return err
		}
		var err error
		n, err = tx.Mkdir(groupID, p)
		return err
	})
	return n, mapErr(err)
}

// Delete moves the node at p, and all below it, to the group's trash; its locks are released.
func (s *Service) Delete(ctx context.Context, groupID int64, p string, by int64, check Precondition) error {
	if p == "/" {
		return ErrForbidden
	}
	return mapErr(s.db.Write(ctx, func(tx *db.Tx) error {
		if err := check.run(tx.R()); err != nil {
			return err
		}
		_, err := tx.TrashTree(groupID, p, by)
		return err
	}))
}

// Ref names a node of some group, for copies and moves that may cross groups.
type Ref struct {
	Group db.Group
	Path  string
}

// TransferOptions qualify a copy or a move.
type TransferOptions struct {
	Overwrite bool  // replace an existing destination (which goes to the trash, whole)
	Shallow   bool  // copy a folder without its content (COPY Depth: 0)
	By        int64 // the person, recorded with what goes to the trash
	Check     Precondition
}

// Copy copies src to dst; it tells whether dst was created (rather than replaced).
func (s *Service) Copy(ctx context.Context, src, dst Ref, o TransferOptions) (bool, error) {
	return s.transfer(ctx, src, dst, o, func(tx *db.Tx) error {
		return tx.CopyTree(src.Group.ID, src.Path, dst.Group.ID, dst.Path, o.Shallow)
	})
}

// Move moves src to dst; it tells whether dst was created. The source's locks do not follow it.
func (s *Service) Move(ctx context.Context, src, dst Ref, o TransferOptions) (bool, error) {
	return s.transfer(ctx, src, dst, o, func(tx *db.Tx) error {
		if err := tx.MoveTree(src.Group.ID, src.Path, dst.Group.ID, dst.Path); err != nil {
			return err
		}
		return tx.DeleteLocksUnder(src.Group.ID, src.Path)
	})
}

func (s *Service) transfer(ctx context.Context, src, dst Ref, o TransferOptions, do func(tx *db.Tx) error) (bool, error) {
	if src.Path == "/" || dst.Path == "/" {
		return false, ErrForbidden
	}
	if src.Group.ID == dst.Group.ID && (src.Path == dst.Path || strings.HasPrefix(dst.Path, src.Path+"/")) {
		return false, ErrForbidden
	}
	created := true
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := o.Check.run(tx.R()); err != nil {
			return err
		}
		if _, err := tx.R().Node(src.Group.ID, src.Path); err != nil {
			return err
		}
		_, err := tx.R().Node(dst.Group.ID, dst.Path)
		switch {
		case err == nil && !o.Overwrite:
			return ErrExists
		case err == nil:
			created = false
			if _, err := tx.TrashTree(dst.Group.ID, dst.Path, o.By); err != nil {
				return err
			}
		case !errors.Is(err, db.ErrNotFound):
			return err
		}
		if err := do(tx); err != nil {
			return err
		}
		return checkQuota(tx, dst.Group.ID, 1)
	})
	return created, mapErr(err)
}

// LocksOn lists the locks in force in the group at p, above it and below it.
func (s *Service) LocksOn(ctx context.Context, groupID int64, p string) ([]db.Lock, error) {
	return s.db.R(ctx).LocksOn(groupID, p)
}

// DeadPropsBelow returns the dead properties of dir and of what it holds directly, by node.
func (s *Service) DeadPropsBelow(ctx context.Context, groupID int64, dir string) (map[int64][]db.DeadProp, error) {
	return s.db.R(ctx).DeadPropsBelow(groupID, dir)
}

// emptyKey is the SHA-256 of nothing: the content of every empty file.
const emptyKey = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// putEmpty creates an empty file at p inside tx: a LOCK on an unmapped URL creates one together
// with the lock.
func putEmpty(tx *db.Tx, groupID int64, p string) error {
	if err := tx.PutInlineBlob(emptyKey, []byte{}); err != nil {
		return err
	}
	_, _, _, err := tx.PutFile(groupID, p, db.FileContent{Blob: emptyKey, ContentType: contentType(p, ""), ETag: emptyKey[:24]})
	return mapErr(err)
}

// CollectGarbage deletes the blob-store contents that no file has referenced for at least grace,
// and returns how many it deleted. It runs in the background; a grace of an hour leaves room for
// an upload that dedupes onto a content just released. The partner's copy is queued for deletion
// in the claiming transaction, not before Retention.Partner has passed.
func (s *Service) CollectGarbage(ctx context.Context, grace time.Duration) (int, error) {
	deleted := 0
	for {
		cutoff := db.Now().Add(-grace)
		keys, err := s.db.R(ctx).Orphans(cutoff, 500)
		if err != nil || len(keys) == 0 {
			return deleted, err
		}
		for _, key := range keys {
			err := s.db.Write(ctx, func(tx *db.Tx) error {
				if err := tx.ClaimOrphan(key); err != nil {
					return err
				}
				return tx.EnqueueReplicaDelete(key, db.Now().Add(s.keep.Partner))
			})
			if errors.Is(err, db.ErrReferenced) {
				continue
			} else if err != nil {
				return deleted, err
			}
			if err := s.blobs.Delete(ctx, key, cutoff); err != nil {
				return deleted, err
			}
			deleted++
		}
	}
}

// Descendants calls fn for every node below the folder p, parents before children.
func (s *Service) Descendants(ctx context.Context, groupID int64, p string, fn func(db.Node) error) error {
	return mapErr(s.db.R(ctx).Descendants(groupID, p, fn))
}

// Group returns a group with its current usage figures.
func (s *Service) Group(ctx context.Context, groupID int64) (db.Group, error) {
	g, err := s.db.R(ctx).GroupByID(groupID)
	return g, mapErr(err)
}

// PropChange is one instruction of a PROPPATCH on a dead property: set it to Value (an XML
// fragment) or remove it. Modified, when not zero, is also applied as the file's modification time
// (Windows sends it as a property after every upload).
type PropChange struct {
	Remove      bool
	Space, Name string
	Value       []byte
	Modified    time.Time
}

// SetProperties applies changes to the node at p after check, all or none (RFC 4918 §9.2).
func (s *Service) SetProperties(ctx context.Context, groupID int64, p string, check Precondition, changes []PropChange) error {
	return mapErr(s.db.Write(ctx, func(tx *db.Tx) error {
		if err := check.run(tx.R()); err != nil {
			return err
		}
		n, err := tx.R().Node(groupID, p)
		if err != nil {
			return err
		}
		for _, c := range changes {
			if c.Remove {
				err = tx.RemoveDeadProp(n.ID, c.Space, c.Name)
			} else if err = tx.SetDeadProp(n.ID, db.DeadProp{Space: c.Space, Name: c.Name, Value: c.Value}); err == nil && !c.Modified.IsZero() {
				err = tx.SetModified(n.ID, c.Modified)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}))
}
