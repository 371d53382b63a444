package db

import (
	"context"
	"path/filepath"
	"testing"
)

// TestChangesCountsOnlyRealChanges: a write that changes nothing (housekeeping finding no expired
// lock) must not make the shipper send a copy.
func TestChangesCountsOnlyRealChanges(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	before := d.Changes()
	if err := d.Write(ctx, func(tx *Tx) error { _, err := tx.DeleteExpiredLocks(); return err }); err != nil {
		t.Fatal(err)
	}
	if d.Changes() != before {
		t.Fatalf("a write that changed nothing counted: %d → %d", before, d.Changes())
	}
	if err := d.Write(ctx, func(tx *Tx) error { return tx.SetReplicaMeta("x", []byte("1")) }); err != nil {
		t.Fatal(err)
	}
	if d.Changes() != before+1 {
		t.Fatalf("a real change not counted: %d → %d", before, d.Changes())
	}
}

// TestBackupIsAValidCopy copies a live database and opens the copy.
func TestBackupIsAValidCopy(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	if err := d.Write(ctx, func(tx *Tx) error { return tx.SetReplicaMeta("marker", []byte("copied")) }); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "copy.db")
	n, err := d.Backup(ctx, dest)
	if err != nil || n == 0 {
		t.Fatalf("backup: %d %v", n, err)
	}
	if _, err := d.Backup(ctx, dest); err == nil {
		t.Fatal("backup over an existing file accepted")
	}
	if msg, err := CheckFile(ctx, dest); err != nil || msg != "ok" {
		t.Fatalf("check: %q %v", msg, err)
	}
	c, err := Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if v, err := c.R(ctx).ReplicaMeta("marker"); err != nil || string(v) != "copied" {
		t.Fatalf("copy reads %q %v", v, err)
	}
}
