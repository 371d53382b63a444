package server

import (
	"context"
	"fmt"
	"io"

	"parvis/storage/replica"
)

// Check verifies an instance: the database's integrity, that every file's content exists with its
// size (files), the partner's copy when one is configured (replica), and the governance rule of
// two people on every key role (access). It writes one line per finding and a summary, and returns
// an error when something is wrong, so scripts can alert on the exit status.
func (in *Instance) Check(ctx context.Context, out io.Writer) error {
	problems, warnings := 0, 0
	report := func(problem bool, text string) {
		label := "warning"
		if problem {
			label, problems = "PROBLEM", problems+1
		} else {
			warnings++
		}
		fmt.Fprintf(out, "%s: %s\n", label, text)
	}
	if msg, err := in.db.IntegrityCheck(ctx); err != nil {
		return err
	} else if msg != "ok" {
		report(true, "database integrity: "+msg)
	}
	contents, err := in.files.CheckContents(ctx, report)
	if err != nil {
		return err
	}
	if err := in.checkRoles(ctx, report); err != nil {
		return err
	}
	if p := in.repl.partner; p != nil {
		checked, pending, err := replica.Check(ctx, p, in.db, contents.Referenced, contents.Inline,
			replica.StaleCopy(in.cfg.Replication.DBInterval.Duration), report)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "partner: %d contents checked, %d still waiting to be copied\n", checked, pending)
	}
	fmt.Fprintf(out, "checked %d distinct contents: %d problems, %d warnings\n", len(contents.Referenced), problems, warnings)
	if problems > 0 {
		return fmt.Errorf("check found %d problems", problems)
	}
	return nil
}

// checkRoles warns where a key role rests on one person.
func (in *Instance) checkRoles(ctx context.Context, report func(bool, string)) error {
	warnings, err := in.access.KeyRoles(ctx)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		if w.Group == "" {
			report(false, fmt.Sprintf("the instance has %d administrator(s): %s", w.Count, nameMore(w.Count)))
		} else {
			report(false, fmt.Sprintf("group %s has %d animator(s): %s", w.Group, w.Count, nameMore(w.Count)))
		}
	}
	return nil
}

// nameMore says what the governance rule (two people on every key role) asks for.
func nameMore(n int) string {
	if n == 0 {
		return "name two"
	}
	return "name a second one"
}
