package replica

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"parvis/storage/db"
)

// TestReplicator copies queued contents, skips one the partner holds, rides out a partner outage,
// and deletes a partner copy once its time has come.
func TestReplicator(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "parvis.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	f := r.failover(t, 0)
	enqueue := func(n int) []string {
		var keys []string
		for range n {
			data := randomBytes(70 << 10)
			key, err := put(t, f, data)
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, key)
			d.Write(ctx, func(tx *db.Tx) error { return tx.EnqueueReplicaPut(key, int64(len(data))) })
		}
		return keys
	}
	backlog := func() int64 {
		b, _ := d.R(ctx).ReplicaBacklog()
		return b.Count
	}
	keys := enqueue(6)
	rep := StartReplicator(d, f, r.partner, r.mon, slog.New(slog.DiscardHandler))
	defer rep.Close()
	rep.Poke()
	eventually(t, 5*time.Second, "first contents copied", func() bool { return backlog() == 0 })
	for _, k := range keys {
		if ok, err := r.partner.HasBlob(ctx, k); !ok {
			t.Fatalf("%s not on the partner: %v", k[:8], err)
		}
	}

	r.partnerMinIO.Kill()
	more := enqueue(5)
	rep.Poke()
	eventually(t, 15*time.Second, "partner outage noticed", func() bool { return r.mon.Status().PartnerDown })
	if backlog() != 5 {
		t.Fatalf("backlog during the outage: %d", backlog())
	}
	r.partnerMinIO.Restart()
	eventually(t, 20*time.Second, "backlog drained after the outage", func() bool { return backlog() == 0 })
	if ok, _ := r.partner.HasBlob(ctx, more[4]); !ok || r.mon.Status().PartnerDown {
		t.Fatal("not copied after the outage")
	}

	d.Write(ctx, func(tx *db.Tx) error { return tx.EnqueueReplicaDelete(keys[0], time.Now()) })
	d.Write(ctx, func(tx *db.Tx) error { return tx.EnqueueReplicaDelete(keys[1], time.Now().Add(time.Hour)) })
	eventually(t, 5*time.Second, "due deletion done", func() bool {
		ok, _ := r.partner.HasBlob(ctx, keys[0])
		return !ok
	})
	if ok, _ := r.partner.HasBlob(ctx, keys[1]); !ok {
		t.Fatal("a deletion ran before its time")
	}
}

// TestBackfill queues, once, the contents referenced outside the database.
func TestBackfill(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "parvis.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	g := db.Group{Slug: "atelier", Name: "Atelier"}
	err = d.Write(ctx, func(tx *db.Tx) error {
		if err := tx.CreateGroup(&g); err != nil {
			return err
		}
		tx.PutInlineBlob(keyOf([]byte("small")), []byte("small"))
		for i, c := range []db.FileContent{{Blob: keyOf([]byte("small")), Size: 5}, {Blob: keyOf([]byte("big")), Size: 100 << 10},
			{Blob: keyOf([]byte("big2")), Size: 200 << 10}, {Blob: keyOf([]byte("big3")), Size: 300 << 10}} {
			if _, _, _, err := tx.PutFile(g.ID, "/f"+string(rune('a'+i%3)), c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Pretend the outbox was emptied (contents stored before it existed): the versions count too.
	d.Write(ctx, func(tx *db.Tx) error {
		for _, k := range []string{"big", "big2", "big3"} {
			tx.ReplicaDone(keyOf([]byte(k)), db.ReplicaPut)
		}
		return nil
	})
	if n, err := Backfill(ctx, d); err != nil || n != 3 {
		t.Fatalf("backfill queued %d: %v", n, err)
	}
	if n, err := Backfill(ctx, d); err != nil || n != 0 {
		t.Fatalf("second backfill queued %d: %v", n, err)
	}
	b, _ := d.R(ctx).ReplicaBacklog()
	if b.Count != 3 || b.Bytes != 600<<10 {
		t.Fatalf("backlog %+v", b)
	}
}
