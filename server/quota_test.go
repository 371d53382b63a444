package server

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"parvis/access"
)

// TestQuota sets a 100 KB quota and checks: an announced upload beyond it is refused with 507
// before the body is sent; a chunked one is cut off mid-stream with 507; nothing of either is
// stored; an overwrite may use the room of the version it replaces; PROPFIND reports the quota.
func TestQuota(t *testing.T) {
	ts := newTestServer(t)
	if err := ts.srv.in.access.SetQuota(context.Background(), access.CLI, "atelier", 100_000); err != nil {
		t.Fatal(err)
	}
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/a.bin", user: alice, body: strings.Repeat("a", 60_000)})

	// Announced beyond the quota, with Expect: 100-continue: the answer comes before any body byte.
	u, _ := url.Parse(ts.URL)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	auth := base64.StdEncoding.EncodeToString([]byte(alice + ":" + pw))
	fmt.Fprintf(c, "PUT /dav/files/atelier/b.bin HTTP/1.1\r\nHost: %s\r\nAuthorization: Basic %s\r\nContent-Length: 50000\r\nExpect: 100-continue\r\n\r\n", u.Host, auth)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	status, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.Contains(status, "507") {
		t.Fatalf("announced upload over quota: %q %v, want 507 before the body", status, err)
	}

	// Chunked, of unknown length: refused once it passes what is left.
	hr, _ := http.NewRequest("PUT", ts.URL+"/dav/files/atelier/c.bin", io.MultiReader(strings.NewReader(strings.Repeat("c", 30_000)), strings.NewReader(strings.Repeat("c", 30_000))))
	hr.SetBasicAuth(alice, pw)
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 507 {
		t.Fatalf("chunked upload over quota: %d, want 507", resp.StatusCode)
	}
	ts.must(t, 404, req{method: "GET", path: "/dav/files/atelier/b.bin", user: alice})
	ts.must(t, 404, req{method: "GET", path: "/dav/files/atelier/c.bin", user: alice})

	// Replacing a.bin by 90 KB fits: its 60 KB are given back.
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/atelier/a.bin", user: alice, body: strings.Repeat("A", 90_000)})
	body, _ := ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/", user: alice, headers: []string{"Depth", "0"},
		body: `<D:propfind xmlns:D="DAV:"><D:prop><D:quota-available-bytes/><D:quota-used-bytes/></D:prop></D:propfind>`})
	if !strings.Contains(body, "<D:quota-available-bytes>10000<") || !strings.Contains(body, "<D:quota-used-bytes>90000<") {
		t.Fatalf("quota properties:\n%s", body)
	}
	// Copying it would pass the quota.
	ts.must(t, 507, req{method: "COPY", path: "/dav/files/atelier/a.bin", user: alice, headers: []string{"Destination", "/dav/files/atelier/copie.bin"}})
	ts.must(t, 404, req{method: "GET", path: "/dav/files/atelier/copie.bin", user: alice})
}

// TestKeptBoundedByQuota: what the trash and versions keep outside the quota may not exceed the
// quota itself; the oldest goes first.
func TestKeptBoundedByQuota(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	if err := ts.srv.in.access.SetQuota(ctx, access.CLI, "atelier", 100_000); err != nil {
		t.Fatal(err)
	}
	for i, c := range []string{"a", "b", "c", "d"} {
		ts.must(t, map[bool]int{true: 201, false: 204}[i == 0], req{method: "PUT", path: "/dav/files/atelier/f.bin", user: alice, body: strings.Repeat(c, 40_000)})
	}
	g, _ := ts.srv.in.files.Group(ctx, 1)
	if g.VersionBytes != 120_000 {
		t.Fatalf("versions hold %d bytes, want 120000", g.VersionBytes)
	}
	if _, _, err := ts.srv.in.files.Expire(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	g, _ = ts.srv.in.files.Group(ctx, 1)
	if g.VersionBytes != 80_000 || g.UsedBytes != 40_000 {
		t.Fatalf("after bounding: versions %d, used %d; want 80000 and 40000", g.VersionBytes, g.UsedBytes)
	}
	_, vs, _ := ts.srv.in.files.Versions(ctx, 1, "/f.bin")
	if len(vs) != 2 {
		t.Fatalf("%d versions left, want the 2 newest", len(vs))
	}
	body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/f.bin?version=" + strconv.FormatInt(vs[1].ID, 10), user: alice})
	if body != strings.Repeat("b", 40_000) {
		t.Fatal("the oldest version was not the one dropped")
	}
}
