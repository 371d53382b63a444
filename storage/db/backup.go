package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"github.com/mattn/go-sqlite3"
)

// Changes is a counter that grows each time a committed batch of writes changed the database. The
// partner shipper compares it with the value of its last copy: an idle server (whose housekeeping
// still runs write transactions that change nothing) ships nothing. It starts at zero with the
// process; writes by another process (the admin command line) are not counted.
func (db *DB) Changes() uint64 { return db.changes.Load() }

// countChanges bumps Changes when the batch just committed changed rows. total_changes() is a
// counter of the connection, read without touching the file: it costs a few microseconds per batch.
// Only the writer goroutine calls it.
func (db *DB) countChanges(ctx context.Context) {
	var total int64
	if err := db.w.QueryRowContext(ctx, "SELECT total_changes()").Scan(&total); err != nil {
		db.changes.Add(1) // when in doubt, ship
		return
	}
	if total != db.rowsChanged {
		db.rowsChanged = total
		db.changes.Add(1)
	}
}

// Backup writes a consistent copy of the database to dest (a new file) with SQLite's online backup
// API, in one step from a reader connection: the copy is the database as of one read transaction,
// and the writer goes on committing meanwhile (in WAL mode readers never block the writer; the WAL
// just cannot be recycled until the copy ends). It returns the copy's size in bytes.
func (db *DB) Backup(ctx context.Context, dest string) (int64, error) {
	if _, err := os.Stat(dest); err == nil {
		return 0, fmt.Errorf("db: backup: %s exists already", dest)
	}
	// The copy is temporary (compressed and sent, then removed): syncing it would only make the
	// writer's own fsyncs wait behind 100 MB of someone else's dirty pages.
	dst, err := sql.Open("sqlite3", "file:"+dest+"?_synchronous=OFF&_journal_mode=OFF")
	if err != nil {
		return 0, fmt.Errorf("db: backup: %w", err)
	}
	defer dst.Close()
	dc, err := dst.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("db: backup: %w", err)
	}
	defer dc.Close()
	sc, err := db.r.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("db: backup: %w", err)
	}
	defer sc.Close()
	err = dc.Raw(func(d any) error {
		return sc.Raw(func(s any) error { return backupStep(d.(*sqlite3.SQLiteConn), s.(*sqlite3.SQLiteConn)) })
	})
	if err != nil {
		return 0, fmt.Errorf("db: backup to %s: %w", dest, err)
	}
	if err := errors.Join(dc.Close(), dst.Close()); err != nil {
		return 0, fmt.Errorf("db: backup to %s: %w", dest, err)
	}
	st, err := os.Stat(dest)
	if err != nil {
		return 0, fmt.Errorf("db: backup: %w", err)
	}
	return st.Size(), nil
}

// backupStep copies every page at once: copying in several steps would restart whenever the writer
// commits in between, and one step reads a single snapshot.
func backupStep(dst, src *sqlite3.SQLiteConn) error {
	b, err := dst.Backup("main", src, "main")
	if err != nil {
		return err
	}
	done, err := b.Step(-1)
	if ferr := b.Finish(); err == nil {
		err = ferr
	}
	if err == nil && !done {
		err = errors.New("backup did not complete")
	}
	return err
}

// CheckFile runs SQLite's integrity check on a database file without opening it for use (no
// migration runs): restore checks a copy before trusting it. It returns "ok" or what is wrong.
func CheckFile(ctx context.Context, path string) (string, error) {
	c, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return "", fmt.Errorf("db: check %s: %w", path, err)
	}
	defer c.Close()
	var msg string
	if err := c.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&msg); err != nil {
		return "", fmt.Errorf("db: check %s: %w", path, err)
	}
	return msg, nil
}
