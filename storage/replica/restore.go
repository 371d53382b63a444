package replica

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/dustin/go-humanize"

	"parvis/storage/blob"
	"parvis/storage/db"
)

// restoreWorkers is how many contents are fetched at once: enough to hide the partner's latency,
// few enough not to saturate a home connection.
const restoreWorkers = 4

// Restore rebuilds an instance from the partner: the database copy first, then every content it
// references that is not kept in the database itself, each checked against its SHA-256 and size.
// A restore interrupted (the partner unreachable, the machine stopped) goes on with Resume, which
// keeps the database and the contents already fetched.
type Restore struct {
	Partner *Partner  // opened with one of the key holders' identities
	DataDir string    // the instance's data directory: empty, but for its configuration file
	At      time.Time // the newest database copy taken at or before this time is used
	Resume  bool
	Out     io.Writer // the progress and the report, for the person restoring
	// Open opens the instance's database and blob store once the database copy is in place;
	// migrations bring an older copy up to this version.
	Open func(ctx context.Context) (*db.DB, blob.Store, io.Closer, error)
	// ProgressEvery is how often the contents' progress is printed (10 s when zero).
	ProgressEvery time.Duration

	db    *db.DB
	blobs blob.Store
	start time.Time
}

// restoreStats is what a restore did, for its report.
type restoreStats struct {
	fetched, already, inline int
	bytes                    int64
	problems                 []string
}

// Run restores, then reports what it did; it fails when a content is missing or corrupt.
func (r *Restore) Run(ctx context.Context) error {
	r.start = time.Now()
	dbPath := filepath.Join(r.DataDir, "parvis.db")
	_, statErr := os.Stat(dbPath)
	keepDB := r.Resume && statErr == nil
	if !r.Resume {
		if err := checkEmptyDataDir(r.DataDir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(r.DataDir, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	removeDB(dbPath + ".partial") // left by a restore that was killed while it downloaded the database
	if err := markUnfinished(r.DataDir, r.start); err != nil {
		return err
	}
	if keepDB {
		fmt.Fprintf(r.Out, "keeping the database restored earlier (%s)\n", dbPath)
	} else if err := r.restoreDatabase(ctx, dbPath); err != nil {
		return err
	}
	d, blobs, closer, err := r.Open(ctx)
	if err != nil {
		return err
	}
	defer closer.Close()
	r.db, r.blobs = d, blobs
	if !r.Resume {
		if err := refuseNonEmptyStore(ctx, blobs); err != nil {
			return err
		}
	}
	key, err := StoredNamingKey(ctx, d)
	if err != nil {
		return err
	}
	r.Partner.SetNamingKey(key)
	st, err := r.restoreContents(ctx)
	if err != nil {
		return err
	}
	return r.report(ctx, st)
}

// restoreDatabase downloads the chosen copy, decrypts and decompresses it into dbPath and checks it.
func (r *Restore) restoreDatabase(ctx context.Context, dbPath string) error {
	snaps, err := r.Partner.Snapshots(ctx)
	if err != nil {
		return err
	}
	snap, err := pickSnapshot(snaps, r.At)
	if err != nil {
		return err
	}
	partial := dbPath + ".partial"
	// The integrity check opens the copy read-only, which leaves an empty -wal and -shm beside it
	// (a reader cannot remove them): they go with it, once it is renamed or refused.
	defer removeDB(partial)
	if err := r.fetchSnapshot(ctx, snap, partial); err != nil {
		return err
	}
	msg, err := db.CheckFile(ctx, partial)
	if err != nil {
		return err
	}
	if msg != "ok" {
		return fmt.Errorf("database copy %s fails its integrity check: %s", snap.Name, msg)
	}
	if err := os.Rename(partial, dbPath); err != nil {
		return fmt.Errorf("restore database: %w", err)
	}
	fmt.Fprintf(r.Out, "database: copy %s taken %s (%d bytes on the partner)\n", snap.Name, snap.At.Format(time.DateTime), snap.Size)
	return nil
}

func (r *Restore) fetchSnapshot(ctx context.Context, snap Snapshot, path string) error {
	pl, err := r.Partner.OpenSnapshot(ctx, snap.Name)
	if err != nil {
		return fmt.Errorf("database copy %s: %w", snap.Name, err)
	}
	defer pl.Close()
	plain, err := Decompress(pl)
	if err != nil {
		return err
	}
	defer plain.Close()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("restore database: %w", err)
	}
	_, err = io.Copy(f, plain)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("database copy %s is unreadable (corrupt or not for this key): %w", snap.Name, err)
	}
	return nil
}

// errNotEmpty stops a walk at the first blob.
var errNotEmpty = errors.New("not empty")

// refuseNonEmptyStore refuses to restore into a blob store that already holds contents (an S3
// bucket in use by another instance, say).
func refuseNonEmptyStore(ctx context.Context, s blob.Store) error {
	err := s.Walk(ctx, func(string, int64) error { return errNotEmpty })
	if errors.Is(err, errNotEmpty) {
		return errors.New("the target blob store already holds contents: restore only into an empty one, or add --resume")
	}
	return err
}

// wanted lists the contents to fetch: every one referenced by a file, a trashed file or a version,
// except those kept in the database, which came with it.
func (r *Restore) wanted(ctx context.Context, st *restoreStats) (map[string]int64, error) {
	inline := map[string]bool{}
	err := r.db.R(ctx).InlineBlobSizes(func(key string, _ int64) error { inline[key] = true; return nil })
	if err != nil {
		return nil, err
	}
	want := map[string]int64{}
	err = r.db.R(ctx).Blobs(func(key string, size int64) error {
		if inline[key] {
			st.inline++
		} else {
			want[key] = size
		}
		return nil
	})
	return want, err
}

// restoreContents fetches the wanted contents with restoreWorkers workers.
func (r *Restore) restoreContents(ctx context.Context) (*restoreStats, error) {
	st := &restoreStats{}
	want, err := r.wanted(ctx, st)
	if err != nil {
		return nil, err
	}
	var total int64
	for _, size := range want {
		total += size
	}
	keys := make(chan string)
	var mu sync.Mutex
	var restored []string
	var wg sync.WaitGroup
	stop := r.showProgress(&mu, st, len(want), total)
	defer stop()
	for range restoreWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range keys {
				fetched, n, err := r.restoreContent(ctx, key, want[key])
				mu.Lock()
				switch {
				case err != nil:
					st.problems = append(st.problems, fmt.Sprintf("content %s (partner object %s): %v", key, r.Partner.BlobName(key), err))
				case fetched:
					st.fetched, st.bytes = st.fetched+1, st.bytes+n
					restored = append(restored, key)
				default:
					st.already++
					restored = append(restored, key)
				}
				mu.Unlock()
			}
		}()
	}
	for key := range want {
		keys <- key
	}
	close(keys)
	wg.Wait()
	sort.Strings(st.problems)
	return st, r.clearOutbox(ctx, restored)
}

// showProgress prints, every ProgressEvery and once at the end (the returned stop), how far the
// contents are: items and bytes done of all, the rate, and the time left at that rate.
func (r *Restore) showProgress(mu *sync.Mutex, st *restoreStats, items int, total int64) (stop func()) {
	every := r.ProgressEvery
	if every <= 0 {
		every = 10 * time.Second
	}
	began := time.Now()
	line := func() {
		mu.Lock()
		done, bytes := st.fetched+st.already+len(st.problems), st.bytes
		mu.Unlock()
		elapsed := time.Since(began)
		rate := float64(bytes) / max(elapsed.Seconds(), 0.001)
		left := "–"
		if rate > 0 && total > bytes {
			left = (time.Duration(float64(total-bytes)/rate) * time.Second).Round(time.Second).String()
		} else if done == items {
			left = "0s"
		}
		pct := 100
		if items > 0 {
			pct = done * 100 / items
		}
		fmt.Fprintf(r.Out, "contents: %d of %d (%d %%), %s of %s, %s/s, %s left\n", done, items, pct,
			humanize.Bytes(uint64(bytes)), humanize.Bytes(uint64(total)), humanize.Bytes(uint64(rate)), left)
	}
	t := time.NewTicker(every)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-t.C:
				line()
			case <-quit:
				return
			}
		}
	}()
	return func() {
		t.Stop()
		close(quit)
		wg.Wait()
		line()
	}
}

// restoreContent copies one content from the partner into the target store, unless a resumed
// restore finds it there already. The blob store hashes what it receives: a content whose hash or
// size differs from the expected one is refused and removed.
func (r *Restore) restoreContent(ctx context.Context, key string, size int64) (fetched bool, n int64, err error) {
	if r.Resume {
		if got, err := r.blobs.Stat(ctx, key); err == nil && got == size {
			return false, 0, nil
		}
	}
	pl, err := r.Partner.OpenBlob(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return false, 0, errors.New("missing on the partner")
	}
	if err != nil {
		return false, 0, err
	}
	defer pl.Close()
	w, err := r.blobs.Create(ctx, size)
	if err != nil {
		return false, 0, err
	}
	if _, err := io.Copy(w, pl); err != nil {
		w.Abort()
		return false, 0, fmt.Errorf("corrupt or unreadable: %w", err)
	}
	gotKey, gotSize, err := w.Commit(ctx)
	if err != nil {
		return false, 0, fmt.Errorf("corrupt: %w", err)
	}
	if gotKey != key || gotSize != size {
		if gotKey != key {
			r.blobs.Delete(ctx, gotKey, time.Time{}) // bytes that belong to no file
		}
		return false, 0, fmt.Errorf("corrupt: the partner returned %d bytes hashing to %s, not %d bytes of %s", gotSize, gotKey, size, key)
	}
	return true, gotSize, nil
}

// clearOutbox drops the queued copies of contents that were just read from the partner: it holds
// them, and the new primary store does too.
func (r *Restore) clearOutbox(ctx context.Context, keys []string) error {
	for len(keys) > 0 {
		n := min(len(keys), 500)
		batch := keys[:n]
		keys = keys[n:]
		err := r.db.Write(ctx, func(tx *db.Tx) error {
			for _, k := range batch {
				if err := tx.ReplicaDone(k, db.ReplicaPut); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("restore: outbox: %w", err)
		}
	}
	return nil
}

// report prints what was restored and fails when a content is missing or corrupt.
func (r *Restore) report(ctx context.Context, st *restoreStats) error {
	t, err := r.db.R(ctx).Totals()
	if err != nil {
		return err
	}
	fmt.Fprintf(r.Out, "people %d, groups %d, files %d (+%d in the trash), events %d, tasks %d, contacts %d\n",
		t.People, t.Groups, t.Files, t.TrashedFiles, t.Events, t.Tasks, t.Contacts)
	fmt.Fprintf(r.Out, "contents: %d fetched from the partner (%d bytes), %d kept in the database", st.fetched, st.bytes, st.inline)
	if st.already > 0 {
		fmt.Fprintf(r.Out, ", %d already restored", st.already)
	}
	fmt.Fprintf(r.Out, "\ntook %s\n", time.Since(r.start).Round(time.Millisecond))
	for _, p := range st.problems {
		fmt.Fprintf(r.Out, "PROBLEM: %s\n", p)
	}
	if len(st.problems) > 0 {
		return fmt.Errorf("restore incomplete: %d contents missing or corrupt (listed above); the files that use them cannot be read", len(st.problems))
	}
	if err := markDone(r.DataDir); err != nil {
		return err
	}
	fmt.Fprintln(r.Out, "restore complete: run `parvis admin check`, then start the server")
	return nil
}

// pickSnapshot returns the newest copy taken at or before t.
func pickSnapshot(snaps []Snapshot, t time.Time) (Snapshot, error) {
	for i := len(snaps) - 1; i >= 0; i-- {
		if !snaps[i].At.After(t) {
			return snaps[i], nil
		}
	}
	if len(snaps) == 0 {
		return Snapshot{}, errors.New("the partner holds no database copy")
	}
	return Snapshot{}, fmt.Errorf("no database copy at or before %s (the oldest is from %s)",
		t.Format(time.DateTime), snaps[0].At.Format(time.DateTime))
}

// checkEmptyDataDir refuses to restore over an instance: only a configuration file may be there.
func checkEmptyDataDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	for _, e := range entries {
		if e.Name() != "parvis.toml" && e.Name() != "lost+found" && e.Name() != unfinishedFile {
			return fmt.Errorf("the data directory %s is not empty (%s): restore only into an empty one, or add --resume to go on with an interrupted restore",
				dir, filepath.Join(dir, e.Name()))
		}
	}
	return nil
}
