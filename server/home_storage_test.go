package server

import (
	"strings"
	"testing"
)

// TestHomeStorageWarning: administrators are told on their home page that no partner keeps a copy;
// members are not (nothing they can do about it).
func TestHomeStorageWarning(t *testing.T) {
	ts := newTestServer(t)
	admin, _ := withAdmin(t, ts)
	admin.lang = "en"
	if _, body, _ := admin.do("GET", "/", nil); !strings.Contains(body, "No copy at a partner association") ||
		!strings.Contains(body, `href="/admin/storage"`) {
		t.Fatalf("administrator's home lacks the storage warning:\n%s", body)
	}
	member := accountBrowser(t, ts, alice, "en")
	if _, body, _ := member.do("GET", "/", nil); strings.Contains(body, "No copy at a partner") {
		t.Fatal("a member's home shows the storage warning")
	}
}
