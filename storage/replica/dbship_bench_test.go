package replica

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"parvis/storage/db"
	"parvis/test/miniotest"
)

// BenchmarkShipDatabase measures one database copy (backup, compression, encryption, upload to a
// MinIO on loopback) of an association's database: 5,000 events and 10,000 files whose sizes spread
// evenly on a log scale from 1 KiB to 10 MiB, as office documents and photos do; the 45% under
// 64 KiB live in the database, with incompressible bytes (zip-based documents, images).
//
//	go test -run '^$' -bench ShipDatabase -benchtime 5x ./storage/replica/
func BenchmarkShipDatabase(b *testing.B) {
	m := miniotest.Start(b)
	b.Run("inline-contents", func(b *testing.B) { benchShip(b, m, true) })
	b.Run("metadata-only", func(b *testing.B) { benchShip(b, m, false) })
}

// benchShip ships the database while a writer commits every few milliseconds, and reports the
// slowest of those commits: the copy must not hold the writer up.
func benchShip(b *testing.B, m *miniotest.Server, inline bool) {
	ctx := context.Background()
	dir := b.TempDir()
	d, err := db.Open(ctx, filepath.Join(dir, "parvis.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	fillAssociation(b, d, 5000, 10000, inline)
	x, _ := age.GenerateX25519Identity()
	y, _ := age.GenerateX25519Identity()
	cfg := Config{Endpoint: m.Addr, Bucket: "partner", AccessKey: miniotest.User, SecretKey: miniotest.Secret,
		PathStyle: true, Recipients: []string{x.Recipient().String(), y.Recipient().String()}}
	p, err := Open(ctx, cfg, nil)
	for try := 0; err != nil && try < 20; try++ { // MinIO may answer "not initialized yet" just after it is ready
		time.Sleep(250 * time.Millisecond)
		p, err = Open(ctx, cfg, nil)
	}
	if err != nil {
		b.Fatal(err)
	}
	s := &Shipper{DB: d, Partner: p, Monitor: NewMonitor(true, 0), TempDir: dir, Interval: time.Second, Log: slog.New(slog.DiscardHandler)}
	var raw int64
	var slowest time.Duration
	b.ResetTimer()
	for b.Loop() {
		stop := make(chan time.Duration)
		go func() { stop <- writeWhile(d, stop) }()
		sn, err := s.Ship(ctx)
		if err != nil {
			b.Fatal(err)
		}
		stop <- 0
		slowest = max(slowest, <-stop)
		raw = fileSize(b, filepath.Join(dir, "parvis.db"))
		b.ReportMetric(float64(sn.Size)/(1<<20), "MiB-shipped")
	}
	b.ReportMetric(float64(raw)/(1<<20), "MiB-db")
	b.ReportMetric(float64(slowest.Microseconds())/1000, "ms-slowest-write")
}

// writeWhile commits a small write every 5 ms until told to stop, and returns the slowest commit.
func writeWhile(d *db.DB, stop chan time.Duration) time.Duration {
	var slowest time.Duration
	for i := 0; ; i++ {
		select {
		case <-stop:
			return slowest
		case <-time.After(5 * time.Millisecond):
		}
		start := time.Now()
		d.Write(context.Background(), func(tx *db.Tx) error { return tx.SetReplicaMeta("bench", []byte(fmt.Sprint(i))) })
		slowest = max(slowest, time.Since(start))
	}
}

// fillAssociation writes the events and files of an association into d.
func fillAssociation(b *testing.B, d *db.DB, events, files int, inline bool) {
	ctx := context.Background()
	g := db.Group{Slug: "asso", Name: "Association"}
	r := mrand.New(mrand.NewPCG(1, 2))
	err := d.Write(ctx, func(tx *db.Tx) error {
		if err := tx.CreateGroup(&g); err != nil {
			return err
		}
		c, err := tx.R().Collection(g.ID, 0, db.KindCalendar, "agenda")
		if err != nil {
			return err
		}
		t0 := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
		for i := range events {
			start := t0.Add(time.Duration(i) * 5 * time.Hour)
			o := db.Object{CollectionID: c.ID, Name: fmt.Sprintf("e%05d.ics", i), UID: fmt.Sprintf("%x@parvis", r.Uint64()),
				Component: "VEVENT", Data: []byte(eventText(i, start, r)), Window: db.Window{Start: start.Unix(), End: start.Unix() + 7200}}
			if _, err := tx.PutObject(&o); err != nil {
				return err
			}
		}
		for i := range files / 100 {
			if _, err := tx.Mkdir(g.ID, fmt.Sprintf("/dossier-%03d", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < files; i += 500 { // one transaction per 500 files, as a busy day would commit them
		err := d.Write(ctx, func(tx *db.Tx) error {
			for j := i; j < min(i+500, files); j++ {
				if err := putFile(tx, g.ID, j, r, inline); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// putFile records one file of a log-uniform size; small ones are stored inline with random bytes
// unless inline is false (as if every content were in the blob store: the database's own weight).
func putFile(tx *db.Tx, group int64, i int, r *mrand.Rand, inline bool) error {
	size := int64(math.Exp(math.Log(1<<10) + r.Float64()*(math.Log(10<<20)-math.Log(1<<10))))
	var key string
	if inline && size <= 64<<10 {
		data := make([]byte, size)
		rand.Read(data)
		sum := sha256.Sum256(data)
		key = hex.EncodeToString(sum[:])
		if err := tx.PutInlineBlob(key, data); err != nil {
			return err
		}
	} else {
		key = fmt.Sprintf("%064x", r.Uint64())
	}
	_, _, _, err := tx.PutFile(group, fmt.Sprintf("/dossier-%03d/document %05d.odt", i/100, i), db.FileContent{Blob: key, Size: size, ETag: key[:16]})
	return err
}

func eventText(i int, start time.Time, r *mrand.Rand) string {
	return fmt.Sprintf("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Thunderbird//FR\r\nBEGIN:VEVENT\r\nUID:%x@parvis\r\n"+
		"DTSTAMP:20240101T090000Z\r\nDTSTART;TZID=Europe/Paris:%s\r\nDTEND;TZID=Europe/Paris:%s\r\n"+
		"SUMMARY:Réunion du groupe %d\r\nLOCATION:Salle %d\\, maison des associations\r\n"+
		"DESCRIPTION:Ordre du jour : point %d\\, budget\\, questions diverses.\r\nORGANIZER:mailto:anim%d@example.org\r\n"+
		"END:VEVENT\r\nEND:VCALENDAR\r\n", r.Uint64(), start.Format("20060102T150405"), start.Add(2*time.Hour).Format("20060102T150405"),
		i%40, r.IntN(12), r.IntN(1000), r.IntN(80))
}

func fileSize(b *testing.B, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}
