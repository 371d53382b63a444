package clients

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The accounts every test server starts with. Alice belongs to atelier
// only and Bob to bureau only, so any test can check that one group's
// folder stays invisible to the other group's members. Alice's password
// has no blank because cadaver reads it from a .netrc, whose tokens are
// blank-separated; Bob's has blanks and punctuation, which rclone and the
// HTTP helpers must carry through Basic auth.
const (
	alice         = "alice@example.org"
	alicePassword = "Cheval-Batterie-Agrafe-2026!"
	bob           = "bob@example.org"
	bobPassword   = "Tr0ub4dor&3 du bureau"
)

var passwords = map[string]string{alice: alicePassword, bob: bobPassword}

// Timeouts for the server's life cycle: generous for a loaded 2-core CI
// machine, short enough that a hung server fails the run quickly.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
)

// server is a parvis process started for one test.
type server struct {
	Base    string // http://127.0.0.1:PORT
	DataDir string
	out     *syncBuffer // the server's stdout and stderr
}

// DAV returns the URL of a path under /dav/files/, e.g. s.DAV("atelier/").
func (s *server) DAV(path string) string { return s.Base + "/dav/files/" + path }

// startServer creates a fresh data directory holding Alice (member of
// atelier) and Bob (member of bureau), starts `parvis serve` on a free
// loopback port, waits for /healthz and stops the server when the test
// ends. The server's output is logged if the test fails.
func startServer(t *testing.T) *server {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("parvis does not build, so there is no server to test:\n%v", buildErr)
	}
	data := filepath.Join(t.TempDir(), "data")
	admin(t, data, alicePassword+"\n", "person", "add", alice, "--name", "Alice")
	admin(t, data, bobPassword+"\n", "person", "add", bob, "--name", "Bob")
	admin(t, data, "", "group", "add", "atelier", "--name", "Atelier")
	admin(t, data, "", "group", "add", "bureau", "--name", "Bureau")
	admin(t, data, "", "group", "grant", "atelier", alice, "--role", "member")
	admin(t, data, "", "group", "grant", "bureau", bob, "--role", "member")

	// A port picked by the kernel can be taken again before the server
	// binds it; start again on another port in that rare case.
	for attempt := 1; ; attempt++ {
		s, retry, err := tryStart(t, data)
		if err == nil {
			return s
		}
		if !retry || attempt == 3 {
			t.Fatal(err)
		}
		t.Logf("retrying on another port: %v", err)
	}
}

// admin runs `parvis admin ARGS... --data DIR` with stdin as input.
func admin(t *testing.T, data, stdin string, args ...string) {
	t.Helper()
	args = append(append([]string{"admin"}, args...), "--data", data)
	cmd := exec.Command(parvisBin, args...)
	cmd.Env = serverEnv()
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("parvis %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// serverEnv is the test's environment without PARVIS_* variables, so a
// developer's own settings cannot leak into the server under test; only
// PARVIS_LOG_LEVEL passes, to get debug logs of a failing run.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PARVIS_") || strings.HasPrefix(kv, "PARVIS_LOG_LEVEL=") {
			env = append(env, kv)
		}
	}
	return env
}

// tryStart starts the server once. When the server does not come up, it
// says why and whether to retry on another port.
func tryStart(t *testing.T, data string) (s *server, retry bool, err error) {
	t.Helper()
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	s = &server{Base: "http://" + addr, DataDir: data, out: &syncBuffer{}}
	cmd := exec.Command(parvisBin, "serve", "--data", data, "--listen", addr)
	cmd.Env = serverEnv()
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting parvis serve: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	if exited, err := waitHealthy(s.Base, done); err != nil {
		if !exited {
			cmd.Process.Kill()
			<-done
		}
		out := s.out.String()
		return nil, exited && strings.Contains(out, "address already in use"),
			fmt.Errorf("parvis serve --listen %s did not become healthy: %v\nserver output:\n%s", addr, err, out)
	}
	t.Cleanup(func() {
		stopServer(t, cmd, done)
		if t.Failed() {
			t.Logf("parvis server output (tail):\n%s", tail(s.out.String(), 80))
		}
	})
	return s, false, nil
}

// waitHealthy polls GET /healthz until it answers 200, the server exits
// or the start timeout runs out. exited tells whether the server exited.
func waitHealthy(base string, done <-chan error) (exited bool, err error) {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(startTimeout)
	var last string
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			return true, fmt.Errorf("server exited before it was ready: %v", err)
		default:
		}
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return false, nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false, fmt.Errorf("no 200 from /healthz within %v (last: %s)", startTimeout, last)
}

// stopServer sends SIGTERM and waits; a server that does not stop in time
// is killed, and that is an error: a service manager would do the same
// and lose whatever the server had not written yet.
func stopServer(t *testing.T, cmd *exec.Cmd, done <-chan error) {
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(stopTimeout):
		cmd.Process.Kill()
		<-done
		t.Errorf("parvis serve did not exit within %v of SIGTERM; killed", stopTimeout)
	}
}

// freeAddr asks the kernel for a free loopback port.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a
// child process' stdout and stderr and reads from the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("[... %d lines before]", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
