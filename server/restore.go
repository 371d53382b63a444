package server

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"filippo.io/age"

	"parvis/config"
	"parvis/storage/blob"
	"parvis/storage/db"
	"parvis/storage/replica"
)

// restoreCmd rebuilds an instance from the partner's copy: `parvis restore --from-partner
// --identity FILE [--at TIME] [--resume]`, into the configured (empty) data directory and blob store.
func restoreCmd(env Env, args []string) error {
	c := newCommand("restore", env)
	fromPartner := c.fs.Bool("from-partner", false, "restore from the partner's copy (replication.* settings)")
	identity := c.fs.String("identity", "", "age identity file (AGE-SECRET-KEY-1…) of one of the key holders")
	at := c.fs.String("at", "", "use the newest database copy taken at or before this time (2006-01-02T15:04:05Z07:00, or 2006-01-02 15:04 local)")
	resume := c.fs.Bool("resume", false, "go on with an interrupted restore into the same data directory")
	if err := c.parse(args); err != nil {
		return err
	}
	if !*fromPartner || *identity == "" || len(c.args) > 0 {
		return usageError{"restore needs --from-partner and --identity FILE"}
	}
	cfg, err := c.config(env)
	if err != nil {
		return err
	}
	if cfg.Replication.Endpoint == "" {
		return fmt.Errorf("replication.endpoint (%s) must name the partner's bucket to restore from it", config.EnvName("replication.endpoint"))
	}
	ids, err := readIdentities(*identity)
	if err != nil {
		return err
	}
	before, err := parseAt(*at)
	if err != nil {
		return usageError{err.Error()}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p, err := replica.Open(ctx, partnerConfig(cfg.Replication), ids)
	if err != nil {
		return err
	}
	r := &replica.Restore{Partner: p, DataDir: cfg.DataDir, At: before, Resume: *resume, Out: env.Stdout,
		Open: func(ctx context.Context) (*db.DB, blob.Store, io.Closer, error) {
			in, err := open(ctx, cfg)
			if err != nil {
				return nil, nil, nil, err
			}
			return in.db, in.blobs, in, nil
		}}
	return r.Run(ctx)
}

// readIdentities reads an age identity file, as written by age-keygen.
func readIdentities(path string) ([]age.Identity, error) {
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

// parseAt reads --at; empty means now (the newest copy).
func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--at %q is not a time like 2026-03-31 18:00 or 2026-03-31T18:00:00+02:00", s)
}
