package caldav

import (
	"strings"
	"testing"
)

// TestPythonCalDAV runs scenario.py with Debian's python3-caldav (only /usr/bin/python3 sees Debian's
// Python packages). The script prints one "ok: …" line per step and exits non-zero on the first
// failed expectation.
func TestPythonCalDAV(t *testing.T) {
	s := startServer(t)
	out, err := run(t, []string{"PARVIS_URL=" + s.Base + "/", "ALICE=" + alice, "ALICE_PW=" + alicePassword, "BOB=" + bob, "BOB_PW=" + bobPassword},
		"/usr/bin/python3", "scenario.py")
	t.Logf("python3-caldav:\n%s", out)
	if err != nil {
		t.Fatalf("scenario failed: %v", err)
	}
	for _, step := range []string{"discovery", "collections", "search", "task completion", "incremental sync", "stale etag", "meeting kinds", "isolation"} {
		if !strings.Contains(out, "ok: "+step) {
			t.Errorf("step %q did not report ok", step)
		}
	}
}

// TestPythonCalDAVScheduling runs scheduling.py: two python3-caldav clients, Alice inviting Bob
// from her agenda, through the server's inboxes (RFC 6638 implicit scheduling).
func TestPythonCalDAVScheduling(t *testing.T) {
	s := startServer(t)
	out, err := run(t, []string{"PARVIS_URL=" + s.Base + "/", "ALICE=" + alice, "ALICE_PW=" + alicePassword, "BOB=" + bob, "BOB_PW=" + bobPassword},
		"/usr/bin/python3", "scheduling.py")
	t.Logf("python3-caldav:\n%s", out)
	if err != nil {
		t.Fatalf("scheduling failed: %v", err)
	}
	for _, step := range []string{"scheduling discovery", "invitation delivered", "answer reaches the organizer", "cancellation"} {
		if !strings.Contains(out, "ok: "+step) {
			t.Errorf("step %q did not report ok", step)
		}
	}
}
