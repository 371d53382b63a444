package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"parvis/test/stream"
)

// These tests run the real parvis binary in its own process, to kill it and to measure its memory.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// parvisBinary builds the command once per test run.
func parvisBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "parvis-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "parvis")
		out, err := exec.Command("go", "build", "-o", binPath, "..").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// process is a running parvis serve.
type process struct {
	cmd  *exec.Cmd
	base string
	out  *bytes.Buffer
}

func startProcess(t *testing.T, dataDir string) *process {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	p := &process{base: "http://" + addr, out: &bytes.Buffer{}}
	p.cmd = exec.Command(parvisBinary(t), "serve", "--data", dataDir, "--listen", addr, "--log-level", "warn")
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(p.base + "/healthz"); err == nil {
			resp.Body.Close()
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("parvis did not start:\n%s", p.out)
		}
	}
}

// status reads a field of /proc/PID/status in bytes (VmRSS, VmHWM).
func (p *process) status(t *testing.T, field string) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), field+":"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc status", field)
	return 0
}

// content is the deterministic body of upload i: a reader can check any stored file completely.
func content(i int) []byte {
	size := 1024 + (i*7919)%(768<<10)
	b := make([]byte, size)
	seed := sha256.Sum256([]byte(strconv.Itoa(i)))
	for j := range b {
		b[j] = seed[j%32] ^ byte(j>>5)
	}
	return b
}

// TestKill9DuringUploads kills the server with SIGKILL while 32 clients upload, restarts it, and
// checks that every acknowledged file is there byte for byte, that no partial file is visible, and
// that the instance check finds every stored content.
func TestKill9DuringUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary under load; skipped with -short")
	}
	cfg := testConfig(t)
	populate(t, cfg)
	p := startProcess(t, cfg.DataDir)

	var mu sync.Mutex
	acked := map[int]bool{}
	ctx, cancel := context.WithCancel(context.Background())
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var wg sync.WaitGroup
	for c := 0; c < 32; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; ctx.Err() == nil; i += 32 {
				hr, _ := http.NewRequestWithContext(ctx, "PUT", fmt.Sprintf("%s/dav/files/atelier/f%05d.bin", p.base, i), bytes.NewReader(content(i)))
				hr.SetBasicAuth(alice, pw)
				resp, err := client.Do(hr)
				if err != nil {
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode == 201 {
					mu.Lock()
					acked[i] = true
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	cancel()
	wg.Wait()
	if len(acked) < 32 {
		t.Fatalf("only %d uploads acknowledged before the kill: the load did not run", len(acked))
	}

	p = startProcess(t, cfg.DataDir)
	present := 0
	for i := 0; i < 32*len(acked)+64; i++ {
		hr, _ := http.NewRequest("GET", fmt.Sprintf("%s/dav/files/atelier/f%05d.bin", p.base, i), nil)
		hr.SetBasicAuth(alice, pw)
		resp, err := client.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode == 404 && acked[i]:
			t.Errorf("acknowledged upload %d lost", i)
		case resp.StatusCode == 200:
			present++
			if err != nil || !bytes.Equal(body, content(i)) {
				t.Errorf("file %d is not the uploaded content (%d bytes, %v)", i, len(body), err)
			}
		case resp.StatusCode != 404:
			t.Errorf("file %d: status %d", i, resp.StatusCode)
		}
	}
	t.Logf("%d uploads acknowledged before kill -9, %d files present after restart", len(acked), present)
	out, err := exec.Command(parvisBinary(t), "admin", "check", "--data", cfg.DataDir).CombinedOutput()
	if err != nil || strings.Contains(string(out), "PROBLEM") {
		t.Fatalf("admin check after the crash: %v\n%s", err, out)
	}
}

// TestLargeFileConstantMemory sends and fetches a 2 GiB file and checks the server's peak resident
// memory grew by less than 64 MiB: uploads and downloads stream.
func TestLargeFileConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 4 GiB; skipped with -short")
	}
	const size = 2 << 30
	cfg := testConfig(t)
	populate(t, cfg)
	p := startProcess(t, cfg.DataDir)
	base := p.status(t, "VmRSS")

	hr, _ := http.NewRequest("PUT", p.base+"/dav/files/atelier/grand.bin", stream.Pattern(size))
	hr.ContentLength = size
	hr.SetBasicAuth(alice, pw)
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("PUT: %d", resp.StatusCode)
	}
	hr, _ = http.NewRequest("GET", p.base+"/dav/files/atelier/grand.bin", nil)
	hr.SetBasicAuth(alice, pw)
	resp, err = http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.New()
	io.Copy(want, stream.Pattern(size))
	got := sha256.New()
	n, err := io.Copy(got, resp.Body)
	resp.Body.Close()
	if err != nil || n != size || !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Fatalf("GET returned %d bytes (%v), or different content", n, err)
	}
	peak := p.status(t, "VmHWM")
	t.Logf("server RSS before %d MiB, peak %d MiB", base>>20, peak>>20)
	if peak-base > 64<<20 {
		t.Fatalf("peak RSS grew by %d MiB moving a 2 GiB file, want < 64 MiB", (peak-base)>>20)
	}
}
