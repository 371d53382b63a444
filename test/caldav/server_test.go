package caldav

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"parvis/test/harness"
)

// The accounts and the server come from the shared harness: Alice is a member of atelier, Bob of
// bureau.
const (
	alice         = harness.Alice
	alicePassword = harness.AlicePassword
	bob           = harness.Bob
	bobPassword   = harness.BobPassword
)

func TestMain(m *testing.M) { harness.Main(m) }

// server is the harness' server, extended with this package's request helpers.
type server struct{ *harness.Server }

func startServer(t *testing.T) *server { return &server{harness.Start(t)} }

func cleanEnv() []string { return harness.CleanEnv() }

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
