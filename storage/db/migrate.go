package db

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the embedded migrations in order. The list is append-only: a released file is
// never edited; a change of schema is a new file. PRAGMA user_version counts the applied ones.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		// PRAGMA user_version counts applied files, so their numbers must run 001, 002, … with no
		// gap: a file slipped in later under a lower number would shift every later one.
		if want := fmt.Sprintf("migrations/%03d_", i+1); !strings.HasPrefix(n, want) {
			return nil, fmt.Errorf("db: migration %s is out of sequence, expected %s…", n, want)
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// migrate applies the missing migrations in one transaction, and refuses a database written by a
// newer Parvis, which this binary would misread.
func migrate(ctx context.Context, w *sql.DB) error {
	list, err := migrations()
	if err != nil {
		return fmt.Errorf("db: migrations: %w", err)
	}
	return migrateTo(ctx, w, list)
}

func migrateTo(ctx context.Context, w *sql.DB, list []string) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	if version > len(list) {
		return fmt.Errorf("db: the database has schema version %d, newer than this program's %d: upgrade parvis", version, len(list))
	}
	for i := version; i < len(list); i++ {
		if _, err := tx.ExecContext(ctx, list[i]); err != nil {
			return fmt.Errorf("db: migration %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(list))); err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	return tx.Commit()
}
