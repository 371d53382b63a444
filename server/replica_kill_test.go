package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"parvis/storage/db"
)

// TestReplicaKill9 kills the server with SIGKILL while clients upload to an S3 store with a partner,
// restarts it, and checks that the outbox resumes: every acknowledged file reads back byte for byte
// and the partner ends up with exactly one object per distinct content.
func TestReplicaKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary under load; skipped with -short")
	}
	r := newReplicaRig(t)
	if err := os.WriteFile(filepath.Join(r.cfg.DataDir, "parvis.toml"), []byte(r.toml()), 0o600); err != nil {
		t.Fatal(err)
	}
	populate(t, r.cfg)
	p := startProcess(t, r.cfg.DataDir)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	var mu sync.Mutex
	acked := map[string][]byte{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := fmt.Sprintf("/k%02d-%03d.bin", c, i)
				body := noisy(path, 65<<10+(c*5+i*11)%96<<10)
				code, _, err := davPut(client, p.base, path, body)
				if err != nil {
					return // the server is gone
				}
				if code == 201 {
					mu.Lock()
					acked[path] = body
					mu.Unlock()
				}
			}
		}()
	}
	waitFor(t, 20*time.Second, "uploads before the kill", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(acked) >= 96
	})
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	close(stop)
	wg.Wait()

	d, err := db.Open(context.Background(), filepath.Join(r.cfg.DataDir, "parvis.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	waiting := backlog(t, d)
	if waiting == 0 {
		t.Log("the replicator had caught up before the kill: the restart has nothing to resume")
	}
	p = startProcess(t, r.cfg.DataDir)
	waitFor(t, 30*time.Second, "the outbox drained after the restart", func() bool { return backlog(t, d) == 0 })
	for path, want := range acked {
		if code, got, err := davGet(client, p.base, path); code != 200 || !bytes.Equal(got, want) {
			t.Fatalf("%s after kill -9: %d (%d bytes) %v", path, code, len(got), err)
		}
	}
	distinct := 0
	d.R(context.Background()).Blobs(func(key string, size int64) error {
		if size > db.InlineMax {
			distinct++
		}
		return nil
	})
	objects := 0
	r.partnerClient(t, d).Objects(context.Background(), "blobs/", func(string, int64) error { objects++; return nil })
	if objects != distinct || distinct < len(acked) {
		t.Fatalf("partner holds %d objects for %d distinct contents (%d acknowledged)", objects, distinct, len(acked))
	}
	t.Logf("%d uploads acknowledged before kill -9, %d waiting for the partner; %d contents on the partner after the restart", len(acked), waiting, objects)
}
