// Package db is Parvis' metadata store: one SQLite file opened with a single writer connection and a
// pool of readers. It never imports config or HTTP; callers pass plain values.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Sentinel errors at the storage boundary; callers test them with errors.Is.
var (
	ErrNotFound = errors.New("db: not found")
	ErrConflict = errors.New("db: already exists")
	ErrClosed   = errors.New("db: closed")
)

// dsnOptions are the connection options every connection gets. Why each is there:
//   - WAL lets readers run while the single writer commits, and survives a crash without corruption.
//   - synchronous=FULL fsyncs the WAL at every commit: a write acknowledged to a client survives a power
//     cut, not only a killed process.
//   - foreign keys are off by default in SQLite; our cascades depend on them.
//   - busy_timeout waits for the writer instead of failing with SQLITE_BUSY (the CLI may write while the
//     server runs).
//   - txlock=immediate takes the write lock at BEGIN, so a read-then-write transaction can't be
//     upgraded into a deadlock.
//   - stmt_cache_size keeps prepared statements per connection: preparing costs more than running
//     most of our queries.
var dsnOptions = url.Values{
	"_stmt_cache_size": {"128"},
	"_journal_mode":    {"WAL"},
	"_synchronous":     {"FULL"},
	"_foreign_keys":    {"on"},
	"_busy_timeout":    {"10000"},
	"_txlock":          {"immediate"},
}

// queryTimeout bounds every statement so that a stuck query cannot hold a request forever.
const queryTimeout = 30 * time.Second

// DB is the metadata database.
type DB struct {
	w      *sql.DB // one connection: SQLite has one writer at a time anyway, and this avoids SQLITE_BUSY
	r      *sql.DB // readers
	writes chan writeReq
	stop   chan struct{} // closed by Close: writes refused from then on
	done   chan struct{} // closed by the writer when it has stopped
	closed sync.Once
	// changes counts the committed batches that changed at least one row (see Changes).
	changes atomic.Uint64
	// rowsChanged is SQLite's total_changes() of the write connection after the last batch.
	rowsChanged int64
}

// Open opens (creating if needed) the database file at path and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	dsn := "file:" + path + "?" + dsnOptions.Encode()
	w, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	ro := url.Values{}
	for k, v := range dsnOptions {
		ro[k] = v
	}
	ro.Set("_query_only", "true")
	ro.Del("_txlock")
	r, err := sql.Open("sqlite3", "file:"+path+"?"+ro.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	r.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	db := &DB{w: w, r: r, writes: make(chan writeReq), stop: make(chan struct{}), done: make(chan struct{})}
	// The migrations' own changes are the schema's, not data to ship: counting starts after them.
	if err := w.QueryRowContext(ctx, "SELECT total_changes()").Scan(&db.rowsChanged); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	go db.writer()
	return db, nil
}

// Close stops the writer and closes both pools.
func (db *DB) Close() error {
	var err error
	db.closed.Do(func() {
		// The writes channel is never closed: a background task still writing while the server
		// stops would panic sending on it. Stopping is a separate signal that Write also watches.
		close(db.stop)
		<-db.done
		err = errors.Join(db.r.Close(), db.w.Close())
	})
	return err
}

// Tx is a write transaction. Its methods are the same queries as the read methods, seen from inside
// the transaction, plus the writes.
type Tx struct {
	tx  *sql.Tx
	ctx context.Context
}

type writeReq struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

// maxBatch bounds how many writes share one commit.
const maxBatch = 128

// Write runs fn in a write transaction and returns once it is durably committed, or rolled back if fn
// failed. Concurrent writes are committed together ("group commit"): each runs in its own SAVEPOINT
// inside one SQLite transaction, so one failing write is undone alone, and the batch costs one fsync
// instead of one per write. This is what lets every upload be durable and still fast.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	req := writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case db.writes <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.stop:
		return ErrClosed
	}
	return <-req.done
}

// writer is the single goroutine that owns the write connection.
func (db *DB) writer() {
	defer close(db.done)
	for {
		var first writeReq
		select {
		case first = <-db.writes:
		case <-db.stop:
			return
		}
		batch := []writeReq{first}
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-db.writes:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		db.commit(batch)
	}
}

// commit runs a batch in one transaction. The queries run without the requests' cancellation:
// SQLite answers an interrupted write inside a transaction by rolling back the whole transaction,
// which would undo the other writes of the batch.
func (db *DB) commit(batch []writeReq) {
	errs := make([]error, len(batch))
	err := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		sqltx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("db: begin: %w", err)
		}
		defer sqltx.Rollback()
		for i, req := range batch {
			if errs[i] = req.ctx.Err(); errs[i] != nil {
				continue
			}
			if _, err := sqltx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
				return fmt.Errorf("db: savepoint: %w", err)
			}
			if errs[i] = req.fn(&Tx{tx: sqltx, ctx: ctx}); errs[i] != nil {
				if _, err := sqltx.ExecContext(ctx, "ROLLBACK TO w"); err != nil {
					return fmt.Errorf("db: rollback to savepoint: %w", err)
				}
			}
			if _, err := sqltx.ExecContext(ctx, "RELEASE w"); err != nil {
				return fmt.Errorf("db: release savepoint: %w", err)
			}
		}
		if err := sqltx.Commit(); err != nil {
			return fmt.Errorf("db: commit: %w", err)
		}
		db.countChanges(ctx)
		return nil
	}()
	for i, req := range batch {
		if err != nil && errs[i] == nil {
			errs[i] = err
		}
		req.done <- errs[i]
	}
}

// querier is what reads need: either the reader pool or a write transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Read is a read-only view: the reader pool, used by the read methods below.
type Read struct {
	q   querier
	ctx context.Context
}

// R returns the read view for ctx.
func (db *DB) R(ctx context.Context) Read { return Read{q: db.r, ctx: ctx} }

// R returns the read view of the transaction, so reads inside it see its own writes.
func (tx *Tx) R() Read { return Read{q: tx.tx, ctx: tx.ctx} }

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(tx.ctx, query, args...)
}

// isUnique tells whether err is a uniqueness violation, which callers see as ErrConflict.
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

// notFound maps sql.ErrNoRows to ErrNotFound and wraps other errors.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("db: %s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("db: %s: %w", what, err)
}

// now is the clock, in Unix nanoseconds; tests of retention may replace it.
// clock is the store's time source, swapped atomically so that a test's restore cannot race a
// server goroutine still committing.
var clock atomic.Pointer[func() time.Time]

func now() int64 {
	if f := clock.Load(); f != nil {
		return (*f)().UnixNano()
	}
	return time.Now().UnixNano()
}

// SetClock replaces the store's clock, for tests of retention and of dates like the dues'
// suspension; it returns a function that puts the real clock back.
func SetClock(f func() time.Time) (restore func()) {
	old := clock.Swap(&f)
	return func() { clock.Store(old) }
}

// Now returns the store's clock as a time.Time.
func Now() time.Time { return time.Unix(0, now()) }

// IntegrityCheck runs SQLite's integrity and foreign-key checks and returns "ok" or what is wrong.
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var msg string
	if err := db.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&msg); err != nil {
		return "", fmt.Errorf("db: integrity check: %w", err)
	}
	if msg != "ok" {
		return msg, nil
	}
	rows, err := db.r.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return "", fmt.Errorf("db: foreign key check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		return "foreign key violations", nil
	}
	return "ok", rows.Err()
}
