package clients

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// litmusSuites are litmus' test programs, in its own order. Apache's
// mod_dav passes all of them: 104 tests, no failure, no skip.
var litmusSuites = []string{"basic", "copymove", "props", "locks", "http"}

// TestLitmus runs the litmus WebDAV compliance suite against a group
// folder, one suite per subtest so that a failure names its suite and
// the suites' traces stay apart. litmus creates (and removes) a
// collection called litmus/ under the URL it is given. A skipped test
// counts as a failure: litmus skips the tests whose prerequisite failed.
func TestLitmus(t *testing.T) {
	t.Parallel()
	litmus := requireTool(t, "litmus")
	s := startServer(t)
	var total litmusSummary
	defer func() {
		t.Logf("litmus overall: %d tests run, %d passed, %d failed, %d skipped (Apache mod_dav: 104 passed)",
			total.run, total.passed, total.failed, total.skipped)
	}()
	for _, suite := range litmusSuites {
		t.Run(suite, func(t *testing.T) {
			dir := t.TempDir() // litmus writes debug.log and child.log here
			out, err := run(t, clientCmd{Dir: dir, Env: []string{"TESTS=" + suite}, Timeout: time.Minute},
				litmus, s.DAV("atelier/"), alice, alicePassword)
			res := parseLitmus(out)
			sum, ok := res.summary[suite]
			total.run, total.passed = total.run+sum.run, total.passed+sum.passed
			total.failed, total.skipped = total.failed+sum.failed, total.skipped+sum.skipped
			for _, w := range res.warnings {
				t.Logf("litmus warning: %s", w)
			}
			if ok && sum.failed == 0 && sum.skipped == 0 && len(res.failures) == 0 {
				t.Logf("litmus %s: %d/%d passed", suite, sum.passed, sum.run)
				return
			}
			if !ok {
				t.Errorf("litmus printed no summary for suite %s (exit: %v); output:\n%s", suite, err, out)
			} else {
				t.Errorf("litmus %s: %d run, %d passed, %d failed, %d skipped",
					suite, sum.run, sum.passed, sum.failed, sum.skipped)
			}
			for _, f := range res.failures {
				t.Errorf("FAIL %s %d. %s: %s", suite, f.num, f.name, f.detail)
			}
			logFailureTraces(t, filepath.Join(dir, "debug.log"), res.failures)
		})
	}
}

// logFailureTraces logs, for each failed test, its section of litmus'
// debug.log (the requests and responses), with neon's noise left out,
// or the log's tail when no section is found.
func logFailureTraces(t *testing.T, debugLog string, failures []litmusFailure) {
	t.Helper()
	b, err := os.ReadFile(debugLog)
	if err != nil {
		t.Logf("no litmus debug.log: %v", err)
		return
	}
	log := string(b)
	found := false
	for _, f := range failures {
		start := strings.Index(log, fmt.Sprintf("******* Running test %d: %s ***", f.num, f.name))
		if start < 0 {
			continue
		}
		found = true
		section := log[start:]
		if end := strings.Index(section[1:], "******* Running test "); end >= 0 {
			section = section[:end+1]
		}
		t.Logf("litmus debug.log for %d. %s:\n%s", f.num, f.name, tail(quietTrace(section), 150))
	}
	if !found {
		t.Logf("litmus debug.log (tail):\n%s", tail(log, 60))
	}
}

// neonNoise are debug.log line prefixes that say nothing about the
// exchange with the server.
// The credentials line is dropped too: logs end up in CI output.
var neonNoise = []string{"auth: ", "Header Name:", "Running ", "Sending request-line",
	"Request sent", "Reading ", "Got ", "End of headers", "[hdr] ", "ah_", "sess: ",
	"Connection ", "Doing DNS", "Sending request headers:", "Sending request body:",
	"Aborted request", "Persistent connection", "Closing connection", "Request ends",
	"XML: ", "Decoded status line", "User-Agent: ", "Connection: TE", "TE: trailers",
	"Host: ", "Authorization: ", "Body block", "Read block"}

func quietTrace(section string) string {
	var keep []string
	for _, line := range strings.Split(section, "\n") {
		noisy := false
		for _, p := range neonNoise {
			if strings.HasPrefix(line, p) && !strings.HasPrefix(line, "******* Running test") {
				noisy = true
				break
			}
		}
		if !noisy {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}
