package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// apiJSON sends an API request with Basic credentials and decodes the JSON answer into out.
func (ts *testServer) apiJSON(t *testing.T, want int, method, path, user, body string, out any) {
	t.Helper()
	var hdr []string
	if body != "" {
		hdr = []string{"Content-Type", "application/json"}
	}
	got, _ := ts.must(t, want, req{method: method, path: path, user: user, body: body, headers: hdr})
	if out != nil {
		if err := json.Unmarshal([]byte(got), out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, got)
		}
	}
}

type trashList struct {
	Items []struct {
		ID   int64  `json:"id"`
		Path string `json:"path"`
	} `json:"items"`
}

// TestDeleteRestore deletes a file and a folder over WebDAV and restores them byte for byte from
// the trash, to their place or to another when it is taken.
func TestDeleteRestore(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/CR", user: alice})
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/CR/2026", user: alice})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/CR/2026/mars.odt", user: alice, body: "compte rendu de mars"})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/budget.ods", user: alice, body: strings.Repeat("€", 40000)})
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/budget.ods", user: alice})
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/CR", user: alice})
	ts.must(t, 404, req{method: "GET", path: "/dav/files/atelier/CR/2026/mars.odt", user: alice})

	var list trashList
	ts.apiJSON(t, 200, "GET", "/api/groups/atelier/trash", alice, "", &list)
	if len(list.Items) != 2 || list.Items[0].Path != "/CR" || list.Items[1].Path != "/budget.ods" {
		t.Fatalf("trash: %+v", list)
	}
	ts.apiJSON(t, 403, "GET", "/api/groups/atelier/trash", gus, "", nil)
	ts.apiJSON(t, 404, "GET", "/api/groups/atelier/trash", bob, "", nil)

	ts.apiJSON(t, 200, "POST", fmt.Sprintf("/api/groups/atelier/trash/%d/restore", list.Items[0].ID), alice, "", nil)
	body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/CR/2026/mars.odt", user: alice})
	if body != "compte rendu de mars" {
		t.Fatalf("restored folder's file: %q", body)
	}
	// The original place is taken: the restore says so, and goes elsewhere when asked.
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/budget.ods", user: alice, body: "nouveau budget"})
	restore := fmt.Sprintf("/api/groups/atelier/trash/%d/restore", list.Items[1].ID)
	ts.apiJSON(t, 409, "POST", restore, alice, "", nil)
	ts.apiJSON(t, 200, "POST", restore, alice, `{"dest": "/archives/budget (supprimé).ods"}`, nil)
	body, _ = ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/archives/budget%20(supprim%C3%A9).ods", user: alice})
	if body != strings.Repeat("€", 40000) {
		t.Fatal("restored file differs")
	}
	ts.apiJSON(t, 200, "GET", "/api/groups/atelier/trash", alice, "", &list)
	if len(list.Items) != 0 {
		t.Fatalf("trash after restores: %+v", list)
	}
}

// TestOverwriteVersions overwrites a file three times and checks the three previous contents are
// listed, downloadable and restorable, and that a restore can itself be undone.
func TestOverwriteVersions(t *testing.T) {
	ts := newTestServer(t)
	for i := 1; i <= 4; i++ {
		ts.must(t, map[bool]int{true: 201, false: 204}[i == 1], req{method: "PUT", path: "/dav/files/atelier/statuts.odt", user: alice, body: fmt.Sprintf("statuts, version %d", i)})
	}
	var list struct {
		Versions []struct {
			ID       int64  `json:"id"`
			Download string `json:"download"`
		} `json:"versions"`
	}
	ts.apiJSON(t, 200, "GET", "/api/groups/atelier/versions?path=/statuts.odt", gus, "", &list)
	if len(list.Versions) != 3 {
		t.Fatalf("%d versions, want 3", len(list.Versions))
	}
	for i, v := range list.Versions { // newest first: 3, 2, 1
		body, _ := ts.must(t, 200, req{method: "GET", path: v.Download, user: alice})
		if want := fmt.Sprintf("statuts, version %d", 3-i); body != want {
			t.Fatalf("version %d: %q, want %q", v.ID, body, want)
		}
	}
	oldest := list.Versions[2].ID
	ts.apiJSON(t, 403, "POST", fmt.Sprintf("/api/groups/atelier/versions/%d/restore?path=/statuts.odt", oldest), gus, "", nil)
	ts.apiJSON(t, 200, "POST", fmt.Sprintf("/api/groups/atelier/versions/%d/restore?path=/statuts.odt", oldest), alice, "", nil)
	body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/statuts.odt", user: alice})
	if body != "statuts, version 1" {
		t.Fatalf("after restore: %q", body)
	}
	ts.apiJSON(t, 200, "GET", "/api/groups/atelier/versions?path=/statuts.odt", alice, "", &list)
	got, _ := ts.must(t, 200, req{method: "GET", path: list.Versions[0].Download, user: alice})
	if len(list.Versions) != 3 || got != "statuts, version 4" {
		t.Fatalf("the replaced content must be the newest version: %d versions, newest %q", len(list.Versions), got)
	}
	ts.must(t, 404, req{method: "GET", path: "/dav/files/atelier/statuts.odt?version=999999", user: alice})
}

// TestRetentionAndEmptying: items older than the retention are purged (the clock is passed in),
// animators alone may empty the trash, and emptying is audited.
func TestRetentionAndEmptying(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/" + name, user: alice, body: name})
	}
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/a.txt", user: alice})
	files := ts.srv.in.files
	if n, _, _ := files.Expire(ctx, time.Now().Add(29*24*time.Hour)); n != 0 {
		t.Fatalf("purged %d items before 30 days", n)
	}
	if n, _, _ := files.Expire(ctx, time.Now().Add(31*24*time.Hour)); n != 1 {
		t.Fatalf("purged %d items after 31 days, want 1", n)
	}
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/b.txt", user: alice})
	// MOVE over an existing file sends the replaced one to the trash too.
	ts.must(t, 201, req{method: "MOVE", path: "/dav/files/atelier/c.txt", user: alice, headers: []string{"Destination", "/dav/files/atelier/b2.txt"}})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/d.txt", user: alice, body: "d"})
	ts.must(t, 204, req{method: "MOVE", path: "/dav/files/atelier/d.txt", user: alice, headers: []string{"Destination", "/dav/files/atelier/b2.txt"}})
	var list trashList
	ts.apiJSON(t, 200, "GET", "/api/groups/atelier/trash", alice, "", &list)
	if len(list.Items) != 2 || list.Items[0].Path != "/b2.txt" {
		t.Fatalf("trash: %+v", list)
	}
	ts.apiJSON(t, 403, "DELETE", "/api/groups/atelier/trash", alice, "", nil)
	var emptied struct{ Purged int }
	ts.apiJSON(t, 200, "DELETE", "/api/groups/atelier/trash", anna, "", &emptied)
	if emptied.Purged != 2 {
		t.Fatalf("emptied %d", emptied.Purged)
	}
	log, _ := ts.srv.in.db.R(ctx).AuditLog(5)
	if len(log) == 0 || log[0].Action != "trash.empty" || log[0].Actor != anna {
		t.Fatalf("emptying not audited: %+v", log)
	}
}

// TestTrashIDsAreNeverReused: after a restore, the next item put in the trash gets a new id, so a
// trash page left open cannot restore or purge another item than the one it shows.
func TestTrashIDsAreNeverReused(t *testing.T) {
	ts := newTestServer(t)
	trash := func() int64 {
		var list struct{ Items []struct{ ID int64 } }
		ts.apiJSON(t, 200, "GET", "/api/groups/atelier/trash", alice, "", &list)
		if len(list.Items) != 1 {
			t.Fatalf("trash: %+v", list)
		}
		return list.Items[0].ID
	}
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/premier.txt", user: alice, body: "1"})
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/premier.txt", user: alice})
	first := trash()
	ts.apiJSON(t, 200, "POST", fmt.Sprintf("/api/groups/atelier/trash/%d/restore", first), alice, "", nil)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/second.txt", user: alice, body: "2"})
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/second.txt", user: alice})
	if second := trash(); second == first {
		t.Fatalf("the second item got the restored item's id %d", first)
	}
	if code, _, _ := ts.do(t, req{method: "POST", path: fmt.Sprintf("/api/groups/atelier/trash/%d/restore", first), user: alice}); code != 404 {
		t.Fatalf("restoring the old id again: %d, want 404", code)
	}
}
