package server

import (
	"context"
	"fmt"
	"io"
)

// Check verifies an instance: the database's integrity, that every file's blob exists with its size,
// which blobs nothing references, and the governance rule of two people on every key role. It
// returns an error when something is wrong, so scripts can alert on the exit status.
func (in *Instance) Check(ctx context.Context, out io.Writer) error {
	problems, warnings := 0, 0
	report := func(problem bool, format string, args ...any) {
		label := "warning"
		if problem {
			label, problems = "PROBLEM", problems+1
		} else {
			warnings++
		}
		fmt.Fprintf(out, "%s: %s\n", label, fmt.Sprintf(format, args...))
	}
	if msg, err := in.db.IntegrityCheck(ctx); err != nil {
		return err
	} else if msg != "ok" {
		report(true, "database integrity: %s", msg)
	}
	inline := map[string]int64{} // small contents kept in the database
	inlineKeys := map[string]bool{}
	if err := in.db.R(ctx).InlineBlobSizes(func(key string, size int64) error { inline[key], inlineKeys[key] = size, true; return nil }); err != nil {
		return err
	}
	referenced := map[string]bool{}
	err := in.db.R(ctx).Blobs(func(key string, size int64) error {
		referenced[key] = true
		got, ok := inline[key]
		var err error
		if !ok {
			got, err = in.blobs.Stat(ctx, key)
		}
		if err != nil {
			report(true, "content %s is missing from the blob store (%v)", key, err)
		} else if got != size {
			report(true, "content %s has %d bytes, %d expected", key, got, size)
		}
		return nil
	})
	if err != nil {
		return err
	}
	orphans, orphanBytes := 0, int64(0)
	err = in.blobs.Walk(ctx, func(key string, size int64) error {
		if !referenced[key] {
			orphans++
			orphanBytes += size
		}
		return nil
	})
	if err != nil {
		return err
	}
	for key, size := range inline {
		if !referenced[key] {
			orphans++
			orphanBytes += size
		}
	}
	if orphans > 0 {
		report(false, "%d stored contents (%d bytes) are referenced by no file", orphans, orphanBytes)
	}
	if err := in.checkRoles(ctx, report); err != nil {
		return err
	}
	if err := in.checkPartner(ctx, out, report, referenced, inlineKeys); err != nil {
		return err
	}
	fmt.Fprintf(out, "checked %d distinct contents: %d problems, %d warnings\n", len(referenced), problems, warnings)
	if problems > 0 {
		return fmt.Errorf("check found %d problems", problems)
	}
	return nil
}

// checkRoles warns where a key role rests on one person.
func (in *Instance) checkRoles(ctx context.Context, report func(bool, string, ...any)) error {
	warnings, err := in.access.KeyRoles(ctx)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		if w.Group == "" {
			report(false, "the instance has %d administrator(s): %s", w.Count, nameMore(w.Count))
		} else {
			report(false, "group %s has %d animator(s): %s", w.Group, w.Count, nameMore(w.Count))
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
