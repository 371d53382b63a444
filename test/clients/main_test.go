package clients

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// parvisBin is the server binary under test, built once in TestMain.
// When the build fails, buildErr holds the reason and every test that
// needs a server fails with it: the client tests must not go green (or
// silently skip) just because the server is not there.
var (
	parvisBin string
	buildErr  error
)

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "parvis-clients-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "clients:", err)
		os.Exit(1)
	}
	parvisBin, buildErr = buildParvis(tmp)
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// buildParvis compiles the module's main package into dir, or returns
// PARVIS_TEST_BIN when it is set.
func buildParvis(dir string) (string, error) {
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
