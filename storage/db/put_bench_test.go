package db

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkPutFile measures the transaction of an upload: a small inline content (one more row) and
// a blob-store content (whose transaction also queues it for the partner).
func BenchmarkPutFile(b *testing.B) {
	for _, size := range []int64{4 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			ctx := context.Background()
			d, err := Open(ctx, b.TempDir()+"/p.db")
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			g := Group{Slug: "atelier", Name: "Atelier"}
			if err := d.Write(ctx, func(tx *Tx) error { return tx.CreateGroup(&g) }); err != nil {
				b.Fatal(err)
			}
			data := make([]byte, min(size, InlineMax))
			i := 0
			for b.Loop() {
				i++
				key := fmt.Sprintf("%064x", i)
				err := d.Write(ctx, func(tx *Tx) error {
					if size <= InlineMax {
						if err := tx.PutInlineBlob(key, data); err != nil {
							return err
						}
					}
					_, _, _, err := tx.PutFile(g.ID, fmt.Sprintf("/f%d", i), FileContent{Blob: key, Size: size, ETag: key[:24]})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
