// Package miniotest runs real MinIO servers on loopback for tests: the pinned binary that
// scripts/test-deps.sh installs, one process per server, which a test may stop (kill -9) and start
// again on the same address and data to play an outage.
package miniotest

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The credentials of every test server.
const (
	User   = "parvis-test"
	Secret = "parvis-test-secret"
)

// Server is one MinIO process.
type Server struct {
	Addr string // host:port on 127.0.0.1
	t    testing.TB
	bin  string
	dir  string
	mu   sync.Mutex
	cmd  *exec.Cmd
	out  bytes.Buffer
}

// Start runs a MinIO server on a free loopback port over a fresh directory; it is killed when the
// test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, bin: binary(t), dir: t.TempDir(), Addr: freeLoopback(t)}
	s.Restart()
	t.Cleanup(s.Kill)
	return s
}

// Kill stops the server at once, as a crash would (SIGKILL). Killing a stopped server does nothing.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}

// Stop freezes the server (SIGSTOP): it keeps its connections and its port but answers nothing,
// as a hung machine or a saturated disk does. Continue thaws it.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.cmd.Process.Signal(syscall.SIGSTOP)
	}
}

// Continue lets a stopped server run again (SIGCONT).
func (s *Server) Continue() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.cmd.Process.Signal(syscall.SIGCONT)
	}
}

// Restart starts the server again on the same address and data, and waits until it is ready.
func (s *Server) Restart() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	console := freeLoopback(s.t)
	cmd := exec.Command(s.bin, "server", "--quiet", "--address", s.Addr, "--console-address", console, s.dir)
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+User, "MINIO_ROOT_PASSWORD="+Secret,
		"MINIO_UPDATE=off", "MINIO_BROWSER=off")
	s.out.Reset()
	cmd.Stdout, cmd.Stderr = &s.out, &s.out
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.cmd = cmd
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if s.ready() {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("minio did not start:\n%s", s.out.String())
		}
	}
}

// ready tells whether the server answers S3 requests: its readiness probe says yes a moment before
// bucket operations stop failing with 503 "Server not initialized yet", so an anonymous request
// must also get past that (to 403).
func (s *Server) ready() bool {
	for _, path := range []string{"/minio/health/ready", "/"} {
		resp, err := http.Get("http://" + s.Addr + path)
		if err != nil {
			return false
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable || path != "/" && resp.StatusCode != 200 {
			return false
		}
	}
	return true
}

// binary finds the pinned MinIO: on PATH, else in GOPATH/bin.
func binary(t testing.TB) string {
	if bin, err := exec.LookPath("minio"); err == nil {
		return bin
	}
	gopath, _ := exec.Command("go", "env", "GOPATH").Output()
	bin := filepath.Join(string(bytes.TrimSpace(gopath)), "bin", "minio")
	if _, err := os.Stat(bin); err != nil {
		t.Fatal("minio is not installed: run scripts/test-deps.sh")
	}
	return bin
}

func freeLoopback(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
