// Package harness starts the real parvis binary for the tests that drive real clients against it
// (test/clients, test/caldav): it builds the binary once, makes a fresh data directory with two
// people in two groups, serves it on a free loopback port and stops it at the end of the test.
package harness

import (
	"bytes"
	"context"
	"errors"
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

// bin is the server binary under test, built once by Main. When the build fails, buildErr holds the
// reason and every test that needs a server fails with it: client tests must not go green (or
// silently skip) because the server is not there.
var (
	bin      string
	buildErr error
)

// Main builds the binary, runs the package's tests and exits: call it from TestMain.
func Main(m *testing.M) {
	tmp, err := os.MkdirTemp("", "parvis-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "harness:", err)
		os.Exit(1)
	}
	bin, buildErr = build(tmp)
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// buildParvis compiles the module's main package into dir, or returns
// PARVIS_TEST_BIN when it is set.
func build(dir string) (string, error) {
	if bin := os.Getenv("PARVIS_TEST_BIN"); bin != "" {
		abs, err := filepath.Abs(bin)
		if err != nil {
			return "", err
		}
		if _, err := os.Stat(abs); err != nil {
			return "", fmt.Errorf("PARVIS_TEST_BIN: %w", err)
		}
		return abs, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "parvis")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build -o %s . (in %s): %v\n%s", bin, root, err, out)
	}
	return bin, nil
}

// repoRoot walks up from the test's working directory (the package
// directory) to the directory holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// The accounts every test server starts with. Alice belongs to atelier
// only and Bob to bureau only, so any test can check that one group's
// folder stays invisible to the other group's members. Alice's password
// has no blank because cadaver reads it from a .netrc, whose tokens are
// blank-separated; Bob's has blanks and punctuation, which rclone and the
// HTTP helpers must carry through Basic auth.
const (
	Alice         = "alice@example.org"
	AlicePassword = "Cheval-Batterie-Agrafe-2026!"
	Bob           = "bob@example.org"
	BobPassword   = "Tr0ub4dor&3 du bureau"
)

// Passwords maps each account to its password.
var Passwords = map[string]string{Alice: AlicePassword, Bob: BobPassword}

// Timeouts for the server's life cycle: generous for a loaded 2-core CI
// machine, short enough that a hung server fails the run quickly.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
)

// server is a parvis process started for one test.
type Server struct {
	Base    string // http://127.0.0.1:PORT
	DataDir string
	out     *syncBuffer // the server's stdout and stderr
}

// DAV returns the URL of a path under /dav/files/, e.g. s.DAV("atelier/").
func (s *Server) DAV(path string) string { return s.Base + "/dav/files/" + path }

// Start creates a fresh data directory holding Alice (member of
// atelier) and Bob (member of bureau), starts `parvis serve` on a free
// loopback port, waits for /healthz and stops the server when the test
// ends. The server's output is logged if the test fails.
func Start(t *testing.T) *Server {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("parvis does not build, so there is no server to test:\n%v", buildErr)
	}
	data := filepath.Join(t.TempDir(), "data")
	Admin(t, data, AlicePassword+"\n", "person", "add", Alice, "--name", "Alice")
	Admin(t, data, BobPassword+"\n", "person", "add", Bob, "--name", "Bob")
	Admin(t, data, "", "group", "add", "atelier", "--name", "Atelier")
	Admin(t, data, "", "group", "add", "bureau", "--name", "Bureau")
	Admin(t, data, "", "group", "grant", "atelier", Alice, "--role", "member")
	Admin(t, data, "", "group", "grant", "bureau", Bob, "--role", "member")

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

// Admin runs `parvis admin ARGS... --data DIR` with stdin as input.
func Admin(t *testing.T, data, stdin string, args ...string) {
	t.Helper()
	args = append(append([]string{"admin"}, args...), "--data", data)
	cmd := exec.Command(bin, args...)
	cmd.Env = CleanEnv()
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("parvis %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// CleanEnv is the test's environment without PARVIS_* variables, so a
// developer's own settings cannot leak into the server under test; only
// PARVIS_LOG_LEVEL passes, to get debug logs of a failing run.
func CleanEnv() []string {
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
func tryStart(t *testing.T, data string) (s *Server, retry bool, err error) {
	t.Helper()
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	s = &Server{Base: "http://" + addr, DataDir: data, out: &syncBuffer{}}
	cmd := exec.Command(bin, "serve", "--data", data, "--listen", addr)
	cmd.Env = CleanEnv()
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
			t.Logf("parvis server output (tail):\n%s", Tail(s.out.String(), 80))
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

// Tail returns the last n lines of s.
func Tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("[... %d lines before]", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
