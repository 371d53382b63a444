package server

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"parvis/access"
	"parvis/storage/db"
)

// rawPut writes a PUT announcing length bytes but sends only sent bytes, then closes the connection:
// with a FIN, or with a reset when reset is true. It returns what the server answered, if anything.
func rawPut(t *testing.T, ts *testServer, path string, length int, sent string, reset bool) string {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	auth := base64.StdEncoding.EncodeToString([]byte(alice + ":" + pw))
	fmt.Fprintf(c, "PUT %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Basic %s\r\nContent-Length: %d\r\n\r\n%s", path, u.Host, auth, length, sent)
	if reset {
		c.(*net.TCPConn).SetLinger(0) // Close sends RST
		c.Close()
		return ""
	}
	c.(*net.TCPConn).CloseWrite()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, _ := bufio.NewReader(c).ReadString('\n')
	c.Close()
	return line
}

// TestInterruptedUploadsKeepPreviousVersion sends truncated and reset uploads over an existing file
// and a new one: the existing file keeps its content, the new one never appears, no temporary file
// stays behind.
func TestInterruptedUploadsKeepPreviousVersion(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/pv.txt", user: alice, body: "procès-verbal v1"})
	for _, reset := range []bool{false, true} {
		status := rawPut(t, ts, "/dav/files/atelier/pv.txt", 1<<20, strings.Repeat("v2", 1000), reset)
		if strings.Contains(status, " 2") {
			t.Fatalf("a truncated upload was acknowledged: %q", status)
		}
		rawPut(t, ts, "/dav/files/atelier/nouveau.txt", 1<<20, strings.Repeat("x", 5000), reset)
	}
	// The server notices the broken connections asynchronously; give it a moment.
	deadline := time.Now().Add(5 * time.Second)
	for {
		tmp, _ := os.ReadDir(filepath.Join(ts.cfg.DataDir, "blobs", "tmp"))
		if len(tmp) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d temporary uploads left behind", len(tmp))
		}
		time.Sleep(50 * time.Millisecond)
	}
	body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/pv.txt", user: alice})
	if body != "procès-verbal v1" {
		t.Fatalf("previous version lost: %q", body)
	}
	ts.must(t, 404, req{method: "GET", path: "/dav/files/atelier/nouveau.txt", user: alice})
}

// TestConcurrentIfMatchWriters races writers that all hold the same ETag: exactly one may win each
// round, the others get 412, and the file holds the winner's content. No update is lost.
func TestConcurrentIfMatchWriters(t *testing.T) {
	ts := newTestServer(t)
	_, h := ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/budget.ods", user: alice, body: "v0"})
	etag := h.Get("ETag")
	for round := 0; round < 5; round++ {
		const writers = 8
		var wg sync.WaitGroup
		codes := make([]int, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				hr, _ := http.NewRequest("PUT", ts.URL+"/dav/files/atelier/budget.ods", strings.NewReader(fmt.Sprintf("round %d writer %d", round, i)))
				hr.SetBasicAuth(alice, pw)
				hr.Header.Set("If-Match", etag)
				resp, err := http.DefaultClient.Do(hr)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				codes[i] = resp.StatusCode
			}()
		}
		wg.Wait()
		wins, winner := 0, -1
		for i, c := range codes {
			switch c {
			case 204:
				wins, winner = wins+1, i
			case 412:
			default:
				t.Fatalf("round %d: unexpected status %d", round, c)
			}
		}
		if wins != 1 {
			t.Fatalf("round %d: %d writers won with the same ETag (codes %v)", round, wins, codes)
		}
		body, h := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/budget.ods", user: alice})
		if want := fmt.Sprintf("round %d writer %d", round, winner); body != want {
			t.Fatalf("round %d: content %q, want the winner's %q", round, body, want)
		}
		etag = h.Get("ETag")
	}
}

// TestLocksSurviveRestart takes a lock, restarts the server on the same data, and checks the lock
// still holds against writes without its token, is not released by another member, and is
// released with it.
func TestLocksSurviveRestart(t *testing.T) {
	cfg := testConfig(t)
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	if err := ts.srv.in.access.Grant(context.Background(), access.CLI, "atelier", bob, db.RoleMember, time.Time{}); err != nil {
		t.Fatal(err)
	}
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/ag.odt", user: alice, body: "ordre du jour"})
	_, h := ts.must(t, 200, req{method: "LOCK", path: "/dav/files/atelier/ag.odt", user: alice, body: lockBody, headers: []string{"Timeout", "Second-600"}})
	token := h.Get("Lock-Token")
	if token == "" {
		t.Fatal("no Lock-Token")
	}
	ts.Close()
	ts.srv.Close()

	ts = serveConfig(t, cfg)
	ts.must(t, 423, req{method: "PUT", path: "/dav/files/atelier/ag.odt", user: alice, body: "écrasé"})
	ts.must(t, 423, req{method: "DELETE", path: "/dav/files/atelier/ag.odt", user: anna})
	ts.must(t, 423, req{method: "LOCK", path: "/dav/files/atelier/ag.odt", user: anna, body: lockBody})
	ts.must(t, 403, req{method: "UNLOCK", path: "/dav/files/atelier/ag.odt", user: bob, headers: []string{"Lock-Token", token}})
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/atelier/ag.odt", user: alice, body: "v2", headers: []string{"If", "(" + token + ")"}})
	ts.must(t, 204, req{method: "UNLOCK", path: "/dav/files/atelier/ag.odt", user: alice, headers: []string{"Lock-Token", token}})
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/atelier/ag.odt", user: anna, body: "v3"})
}

// davSignIn sends a DAV client's request with these credentials and returns the status.
func davSignIn(t *testing.T, ts *testServer, user, password string) int {
	return davSignInVia(t, http.DefaultClient, ts.URL, user, password)
}

// TestLoginThrottle checks that repeated wrong passwords lock the account out for a while, and that
// the right password is then refused too (an attacker cannot tell).
func TestLoginThrottle(t *testing.T) {
	ts := newTestServer(t)
	try := func(password string) int { return davSignIn(t, ts, bob, password) }
	for i := 0; i < 10; i++ {
		if c := try("devine"); c != 401 {
			t.Fatalf("attempt %d: %d", i, c)
		}
	}
	if c := try("devine"); c != 429 {
		t.Fatalf("after 10 failures: %d, want 429", c)
	}
	if c := try(pw); c != 429 {
		t.Fatalf("right password during lock-out: %d, want 429", c)
	}
}

// TestAnimatorRemovesADepartedMembersLock: a lock held by someone who left stops the group's work
// until it expires; the group's animator may remove it, a member may not.
func TestAnimatorRemovesADepartedMembersLock(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/budget.ods", user: alice, body: "budget"})
	_, h := ts.must(t, 200, req{method: "LOCK", path: "/dav/files/atelier/budget.ods", user: alice, body: lockBody, headers: []string{"Timeout", "Second-3600"}})
	if err := ts.srv.in.access.Remove(context.Background(), access.CLI, "atelier", alice); err != nil {
		t.Fatal(err)
	}
	ts.must(t, 423, req{method: "PUT", path: "/dav/files/atelier/budget.ods", user: anna, body: "budget 2027"})
	ts.must(t, 204, req{method: "UNLOCK", path: "/dav/files/atelier/budget.ods", user: anna, headers: []string{"Lock-Token", h.Get("Lock-Token")}})
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/atelier/budget.ods", user: anna, body: "budget 2027"})
}

// TestLoginThrottleHoldsUnderParallelGuesses: a client's parallel connections with the right
// password all get in; guesses sent all at once get no more checks than the limit; and the owner's device syncing meanwhile (a remembered sign-in, revalidated every few
// seconds) neither stops nor reopens the window for the guesser.
func TestLoginThrottleHoldsUnderParallelGuesses(t *testing.T) {
	ts := newTestServer(t)
	dav := func(password string) int { return davSignIn(t, ts, bob, password) }
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for range 30 { // the owner's sync client opening its connections at once: one check, one attempt
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := dav(pw)
			mu.Lock()
			codes[c]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[207] != 30 {
		t.Fatalf("30 parallel requests with the right password: %v", codes)
	}
	codes = map[int]int{}
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := dav(fmt.Sprintf("devinette-%d", i)) // all different: no check is shared
			mu.Lock()
			codes[c]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[401] != 10 || codes[429] != 30 {
		t.Fatalf("40 parallel guesses: %v, want 10 checked and 30 refused", codes)
	}
	time.Sleep(3100 * time.Millisecond) // past revalidateAfter: the device's sign-in is read again
	if c := dav(pw); c != 207 {
		t.Fatalf("the owner's device during the lock-out: %d", c)
	}
	if c := dav("encore une"); c != 429 {
		t.Fatalf("a guess after the device synced: %d, want 429", c)
	}
}
