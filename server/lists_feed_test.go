package server

import (
	"context"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"parvis/access"
	"parvis/config"
)

// sympaLine is how Sympa's file data source reads a line: an address, then optionally a name.
var sympaLine = regexp.MustCompile(`\A\s*(\S+)(?:\s+(\S.*))?\z`)

// feedMembers fetches a list's feed as Sympa's include_remote_file does (HTTP Basic) and reads
// it as Sympa does: comments and blank lines skipped, address then name.
func feedMembers(t *testing.T, ts *testServer, address, password string) (int, map[string]string) {
	t.Helper()
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(access.ListFeedUser+":"+password))
	code, body, h := ts.do(t, req{method: "GET", path: "/lists/feed/" + address, headers: []string{"Authorization", auth}})
	if code != 200 {
		return code, nil
	}
	if ct := h.Get("Content-Type"); ct != "text/plain; charset=utf-8" || h.Get("Cache-Control") != "no-store" {
		t.Errorf("the feed's Content-Type %q, Cache-Control %q", ct, h.Get("Cache-Control"))
	}
	out := map[string]string{}
	for _, line := range strings.Split(body, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		m := sympaLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("a line Sympa cannot read: %q", line)
		}
		out[m[1]] = m[2]
	}
	return code, out
}

// TestListFeedForSympa: the feed a Sympa list reads holds the list's members in force, with
// their names, and follows dues without anyone touching Sympa; wrong passwords are refused and,
// repeated, lock the address out; without a feed password there is no feed at all.
func TestListFeedForSympa(t *testing.T) {
	ts, _, _ := listServer(t, func(c *config.Config) { c.Lists.FeedPassword = feedPassword })
	atelierList(t, ts)
	ctx := context.Background()
	annaP, _ := ts.srv.in.db.R(ctx).PersonByEmail(anna)
	if _, err := ts.srv.in.access.Rename(ctx, annaP, "Anna  Dupont-Lefèvre"); err != nil {
		t.Fatal(err)
	}
	code, got := feedMembers(t, ts, "atelier", feedPassword)
	if code != 200 || len(got) != 2 || got[alice] != "" || got[anna] != "Anna Dupont-Lefèvre" {
		t.Fatalf("the feed: %d %v, want alice (no name given) and anna with her name (not the guest, not bob of another group)", code, got)
	}
	duesSeason(t, ts, anna)
	if _, got = feedMembers(t, ts, "atelier", feedPassword); len(got) != 1 || got[anna] == "" {
		t.Fatalf("after alice's dues lapsed the feed holds %v, want anna only", got)
	}
	payDues(t, ts, alice)
	if _, got = feedMembers(t, ts, "ATELIER", feedPassword); len(got) != 2 {
		t.Fatalf("after alice paid the feed holds %v", got)
	}

	if code, _ := feedMembers(t, ts, "atelier", "mauvais"); code != 401 {
		t.Fatalf("a wrong feed password: %d, want 401", code)
	}
	for i := 0; i < 40; i++ {
		feedMembers(t, ts, "atelier", "mauvais")
	}
	if code, _ := feedMembers(t, ts, "atelier", feedPassword); code != 429 {
		t.Fatalf("after 40 wrong passwords from the address, the right one: %d, want 429 (locked out)", code)
	}

	closed, _, _ := listServer(t)
	atelierList(t, closed)
	if code, _ := feedMembers(t, closed, "atelier", ""); code != 404 {
		t.Fatalf("without lists.feed_password: %d, want 404", code)
	}
}
