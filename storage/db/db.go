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
	"time"

	"github.com/mattn/go-sqlite3"
)

// Sentinel errors at the storage boundary; callers test them with errors.Is.
var (
	ErrNotFound = errors.New("db: not found")
	ErrConflict = errors.New("db: already exists")
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
var dsnOptions = url.Values{
	"_journal_mode": {"WAL"},
	"_synchronous":  {"FULL"},
	"_foreign_keys": {"on"},
	"_busy_timeout": {"10000"},
	"_txlock":       {"immediate"},
}

// queryTimeout bounds every statement so that a stuck query cannot hold a request forever.
const queryTimeout = 30 * time.Second

// DB is the metadata database.
type DB struct {
	w *sql.DB // one connection: SQLite has one writer at a time anyway, and this avoids SQLITE_BUSY
	r *sql.DB // readers
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
	return &DB{w: w, r: r}, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.r.Close(), db.w.Close())
}

// Tx is a write transaction. Its methods are the same queries as the read methods, seen from inside
// the transaction, plus the writes.
type Tx struct {
	tx  *sql.Tx
	ctx context.Context
}

// Write runs fn in one immediate write transaction and commits it if fn returns nil.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	sqltx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer sqltx.Rollback()
	if err := fn(&Tx{tx: sqltx, ctx: ctx}); err != nil {
		return err
	}
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
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
var now = func() int64 { return time.Now().UnixNano() }

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
