package clients

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// requireTool fails the test when a client is not installed. It is a
// failure and not a skip on purpose: a skipped client test looks green
// in CI while nothing was checked.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed (not in PATH): run `bash scripts/test-deps.sh` (or `make test`) to install the test clients", name)
	}
	return path
}

// clientCmd describes one run of a client program.
type clientCmd struct {
	Dir     string        // working directory; the test's temp dir if empty
	Env     []string      // added to a minimal environment
	Stdin   string        // fed to the client's standard input
	Timeout time.Duration // 2 minutes if zero
}

// run runs a client and returns its combined output and exit error. The
// environment is minimal (PATH, a private HOME, C locale with UTF-8) so
// that the developer's own client configuration cannot change the
// outcome; HOME can be overridden through c.Env.
func run(t *testing.T, c clientCmd, name string, args ...string) (string, error) {
	t.Helper()
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = c.Dir
	if cmd.Dir == "" {
		cmd.Dir = t.TempDir()
	}
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"LANG=C.UTF-8",
		"LC_ALL=C.UTF-8",
		"TZ=UTC",
	}, c.Env...)
	cmd.Stdin = strings.NewReader(c.Stdin)
	out, err := cmd.CombinedOutput()
	if ctx.Err() == context.DeadlineExceeded {
		t.Errorf("%s %s: still running after %v, killed", name, strings.Join(args, " "), timeout)
	}
	return string(out), err
}
