package server

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// These replay, request by request, what clients we cannot run here send when they save a file:
// Windows' WebDAV mini-redirector (Explorer, Office) and macOS Finder. Each step's status is what
// the client needs to go on; a different one is where the real client would give up.

// TestWindowsSaveSequence: OPTIONS without credentials, PROPFIND, LOCK, PUT under the lock,
// PROPPATCH of the Win32 times under the lock, UNLOCK, and the file is there.
func TestWindowsSaveSequence(t *testing.T) {
	ts := newTestServer(t)
	_, h := ts.must(t, 200, req{method: "OPTIONS", path: "/"})
	if !strings.Contains(h.Get("DAV"), "2") || h.Get("MS-Author-Via") != "DAV" {
		t.Fatalf("Windows needs class 2 and MS-Author-Via: %v", h)
	}
	ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/", user: alice, headers: []string{"Depth", "0"}})
	ts.must(t, 404, req{method: "PROPFIND", path: "/dav/files/atelier/Nouveau document.docx", user: alice, headers: []string{"Depth", "0"}})
	_, h = ts.must(t, 201, req{method: "LOCK", path: "/dav/files/atelier/Nouveau document.docx", user: alice,
		headers: []string{"Timeout", "Second-3600"}, body: `<?xml version="1.0" encoding="utf-8" ?><D:lockinfo xmlns:D="DAV:">
<D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner><D:href>PC-ASSO\alice</D:href></D:owner></D:lockinfo>`})
	token := h.Get("Lock-Token")
	ifh := "(" + token + ")"
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/atelier/Nouveau document.docx", user: alice, body: "PK\x03\x04 contenu", headers: []string{"If", ifh}})
	body, _ := ts.must(t, 207, req{method: "PROPPATCH", path: "/dav/files/atelier/Nouveau document.docx", user: alice, headers: []string{"If", ifh},
		body: `<?xml version="1.0" encoding="utf-8" ?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop>
<Z:Win32CreationTime>Sat, 21 Nov 2026 10:00:00 GMT</Z:Win32CreationTime><Z:Win32LastAccessTime>Sat, 21 Nov 2026 10:00:00 GMT</Z:Win32LastAccessTime>
<Z:Win32LastModifiedTime>Sat, 21 Nov 2026 10:00:00 GMT</Z:Win32LastModifiedTime><Z:Win32FileAttributes>00000020</Z:Win32FileAttributes>
</D:prop></D:set></D:propertyupdate>`})
	if strings.Count(body, "200 OK") != 1 || strings.Contains(body, "403") {
		t.Fatalf("PROPPATCH under lock:\n%s", body)
	}
	ts.must(t, 423, req{method: "PUT", path: "/dav/files/atelier/Nouveau document.docx", user: anna, body: "écrasé"})
	ts.must(t, 204, req{method: "UNLOCK", path: "/dav/files/atelier/Nouveau document.docx", user: alice, headers: []string{"Lock-Token", token}})
	got, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/Nouveau%20document.docx", user: alice})
	if got != "PK\x03\x04 contenu" {
		t.Fatalf("content %q", got)
	}
}

// TestFinderSaveSequence: Finder's PROPFIND set, an AppleDouble "._" file, a chunked upload of
// unknown length, a lock with a 10-minute timeout refreshed by a tagged If header, and a rename.
func TestFinderSaveSequence(t *testing.T) {
	ts := newTestServer(t)
	body, _ := ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/", user: alice, headers: []string{"Depth", "1"},
		body: `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getlastmodified/><D:getcontentlength/>
<D:creationdate/><D:resourcetype/><D:quota-available-bytes/><D:quota-used-bytes/></D:prop></D:propfind>`})
	if !strings.Contains(body, "quota-available-bytes>") {
		t.Fatalf("Finder shows free space from quota-available-bytes:\n%s", body)
	}
	_, h := ts.must(t, 201, req{method: "LOCK", path: "/dav/files/atelier/Budget 2027.numbers", user: alice,
		headers: []string{"Timeout", "Second-600", "Depth", "0"}, body: lockBody})
	token := h.Get("Lock-Token")
	url := ts.URL + "/dav/files/atelier/Budget%202027.numbers"
	// A chunked upload: no Content-Length, as Finder sends them.
	hr, _ := http.NewRequest("PUT", url, io.MultiReader(strings.NewReader("première partie, "), strings.NewReader("seconde partie")))
	hr.SetBasicAuth(alice, pw)
	hr.Header.Set("If", "<"+url+"> ("+token+")")
	if hr.ContentLength != 0 {
		t.Fatal("the upload must go without a length, chunked")
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("chunked PUT under a tagged If: %v %v", resp, err)
	}
	resp.Body.Close()
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/._Budget%202027.numbers", user: alice, body: "\x00\x05\x16\x07AppleDouble"})
	if body, _ := ts.must(t, 200, req{method: "LOCK", path: "/dav/files/atelier/Budget 2027.numbers", user: alice,
		headers: []string{"Timeout", "Second-600", "If", "(" + token + ")"}}); !strings.Contains(body, strings.Trim(token, "<>")) {
		t.Fatalf("refresh answer lacks the lock:\n%s", body)
	}
	ts.must(t, 204, req{method: "UNLOCK", path: "/dav/files/atelier/Budget 2027.numbers", user: alice, headers: []string{"Lock-Token", token}})
	ts.must(t, 201, req{method: "MOVE", path: "/dav/files/atelier/Budget 2027.numbers", user: alice,
		headers: []string{"Destination", ts.URL + "/dav/files/atelier/Budget%202027%20(adopt%C3%A9).numbers", "Overwrite", "F"}})
	got, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/Budget%202027%20(adopt%C3%A9).numbers", user: alice})
	if got != "première partie, seconde partie" {
		t.Fatalf("content %q", got)
	}
}
