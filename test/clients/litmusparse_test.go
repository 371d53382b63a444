package clients

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

type litmusSummary struct{ run, passed, failed, skipped int }

type litmusFailure struct {
	num    int
	name   string
	detail string
}

type litmusResult struct {
	summary  map[string]litmusSummary
	failures []litmusFailure
	warnings []string
}

var (
	litmusTestLine = regexp.MustCompile(`^\s*(\d+)\.\s*(\w+?)\.*\s(.*)$`)
	litmusSummLine = regexp.MustCompile("^<- summary for `(\\w+)': of (\\d+) tests run: (\\d+) passed, (\\d+) failed")
	litmusSkipLine = regexp.MustCompile(`^-> (\d+) tests? (?:was|were) skipped`)
	litmusRunLine  = regexp.MustCompile("^-> running `(\\w+)'")
)

// parseLitmus reads litmus' output. litmus prints each test name twice
// on a line, separated by a carriage return (progress, then result), a
// FAIL's reason may span lines, and a warning ends the line early and
// puts the result on the next one.
func parseLitmus(out string) litmusResult {
	res := litmusResult{summary: map[string]litmusSummary{}}
	var suite string
	var cur *litmusFailure // the failure whose reason continues
	skipped := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		if i := strings.LastIndex(line, "\r"); i >= 0 {
			line = line[i+1:]
		}
		if m := litmusRunLine.FindStringSubmatch(line); m != nil {
			suite, cur = m[1], nil
			continue
		}
		if m := litmusSkipLine.FindStringSubmatch(line); m != nil {
			skipped[suite], _ = strconv.Atoi(m[1])
			continue
		}
		if m := litmusSummLine.FindStringSubmatch(line); m != nil {
			n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
			res.summary[m[1]] = litmusSummary{run: n(2), passed: n(3), failed: n(4), skipped: skipped[m[1]]}
			cur = nil
			continue
		}
		if i := strings.Index(line, "WARNING:"); i >= 0 {
			cur = nil
			name := ""
			if m := litmusTestLine.FindStringSubmatch(line); m != nil {
				name = m[2] + ": "
			}
			res.warnings = append(res.warnings, suite+"."+name+strings.TrimSpace(line[i+len("WARNING:"):]))
			continue
		}
		if m := litmusTestLine.FindStringSubmatch(line); m != nil {
			cur = nil
			if result := m[3]; strings.HasPrefix(result, "FAIL") {
				num, _ := strconv.Atoi(m[1])
				res.failures = append(res.failures, litmusFailure{num: num, name: m[2],
					detail: strings.TrimSpace(strings.TrimPrefix(result, "FAIL ("))})
				if !strings.HasSuffix(result, ")") { // the reason goes on
					cur = &res.failures[len(res.failures)-1]
				}
			}
			continue
		}
		if cur != nil && strings.TrimSpace(line) != "" {
			cur.detail += " " + strings.TrimSpace(line)
			if strings.HasSuffix(line, ")") {
				cur = nil
			}
		}
	}
	for i := range res.failures { // "FAIL (reason)": drop the closing parenthesis
		res.failures[i].detail = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(res.failures[i].detail), ")"))
	}
	return res
}

// litmusSample is litmus 0.13 output, as piped, with the shapes the
// parser must handle: progress and result on one line split by a
// carriage return, a failure reason spanning lines, a warning, skips.
const litmusSample = "-> running `locks':\n" +
	"\r 0. init.................. \r 0. init.................. pass\n" +
	"\r11. owner_modify.......... \r11. owner_modify.......... FAIL (PROPPATCH on locked resouce on `/x': http://h/x: 403 Forbidden\n" +
	")\n" +
	"\r18. cond_put_corrupt_token WARNING: PUT failed with 412 not 423\n" +
	"    ...................... pass (with 1 warning)\n" +
	"    ...................... \r19. complex_cond_put...... pass\n" +
	"\r23. lock_shared........... \r23. lock_shared........... FAIL (LOCK on `/x': 501 Not Implemented)\n" +
	"\r24. notowner_modify....... \r24. notowner_modify....... SKIPPED\n" +
	"-> 7 tests were skipped.\n" +
	"<- summary for `locks': of 34 tests run: 30 passed, 4 failed. 88.2%\n" +
	"-> 1 warning was issued.\n"

// TestParseLitmus keeps the litmus parser honest without a server: a
// parser that found no failure in failing output would make TestLitmus
// pass whatever the server does.
func TestParseLitmus(t *testing.T) {
	res := parseLitmus(litmusSample)
	if got, want := res.summary["locks"], (litmusSummary{run: 34, passed: 30, failed: 4, skipped: 7}); got != want {
		t.Errorf("summary = %+v, want %+v", got, want)
	}
	want := []litmusFailure{
		{11, "owner_modify", "PROPPATCH on locked resouce on `/x': http://h/x: 403 Forbidden"},
		{23, "lock_shared", "LOCK on `/x': 501 Not Implemented"},
	}
	if len(res.failures) != len(want) {
		t.Fatalf("failures = %+v, want %+v", res.failures, want)
	}
	for i := range want {
		if res.failures[i] != want[i] {
			t.Errorf("failure %d = %+v, want %+v", i, res.failures[i], want[i])
		}
	}
	if len(res.warnings) != 1 || res.warnings[0] != "locks.cond_put_corrupt_token: PUT failed with 412 not 423" {
		t.Errorf("warnings = %q", res.warnings)
	}
}
