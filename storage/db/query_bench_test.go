package db

import (
	"context"
	"fmt"
	"testing"
)

// benchDB is a database with one group, one member and a folder of 200 small inline files.
func benchDB(b *testing.B) (Read, Group, Person) {
	ctx := context.Background()
	d, err := Open(ctx, b.TempDir()+"/q.db")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	g := Group{Slug: "atelier", Name: "Atelier"}
	p := Person{Email: "a@example.org"}
	err = d.Write(ctx, func(tx *Tx) error {
		tx.CreateGroup(&g)
		tx.CreatePerson(&p)
		tx.SetMembership(g.ID, p.ID, RoleMember, 0, Now().AddDate(1, 0, 0))
		tx.Mkdir(g.ID, "/pool")
		for i := range 200 {
			key := fmt.Sprintf("%064d", i)
			size := 4096 + i*300
			tx.PutInlineBlob(key, make([]byte, size))
			tx.PutFile(g.ID, fmt.Sprintf("/pool/f%03d", i), FileContent{Blob: key, Size: int64(size), ETag: "e"})
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return d.R(ctx), g, p
}

// BenchmarkQueries measures, one at a time, the statements requests run.
func BenchmarkQueries(b *testing.B) {
	r, g, p := benchDB(b)
	cases := []struct {
		name string
		run  func() error
	}{
		{"PersonByID", func() error { _, err := r.PersonByID(p.ID); return err }},
		{"GroupMembership", func() error { _, err := r.GroupMembership("atelier", p.ID); return err }},
		{"Node", func() error { _, err := r.Node(g.ID, "/pool/f000"); return err }},
		{"NodeContent4K", func() error { _, _, err := r.NodeContent(g.ID, "/pool/f000"); return err }},
		{"NodeContent64K", func() error { _, _, err := r.NodeContent(g.ID, "/pool/f199"); return err }},
		{"Children200", func() error { return r.Children(g.ID, "/pool", func(Node) error { return nil }) }},
		{"GroupLocks", func() error { _, err := r.GroupLocks(g.ID); return err }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
