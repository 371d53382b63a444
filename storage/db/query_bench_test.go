package db

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkQueries measures the statements every request runs, one at a time.
func BenchmarkQueries(b *testing.B) {
	ctx := context.Background()
	d, err := Open(ctx, b.TempDir()+"/q.db")
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	g := Group{Slug: "atelier", Name: "Atelier"}
	p := Person{Email: "a@example.org"}
	d.Write(ctx, func(tx *Tx) error {
		tx.CreateGroup(&g)
		tx.CreatePerson(&p)
		tx.SetMembership(g.ID, p.ID, RoleMember, 0, Now().AddDate(1, 0, 0))
		tx.Mkdir(g.ID, "/pool")
		for i := range 200 {
			key := fmt.Sprintf("%064d", i)
			tx.PutInlineBlob(key, make([]byte, 4096+i*300))
			tx.PutFile(g.ID, fmt.Sprintf("/pool/f%03d", i), FileContent{Blob: key, Size: int64(4096 + i*300), ETag: "e"})
		}
		return nil
	})
	r := d.R(ctx)
	b.Run("PersonByID", func(b *testing.B) {
		for b.Loop() {
			r.PersonByID(p.ID)
		}
	})
	b.Run("GroupMembership", func(b *testing.B) {
		for b.Loop() {
			if _, err := r.GroupMembership("atelier", p.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("NodeContent", func(b *testing.B) {
		for b.Loop() {
			r.NodeContent(g.ID, "/pool/f000")
		}
	})
	b.Run("Children200", func(b *testing.B) {
		for b.Loop() {
			r.Children(g.ID, "/pool", func(Node) error { return nil })
		}
	})
	b.Run("GroupLocks", func(b *testing.B) {
		for b.Loop() {
			r.GroupLocks(g.ID)
		}
	})
}

func BenchmarkNodeVsContent(b *testing.B) {
	ctx := context.Background()
	d, err := Open(ctx, b.TempDir()+"/q.db")
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	g := Group{Slug: "atelier", Name: "Atelier"}
	d.Write(ctx, func(tx *Tx) error {
		tx.CreateGroup(&g)
		tx.Mkdir(g.ID, "/pool")
		for i := range 200 {
			key := fmt.Sprintf("%064d", i)
			tx.PutInlineBlob(key, make([]byte, 4096))
			tx.PutFile(g.ID, fmt.Sprintf("/pool/f%03d", i), FileContent{Blob: key, Size: 4096, ETag: "e"})
		}
		return nil
	})
	r := d.R(ctx)
	b.Run("Node", func(b *testing.B) {
		for b.Loop() {
			r.Node(g.ID, "/pool/f000")
		}
	})
	b.Run("InlineBlob", func(b *testing.B) {
		for b.Loop() {
			r.InlineBlob(fmt.Sprintf("%064d", 0))
		}
	})
	b.Run("NodeContent", func(b *testing.B) {
		for b.Loop() {
			r.NodeContent(g.ID, "/pool/f000")
		}
	})
}
