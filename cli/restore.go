package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"parvis/server"
	"parvis/storage/replica"
)

// restore rebuilds an instance from the partner's copy: `parvis restore --from-partner
// --identity FILE [--at TIME] [--resume]`, into the configured (empty) data directory and blob store.
func restore(env Env, args []string) error {
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
	ids, err := replica.ReadIdentities(*identity)
	if err != nil {
		return err
	}
	before, err := parseAt(*at)
	if err != nil {
		return usageError{err.Error()}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return server.RestoreFromPartner(ctx, cfg, ids, before, *resume, env.Stdout)
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
