package replica

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"parvis/storage/db"
)

const marker = "MARQUEUR-EN-CLAIR-7f3a"

// TestShipperShipsChanges: a copy at start, none while nothing changes, a new one within the interval
// after a change; each copy decrypts with either recipient's key into a database that opens, and the
// partner never holds the plaintext.
func TestShipperShipsChanges(t *testing.T) {
	p, ids := testPartner(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	d, err := db.Open(ctx, filepath.Join(dir, "parvis.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	setMeta(t, d, marker)
	mon := NewMonitor(true, 0)
	const interval = 300 * time.Millisecond
	s := &Shipper{DB: d, Partner: p, Monitor: mon, TempDir: dir, Interval: interval, Log: slog.New(slog.DiscardHandler)}
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	waitSnapshots(t, p, 1, 5*time.Second)
	time.Sleep(4 * interval)
	if n := len(snapshots(t, p)); n != 1 {
		t.Fatalf("nothing changed, yet %d copies", n)
	}
	setMeta(t, d, marker+"-2")
	waitSnapshots(t, p, 2, 3*interval+2*time.Second)
	if st := mon.Status(); st.LastDBShipment.IsZero() || st.LastDBSize == 0 {
		t.Fatalf("monitor saw no shipment: %+v", st)
	}
	newest := snapshots(t, p)[1]
	raw, _ := p.ReadObject(ctx, newest.Name)
	cipher, _ := io.ReadAll(raw)
	raw.Close()
	if bytes.Contains(cipher, []byte(marker)) || bytes.Contains(cipher, []byte("SQLite format")) {
		t.Fatal("the partner's copy shows plaintext")
	}
	for _, id := range ids {
		if got := openCopy(t, cipher, id); got != marker+"-2" {
			t.Fatalf("copy decrypted with %s holds %q", id.Recipient(), got)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".partner-copy-*")); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func setMeta(t *testing.T, d *db.DB, v string) {
	t.Helper()
	if err := d.Write(context.Background(), func(tx *db.Tx) error { return tx.SetReplicaMeta("marker", []byte(v)) }); err != nil {
		t.Fatal(err)
	}
}

func snapshots(t *testing.T, p *Partner) []Snapshot {
	t.Helper()
	s, err := p.Snapshots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func waitSnapshots(t *testing.T, p *Partner, n int, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); len(snapshots(t, p)) < n; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %d database copies within %v", n, within)
		}
	}
}

// openCopy decrypts and decompresses a copy, opens it as a database and returns its marker.
func openCopy(t *testing.T, cipher []byte, id age.Identity) string {
	t.Helper()
	r, err := age.Decrypt(bytes.NewReader(cipher), id)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Decompress(r)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	path := filepath.Join(t.TempDir(), "restored.db")
	f, _ := os.Create(path)
	if _, err := io.Copy(f, plain); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	if msg, err := db.CheckFile(ctx, path); err != nil || msg != "ok" {
		t.Fatalf("integrity: %q %v", msg, err)
	}
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	v, err := d.R(ctx).ReplicaMeta("marker")
	if err != nil {
		t.Fatal(err)
	}
	return string(v)
}

// TestThin checks the retention rule on a month of copies every ten minutes.
func TestThin(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 5, 0, 0, time.UTC)
	var snaps []Snapshot
	for at := now.Add(-40 * 24 * time.Hour); !at.After(now); at = at.Add(10 * time.Minute) {
		snaps = append(snaps, Snapshot{Name: SnapshotName(at), At: at})
	}
	drop := Thin(snaps, now)
	dropped := map[string]bool{}
	for _, d := range drop {
		dropped[d.Name] = true
	}
	var kept []Snapshot
	for _, s := range snaps {
		if !dropped[s.Name] {
			kept = append(kept, s)
		}
	}
	// 20 newest (the last 3h10), plus one per hour back to 48 h (about 45 more), plus one per day back
	// to 30 days (28 more): nothing older than 30 days.
	if len(kept) < 90 || len(kept) > 96 {
		t.Fatalf("kept %d copies", len(kept))
	}
	for i := len(snaps) - 20; i < len(snaps); i++ {
		if dropped[snaps[i].Name] {
			t.Fatalf("one of the 20 newest dropped: %v", snaps[i].At)
		}
	}
	if kept[0].At.Before(now.Add(-keepDaily)) {
		t.Fatalf("a copy older than 30 days kept: %v", kept[0].At)
	}
	if again := Thin(kept, now); len(again) != 0 {
		t.Fatalf("thinning twice drops %d more", len(again))
	}
	old := []Snapshot{{Name: "db/1", At: now.Add(-90 * 24 * time.Hour)}}
	if len(Thin(old, now)) != 0 {
		t.Fatal("the only copy, however old, must stay")
	}
}
