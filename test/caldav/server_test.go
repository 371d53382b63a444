package caldav

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

// The accounts: Alice is a member of atelier, Bob of bureau.
const (
	alice         = "alice@example.org"
	alicePassword = "Cheval-Batterie-Agrafe-2026!"
	bob           = "bob@example.org"
	bobPassword   = "Tr0ub4dor&3 du bureau"
)

var (
	parvisBin string
	buildErr  error
)

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "parvis-caldav-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	parvisBin, buildErr = build(tmp)
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// build compiles the server once for every test of the package.
func build(dir string) (string, error) {
	root, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		if parent := filepath.Dir(root); parent != root {
			root = parent
		} else {
			return "", errors.New("go.mod not found")
		}
	}
	bin := filepath.Join(dir, "parvis")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

type server struct {
	Base string
	out  *syncBuffer
}

// startServer makes a fresh data directory with Alice and Bob, starts `parvis serve` on a free
// loopback port and stops it when the test ends.
func startServer(t *testing.T) *server {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	data := filepath.Join(t.TempDir(), "data")
	admin(t, data, alicePassword+"\n", "person", "add", alice, "--name", "Alice")
	admin(t, data, bobPassword+"\n", "person", "add", bob, "--name", "Bob")
	admin(t, data, "", "group", "add", "atelier", "--name", "Atelier")
	admin(t, data, "", "group", "add", "bureau", "--name", "Bureau")
	admin(t, data, "", "group", "grant", "atelier", alice, "--role", "member")
	admin(t, data, "", "group", "grant", "bureau", bob, "--role", "member")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := &server{Base: "http://" + addr, out: &syncBuffer{}}
	cmd := exec.Command(parvisBin, "serve", "--data", data, "--listen", addr)
	cmd.Env = cleanEnv()
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Error("parvis serve did not stop on SIGTERM")
		}
		if t.Failed() {
			t.Logf("server output:\n%s", s.out.String())
		}
	})
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(s.Base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
	}
	t.Fatalf("parvis serve did not become healthy:\n%s", s.out.String())
	return nil
}

func admin(t *testing.T, data, stdin string, args ...string) {
	t.Helper()
	args = append(append([]string{"admin"}, args...), "--data", data)
	cmd := exec.Command(parvisBin, args...)
	cmd.Env = cleanEnv()
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("parvis %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// cleanEnv drops PARVIS_* settings of the developer, so they cannot change the server under test.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PARVIS_") {
			env = append(env, kv)
		}
	}
	return env
}

// run runs a client program with a deadline and returns its combined output.
func run(t *testing.T, env []string, name string, args ...string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is not installed (run scripts/test-deps.sh): %v", name, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(cleanEnv(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

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
