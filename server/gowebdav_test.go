package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/emersion/go-webdav"
)

// TestGoWebdavClient drives the server with go-webdav's own client, a second, independent WebDAV
// implementation: folders, uploads, listing, copy, move, removal, and Stat of what was written.
func TestGoWebdavClient(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	c, err := webdav.NewClient(webdav.HTTPClientWithBasicAuth(http.DefaultClient, alice, pw), ts.URL+"/dav/files/atelier/")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Mkdir(ctx, "réunions"); err != nil {
		t.Fatal(err)
	}
	w, err := c.Create(ctx, "réunions/ordre du jour.md")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "# AG du 12 mars\n1. Rapport moral\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Copy(ctx, "réunions", "archives", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Move(ctx, "archives/ordre du jour.md", "archives/odj-2026-03.md", nil); err != nil {
		t.Fatal(err)
	}
	infos, err := c.ReadDir(ctx, "archives", false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fi := range infos {
		names = append(names, fi.Path)
	}
	if got := strings.Join(names, " "); !strings.Contains(got, "/dav/files/atelier/archives/odj-2026-03.md") || strings.Contains(got, "ordre") {
		t.Fatalf("listing after copy and move: %s", got)
	}
	fi, err := c.Stat(ctx, "archives/odj-2026-03.md")
	if err != nil || fi.Size != 33 || fi.ETag == "" || fi.MIMEType != "text/markdown; charset=utf-8" {
		t.Fatalf("stat: %+v %v", fi, err)
	}
	r, err := c.Open(ctx, "archives/odj-2026-03.md")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "# AG du 12 mars\n1. Rapport moral\n" {
		t.Fatalf("content: %q", b)
	}
	if err := c.RemoveAll(ctx, "réunions"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stat(ctx, "réunions/ordre du jour.md"); err == nil {
		t.Fatal("removed folder's file still there")
	}
}
