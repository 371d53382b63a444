package server

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// run runs the parvis binary with exactly the environment variables given (none inherited), the
// given standard input and arguments, and returns its exit status and outputs: the command line
// tested as an administrator's script runs it, against the data the test's server uses.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(parvisBinary(t), args...)
	cmd.Env = []string{}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("parvis %s: %v", strings.Join(args, " "), err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}
