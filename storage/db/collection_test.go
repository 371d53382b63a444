package db

import (
	"context"
	"errors"
	"testing"
)

// TestGroupsGetCollections checks both ways a group gets its agenda, task list and address book: at
// creation, and through migration 004 for a group made before it.
func TestGroupsGetCollections(t *testing.T) {
	ctx := context.Background()
	path := oldDatabase(t, 3, `INSERT INTO grp (slug, name, created_at) VALUES ('ancien', 'Ancien', 1)`)
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var fresh Group
	if err := d.Write(ctx, func(tx *Tx) error { fresh = Group{Slug: "neuf", Name: "Neuf"}; return tx.CreateGroup(&fresh) }); err != nil {
		t.Fatal(err)
	}
	old, err := d.R(ctx).GroupBySlug("ancien")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []Group{old, fresh} {
		cals, err := d.R(ctx).CollectionsOf(KindCalendar, []int64{g.ID}, 0)
		if err != nil || len(cals) != 2 {
			t.Fatalf("%s: calendars %v %v", g.Slug, cals, err)
		}
		tasks, err := d.R(ctx).Collection(g.ID, 0, KindCalendar, "taches")
		if err != nil || len(tasks.Components) != 1 || tasks.Components[0] != "VTODO" {
			t.Fatalf("%s: task list %+v %v", g.Slug, tasks, err)
		}
		if _, err := d.R(ctx).Collection(g.ID, 0, KindAddressBook, "contacts"); err != nil {
			t.Fatalf("%s: address book: %v", g.Slug, err)
		}
	}
}

// TestObjectsAndChanges walks an object through create, update, UID conflict and delete, and checks
// what an incremental sync reads at each step.
func TestObjectsAndChanges(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	var coll Collection
	err := d.Write(ctx, func(tx *Tx) error {
		g := Group{Slug: "atelier", Name: "Atelier"}
		return tx.CreateGroup(&g)
	})
	if err != nil {
		t.Fatal(err)
	}
	g, _ := d.R(ctx).GroupBySlug("atelier")
	if coll, err = d.R(ctx).Collection(g.ID, 0, KindCalendar, "agenda"); err != nil {
		t.Fatal(err)
	}
	put := func(name, uid, data string) (bool, error) {
		var created bool
		err := d.Write(ctx, func(tx *Tx) error {
			o := Object{CollectionID: coll.ID, Name: name, UID: uid, Component: "VEVENT", Data: []byte(data), Window: Window{Start: 10, End: 20}}
			var err error
			created, err = tx.PutObject(&o)
			return err
		})
		return created, err
	}
	if created, err := put("a.ics", "uid-a", "one"); err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	if created, err := put("a.ics", "uid-a", "two"); err != nil || created {
		t.Fatalf("update: %v %v", created, err)
	}
	if _, err := put("b.ics", "uid-a", "three"); !errors.Is(err, ErrConflict) {
		t.Fatalf("same UID under another name: %v, want ErrConflict", err)
	}
	o, err := d.R(ctx).Object(coll.ID, "a.ics")
	if err != nil || string(o.Data) != "two" || o.ETag != ContentETag([]byte("two")) {
		t.Fatalf("read back %+v %v", o, err)
	}
	if err := d.Write(ctx, func(tx *Tx) error { return tx.DeleteObject(coll.ID, "a.ics") }); err != nil {
		t.Fatal(err)
	}
	var changes []Change
	d.R(ctx).EachChangeSince(coll.ID, 1, func(c Change) error { changes = append(changes, c); return nil })
	if len(changes) != 1 || changes[0].Name != "a.ics" || !changes[0].Deleted || changes[0].Revision != 3 {
		t.Fatalf("changes since 1: %+v", changes)
	}
	changes = nil
	d.R(ctx).EachChangeSince(coll.ID, 3, func(c Change) error { changes = append(changes, c); return nil })
	if len(changes) != 0 {
		t.Fatalf("changes since the latest revision: %+v", changes)
	}
}
