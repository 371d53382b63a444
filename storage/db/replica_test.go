package db

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestReplicaOutbox follows one content through put, failure, retry, deletion and cancellation.
func TestReplicaOutbox(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	write := func(f func(tx *Tx) error) {
		t.Helper()
		if err := d.Write(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	write(func(tx *Tx) error { return tx.EnqueueReplicaPut("k1", 100) })
	write(func(tx *Tx) error { return tx.EnqueueReplicaPut("k2", 50) })
	write(func(tx *Tx) error { return tx.EnqueueReplicaPut("k1", 100) }) // referenced again: one item
	b, err := d.R(ctx).ReplicaBacklog()
	if err != nil || b.Count != 2 || b.Bytes != 150 || b.Oldest.IsZero() {
		t.Fatalf("backlog %+v %v", b, err)
	}
	now := time.Now()
	write(func(tx *Tx) error {
		return tx.ReplicaFailed("k1", ReplicaPut, errors.New("partner down"), now.Add(time.Minute))
	})
	due, _ := d.R(ctx).DueReplicaItems(now, 10)
	if len(due) != 1 || due[0].Key != "k2" {
		t.Fatalf("due now: %+v", due)
	}
	due, _ = d.R(ctx).DueReplicaItems(now.Add(2*time.Minute), 10)
	if len(due) != 2 || due[1].Key != "k1" || due[1].Attempts != 1 || due[1].LastError != "partner down" {
		t.Fatalf("due later: %+v", due)
	}
	write(func(tx *Tx) error { return tx.ReplicaDone("k2", ReplicaPut) })
	// k1 unused: its deletion waits; referenced again before, the deletion becomes a put.
	write(func(tx *Tx) error { return tx.EnqueueReplicaDelete("k1", now.Add(time.Hour)) })
	if due, _ = d.R(ctx).DueReplicaItems(now, 10); len(due) != 0 {
		t.Fatalf("deletion due too early: %+v", due)
	}
	write(func(tx *Tx) error { return tx.ReplicaDone("k1", ReplicaPut) }) // a late put finishing must not drop the delete
	if b, _ = d.R(ctx).ReplicaBacklog(); b.Count != 0 || b.Deletions != 1 {
		t.Fatalf("backlog after delete queued: %+v", b)
	}
	write(func(tx *Tx) error { return tx.EnqueueReplicaPut("k1", 100) })
	if b, _ = d.R(ctx).ReplicaBacklog(); b.Count != 1 || b.Deletions != 0 {
		t.Fatalf("re-referenced content: %+v", b)
	}
	write(func(tx *Tx) error { return tx.SetReplicaMeta("naming_key", []byte{1, 2}) })
	if v, err := d.R(ctx).ReplicaMeta("naming_key"); err != nil || len(v) != 2 {
		t.Fatalf("meta %v %v", v, err)
	}
	if _, err := d.R(ctx).ReplicaMeta("none"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing meta: %v", err)
	}
}
