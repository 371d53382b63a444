package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	d, err := Open(context.Background(), filepath.Join(t.TempDir(), "parvis.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// oldDatabase makes a database left at the first n migrations, with some rows inserted by the
// statements given, as an older Parvis would have left it; it returns its path.
func oldDatabase(t *testing.T, n int, inserts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	list, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	w, err := sql.Open("sqlite3", "file:"+path+"?"+dsnOptions.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := migrateTo(context.Background(), w, list[:n]); err != nil {
		t.Fatal(err)
	}
	for _, q := range inserts {
		if _, err := w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// TestUpgradeFromFirstSchema opens a database left at the first schema, with data in it, and checks
// that the current binary upgrades it in place without losing the data.
func TestUpgradeFromFirstSchema(t *testing.T) {
	ctx := context.Background()
	path := oldDatabase(t, 1, `INSERT INTO person (email, name, created_at) VALUES ('ancienne@example.org', 'Ancienne', 1)`)
	list, _ := migrations()
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	p, err := d.R(ctx).PersonByEmail("ANCIENNE@example.org")
	if err != nil || p.Name != "Ancienne" {
		t.Fatalf("data lost in upgrade: %+v %v", p, err)
	}
	var v int
	d.r.QueryRow("PRAGMA user_version").Scan(&v)
	if v != len(list) {
		t.Fatalf("user_version %d, want %d", v, len(list))
	}
}

func TestRefuseNewerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	d.w.Exec("PRAGMA user_version = 999")
	d.Close()
	_, err = Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("got %v, want a refusal", err)
	}
}

func TestTreeMoveCopyDelete(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	g := Group{Slug: "atelier", Name: "Atelier"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(d.Write(ctx, func(tx *Tx) error {
		must(tx.CreateGroup(&g))
		for _, p := range []string{"/a", "/a/b", "/a0"} {
			if _, err := tx.Mkdir(g.ID, p); err != nil {
				return err
			}
		}
		for _, p := range []string{"/a/f", "/a/b/g", "/a0/h"} {
			if _, _, _, err := tx.PutFile(g.ID, p, FileContent{Blob: "x", Size: 10, ETag: "e"}); err != nil {
				return err
			}
		}
		n, _ := tx.R().Node(g.ID, "/a/f")
		return tx.SetDeadProp(n.ID, DeadProp{Space: "urn:x", Name: "p", Value: []byte("<p/>")})
	}))
	if _, err := d.R(ctx).Node(g.ID, "/missing/x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v", err)
	}
	must(d.Write(ctx, func(tx *Tx) error { return tx.CopyTree(g.ID, "/a", g.ID, "/c", false) }))
	must(d.Write(ctx, func(tx *Tx) error { return tx.MoveTree(g.ID, "/a", g.ID, "/z") }))
	var paths []string
	must(d.R(ctx).Descendants(g.ID, "/", func(n Node) error { paths = append(paths, n.Path); return nil }))
	got := strings.Join(paths, " ")
	want := "/a0 /c /z /a0/h /c/b /c/f /c/b/g /z/b /z/f /z/b/g"
	if got != want {
		t.Fatalf("tree after copy+move:\n got %s\nwant %s", got, want)
	}
	n, _ := d.R(ctx).Node(g.ID, "/c/f")
	props, _ := d.R(ctx).DeadProps(n.ID)
	if len(props) != 1 {
		t.Fatalf("copied property missing: %v", props)
	}
	gg, _ := d.R(ctx).GroupBySlug("atelier")
	if gg.UsedBytes != 50 {
		t.Fatalf("usage %d, want 50", gg.UsedBytes)
	}
	var item TrashItem
	must(d.Write(ctx, func(tx *Tx) (err error) { item, err = tx.TrashTree(g.ID, "/z", 0); return }))
	gg, _ = d.R(ctx).GroupBySlug("atelier")
	if gg.UsedBytes != 30 || gg.TrashBytes != 20 {
		t.Fatalf("usage after delete %d, trash %d; want 30 and 20", gg.UsedBytes, gg.TrashBytes)
	}
	if _, err := d.R(ctx).Node(g.ID, "/z/b/g"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a trashed file is still in the tree: %v", err)
	}
	paths = nil
	must(d.R(ctx).Descendants(g.ID, "/", func(n Node) error { paths = append(paths, n.Path); return nil }))
	if strings.Contains(strings.Join(paths, " "), "#") {
		t.Fatalf("trash visible in the tree: %v", paths)
	}
	must(d.Write(ctx, func(tx *Tx) error { _, err := tx.RestoreTrash(g.ID, item.ID, "/retour/z"); return err }))
	if n, err := d.R(ctx).Node(g.ID, "/retour/z/b/g"); err != nil || n.Size != 10 {
		t.Fatalf("restored file: %+v %v", n, err)
	}
	gg, _ = d.R(ctx).GroupBySlug("atelier")
	if gg.UsedBytes != 50 || gg.TrashBytes != 0 {
		t.Fatalf("usage after restore %d, trash %d; want 50 and 0", gg.UsedBytes, gg.TrashBytes)
	}
	if err := d.Write(ctx, func(tx *Tx) error { return tx.MoveTree(g.ID, "/c", g.ID, "/c/b/x") }); !errors.Is(err, ErrConflict) {
		t.Fatalf("move into itself: %v", err)
	}
}

// TestGroupCommitIsolatesFailures runs many concurrent writes, some failing after they wrote: the
// failing ones leave nothing, the others all land, although they share commits.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	var wg sync.WaitGroup
	errFail := errors.New("refused")
	results := make([]error, 60)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = d.Write(ctx, func(tx *Tx) error {
				if err := tx.CreatePerson(&Person{Email: fmt.Sprintf("p%d@example.org", i)}); err != nil {
					return err
				}
				if i%3 == 0 {
					return errFail
				}
				return nil
			})
		}()
	}
	wg.Wait()
	people, err := d.R(ctx).People()
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 40 {
		t.Fatalf("%d people stored, want 40", len(people))
	}
	for i, err := range results {
		if (i%3 == 0) != errors.Is(err, errFail) || i%3 != 0 && err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	for _, p := range people {
		var i int
		fmt.Sscanf(p.Email, "p%d@", &i)
		if i%3 == 0 {
			t.Fatalf("a failed write left %s", p.Email)
		}
	}
}

// TestTreeQueriesUseTheIndex guards against a plan that scans a whole group: deleting, moving or
// sizing a folder must cost what the folder holds, not what the group holds.
func TestTreeQueriesUseTheIndex(t *testing.T) {
	d := openTest(t)
	for _, self := range []bool{false, true} {
		cond, args := inTree(1, "/a/b", self)
		rows, err := d.r.Query(`EXPLAIN QUERY PLAN SELECT sum(size) FROM node WHERE `+cond, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "dir>? AND dir<?") || strings.Contains(text, "(group_id=?)") {
			t.Fatalf("tree query does not use index ranges:\n%s", text)
		}
	}
}

// TestCloseWhileWriting closes the database while writers keep writing, as background tasks do when
// the server stops: every write either lands or gets ErrClosed; nothing panics or hangs.
func TestCloseWhileWriting(t *testing.T) {
	d, err := Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; ; j++ {
				err := d.Write(context.Background(), func(tx *Tx) error {
					return tx.CreatePerson(&Person{Email: fmt.Sprintf("w%d-%d@example.org", i, j)})
				})
				if errors.Is(err, ErrClosed) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
}

// TestInboxMigrationKeepsObjects upgrades a database holding a person's agenda and an event to the
// schema with scheduling inboxes: the objects stay (a rebuilt collection table would have
// cascade-deleted them), the loosened CHECK takes an inbox, and still refuses any other kind.
func TestInboxMigrationKeepsObjects(t *testing.T) {
	ctx := context.Background()
	path := oldDatabase(t, 20,
		`INSERT INTO person (id, email, name, created_at) VALUES (7, 'a@example.org', 'A', 1)`,
		`INSERT INTO collection (id, person_id, name, kind, components, created_at) VALUES (3, 7, 'agenda', 'calendar', 'VEVENT', 1)`,
		`INSERT INTO cal_object (collection_id, name, uid, component, etag, data, first_start, last_end, unbounded, modified_at)
			VALUES (3, 'e.ics', 'e', 'VEVENT', 'x', X'00', 0, 0, 0, 1)`)
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if o, err := d.R(ctx).Object(3, "e.ics"); err != nil || o.UID != "e" {
		t.Fatalf("the event did not survive: %+v %v", o, err)
	}
	var inbox Collection
	if err := d.Write(ctx, func(tx *Tx) (err error) { inbox, err = tx.Inbox(7); return err }); err != nil || inbox.Kind != KindInbox {
		t.Fatalf("inbox: %+v %v", inbox, err)
	}
	err = d.Write(ctx, func(tx *Tx) error { return tx.CreateCollection(&Collection{PersonID: 7, Name: "x", Kind: "nonsense"}) })
	if err == nil {
		t.Fatal("a collection of an unknown kind was stored")
	}
	var check string
	if err := d.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity: %q %v", check, err)
	}
}
