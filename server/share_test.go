package server

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"parvis/access"
	"parvis/storage/db"
)

type shareItem struct {
	ID        int64  `json:"id"`
	URL       string `json:"url"`
	Downloads int64  `json:"downloads"`
	Uploads   int64  `json:"uploads"`
	MadeBy    string `json:"made_by"`
}

// visitor is someone without an account, with a browser's cookies.
func visitor(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func fetch(t *testing.T, c *http.Client, method, u string, body io.Reader, ctype string) (int, string) {
	t.Helper()
	r, _ := http.NewRequest(method, u, body)
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	resp, err := c.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// shareURL makes a link through the API and returns its public URL on the test server.
func (ts *testServer) share(t *testing.T, user, body string) shareItem {
	t.Helper()
	var s shareItem
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/shares", user, body, &s)
	u, _ := url.Parse(s.URL)
	s.URL = ts.URL + u.Path
	return s
}

func TestShareLinks(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/AG", user: alice})
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/AG/annexes", user: alice})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/AG/rapport moral.odt", user: alice, body: "rapport moral 2026"})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/AG/annexes/budget.ods", user: alice, body: "budget"})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/secret.txt", user: alice, body: "pas pour vous"})
	v := visitor(t)

	// A file, openly.
	f := ts.share(t, alice, `{"path": "/AG/rapport moral.odt"}`)
	if code, body := fetch(t, v, "GET", f.URL, nil, ""); code != 200 || !strings.Contains(body, "rapport moral.odt") {
		t.Fatalf("file page: %d\n%s", code, body)
	}
	if code, body := fetch(t, v, "GET", f.URL+"/download", nil, ""); code != 200 || body != "rapport moral 2026" {
		t.Fatalf("download: %d %q", code, body)
	}
	// A folder: listing, a file inside, the zip, and nothing outside.
	d := ts.share(t, alice, `{"path": "/AG"}`)
	if code, body := fetch(t, v, "GET", d.URL, nil, ""); code != 200 || !strings.Contains(body, "annexes/") || !strings.Contains(body, "rapport moral.odt") {
		t.Fatalf("folder page: %d\n%s", code, body)
	}
	if code, body := fetch(t, v, "GET", d.URL+"/download?path=/annexes/budget.ods", nil, ""); code != 200 || body != "budget" {
		t.Fatalf("file in folder: %d %q", code, body)
	}
	for _, p := range []string{"/../secret.txt", "/annexes/../../secret.txt", "..%2fsecret.txt"} {
		if code, body := fetch(t, v, "GET", d.URL+"/download?path="+p, nil, ""); code != 404 || strings.Contains(body, "pas pour vous") {
			t.Fatalf("escape with %s: %d", p, code)
		}
	}
	code, body := fetch(t, v, "GET", d.URL+"/zip", nil, "")
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if code != 200 || err != nil {
		t.Fatalf("zip: %d %v", code, err)
	}
	got := map[string]string{}
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		got[zf.Name] = string(b)
	}
	if got["rapport moral.odt"] != "rapport moral 2026" || got["annexes/budget.ods"] != "budget" || len(got) != 3 {
		t.Fatalf("zip holds %v", got)
	}
	// Counts, revocation.
	var list struct{ Shares []shareItem }
	ts.apiJSON(t, 200, "GET", "/api/groups/atelier/shares", alice, "", &list)
	if len(list.Shares) != 2 || list.Shares[1].Downloads != 1 || list.Shares[0].Downloads != 2 {
		t.Fatalf("links and counts: %+v", list.Shares)
	}
	ts.apiJSON(t, 204, "DELETE", "/api/groups/atelier/shares/"+strconv.FormatInt(f.ID, 10), alice, "", nil)
	if code, _ := fetch(t, v, "GET", f.URL+"/download", nil, ""); code != 404 {
		t.Fatalf("revoked link: %d", code)
	}
	// Who may share.
	ts.apiJSON(t, 403, "POST", "/api/groups/atelier/shares", gus, `{"path": "/AG"}`, nil)
	ts.apiJSON(t, 404, "POST", "/api/groups/atelier/shares", bob, `{"path": "/AG"}`, nil)
	// A link whose target goes to the trash stops working.
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/AG", user: alice})
	if code, _ := fetch(t, v, "GET", d.URL, nil, ""); code != 404 {
		t.Fatalf("link to a trashed folder: %d", code)
	}
}

func TestShareLinkPasswordAndExpiry(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/pv.odt", user: alice, body: "procès-verbal"})
	s := ts.share(t, alice, `{"path": "/pv.odt", "password": "mot de passe du lien"}`)
	v := visitor(t)
	if code, body := fetch(t, v, "GET", s.URL+"/download", nil, ""); code != 401 || strings.Contains(body, "procès-verbal") {
		t.Fatalf("protected link without password: %d", code)
	}
	form := "application/x-www-form-urlencoded"
	if code, body := fetch(t, v, "POST", s.URL+"/", strings.NewReader("password=faux"), form); code != 401 || !strings.Contains(body, "Mot de passe incorrect") {
		t.Fatalf("wrong password: %d\n%s", code, body)
	}
	if code, _ := fetch(t, v, "POST", s.URL+"/", strings.NewReader(url.Values{"password": {"mot de passe du lien"}}.Encode()), form); code != 303 {
		t.Fatalf("right password: %d", code)
	}
	if code, body := fetch(t, v, "GET", s.URL+"/download", nil, ""); code != 200 || body != "procès-verbal" {
		t.Fatalf("after the password: %d %q", code, body)
	}
	yesterday := time.Now().AddDate(0, 0, -2).Format(time.DateOnly)
	e := ts.share(t, alice, `{"path": "/pv.odt", "expires": "`+yesterday+`"}`)
	if code, body := fetch(t, v, "GET", e.URL, nil, ""); code != 404 || !strings.Contains(body, "ne fonctionne pas") {
		t.Fatalf("expired link: %d\n%s", code, body)
	}
	if code, _ := fetch(t, v, "GET", ts.URL+"/s/inexistant", nil, ""); code != 404 {
		t.Fatalf("unknown token: %d", code)
	}
}

func TestDropLink(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/dépôts", user: alice})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/d%C3%A9p%C3%B4ts/d%C3%A9j%C3%A0.txt", user: alice, body: "déjà là"})
	s := ts.share(t, alice, `{"path": "/dépôts", "kind": "drop"}`)
	v := visitor(t)
	code, body := fetch(t, v, "GET", s.URL, nil, "")
	if code != 200 || !strings.Contains(body, `type="file"`) || strings.Contains(body, "déjà") {
		t.Fatalf("drop page must offer an upload and list nothing: %d\n%s", code, body)
	}
	send := func(names ...string) int {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, n := range names {
			w, _ := mw.CreateFormFile("file", n)
			io.WriteString(w, "contenu de "+n)
		}
		mw.Close()
		code, _ := fetch(t, v, "POST", s.URL+"/upload", &buf, mw.FormDataContentType())
		return code
	}
	if c := send("photo.jpg", "déjà.txt"); c != 201 {
		t.Fatalf("drop: %d", c)
	}
	ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/d%C3%A9p%C3%B4ts/photo.jpg", user: alice})
	got, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/d%C3%A9p%C3%B4ts/d%C3%A9j%C3%A0%20(2).txt", user: alice})
	if got != "contenu de déjà.txt" {
		t.Fatalf("renamed deposit: %q", got)
	}
	if body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/d%C3%A9p%C3%B4ts/d%C3%A9j%C3%A0.txt", user: alice}); body != "déjà là" {
		t.Fatal("a deposit replaced an existing file")
	}
	// The link's maker hears of the batch: what came, under the names it was kept as, and where.
	told := func() (n int) {
		ms, err := ts.srv.in.db.R(context.Background()).Mails(100)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.To == alice && strings.Contains(m.Subject, "Nouveaux fichiers déposés dans /dépôts") {
				n++
				if !strings.Contains(m.Body, "/groups/atelier/files?path=%2Fd%C3%A9p%C3%B4ts") {
					t.Errorf("the drop's mail:\n%s", m.Body)
				}
			}
		}
		return n
	}
	if n := told(); n != 1 {
		t.Errorf("%d mails to the link's maker for one batch, want 1", n)
	}
	if ms, _ := ts.srv.in.db.R(context.Background()).Mails(1); !strings.Contains(ms[0].Body, "photo.jpg\ndéjà (2).txt") {
		t.Errorf("the drop's mail does not list the batch under the names it was kept as:\n%s", ms[0].Body)
	}
	// Ten more batches in a burst: the maker is not flooded; half an hour later, a drop is told again.
	for i := range 10 {
		if c := send(fmt.Sprintf("lot-%d.txt", i)); c != 201 {
			t.Fatalf("drop %d: %d", i, c)
		}
	}
	if n := told(); n != 1 {
		t.Errorf("a burst of drops sent %d mails, want the first one only", n)
	}
	restore := db.SetClock(func() time.Time { return time.Now().Add(access.DropQuiet + time.Minute) })
	defer restore()
	if c := send("plus-tard.txt"); c != 201 {
		t.Fatalf("late drop: %d", c)
	}
	if n := told(); n != 2 {
		t.Errorf("a drop after the quiet period: %d mails in all, want 2", n)
	}
	for _, action := range []string{"/download?path=/photo.jpg", "/zip"} {
		if code, _ := fetch(t, v, "GET", s.URL+action, nil, ""); code != 404 {
			t.Fatalf("drop link %s: %d, want 404", action, code)
		}
	}
}

// TestShareLinkStopsWithItsMaker: a link opens nothing its maker may no longer share. Removed from
// the group, the maker's links answer as withdrawn ones do, files written since included; an
// animator's link made on the same folder goes on working; given back a role, the links work again.
func TestShareLinkStopsWithItsMaker(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/AG", user: alice})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/AG/ca.txt", user: alice, body: "compte rendu"})
	v := visitor(t)
	mine := ts.share(t, alice, `{"path": "/AG"}`)
	theirs := ts.share(t, anna, `{"path": "/AG"}`)
	if mine.MadeBy != alice || theirs.MadeBy != anna {
		t.Fatalf("a new link does not say who made it: %q, %q", mine.MadeBy, theirs.MadeBy)
	}
	if code, _ := fetch(t, v, "GET", mine.URL+"/zip", nil, ""); code != 200 {
		t.Fatalf("a member's link: %d", code)
	}
	var list struct{ Shares []shareItem }
	ts.apiJSON(t, 200, "GET", "/api/groups/atelier/shares", anna, "", &list)
	makers := map[string]bool{}
	for _, l := range list.Shares {
		makers[l.MadeBy] = true
	}
	if len(list.Shares) != 2 || !makers[anna] || !makers[alice] {
		t.Fatalf("the list does not say who made each link: %+v", list.Shares)
	}
	if err := ts.srv.in.access.Remove(ctx, access.CLI, "atelier", alice); err != nil {
		t.Fatal(err)
	}
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/AG/apres.txt", user: anna, body: "écrit après le départ"})
	for _, u := range []string{mine.URL, mine.URL + "/zip", mine.URL + "/download?path=/apres.txt"} {
		if code, body := fetch(t, v, "GET", u, nil, ""); code != 404 || strings.Contains(body, "apres") {
			t.Fatalf("the link of a member removed from the group, %s: %d\n%s", u, code, body)
		}
	}
	if code, body := fetch(t, v, "GET", theirs.URL, nil, ""); code != 200 || !strings.Contains(body, "apres.txt") {
		t.Fatalf("an animator's link: %d\n%s", code, body)
	}
	if err := ts.srv.in.access.Grant(ctx, access.CLI, "atelier", alice, db.RoleMember, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if code, _ := fetch(t, v, "GET", mine.URL, nil, ""); code != 200 {
		t.Fatalf("the link once its maker is back: %d", code)
	}
}

// TestShareUnlockCookieSecure: behind HTTPS, the proof that a link's password was given travels
// on HTTPS only.
func TestShareUnlockCookieSecure(t *testing.T) {
	cfg := testConfig(t)
	cfg.BaseURL = "https://parvis.example.org"
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/pv.odt", user: alice, body: "procès-verbal"})
	s := ts.share(t, alice, `{"path": "/pv.odt", "password": "mot de passe du lien"}`)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Post(s.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"password": {"mot de passe du lien"}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if resp.StatusCode != 303 || len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly {
		t.Fatalf("unlock: %d %+v", resp.StatusCode, cookies)
	}
}

// visitorFrom is a visitor whose requests come from the loopback address ip.
func visitorFrom(t *testing.T, ip string) *http.Client {
	c := visitor(t)
	c.Transport = &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}).DialContext}
	return c
}

// TestShareLinkGuessesLockNobodyOut: wrong passwords from one address stop that address only;
// the recipient elsewhere opens the link, and one who opened it before keeps it open. Parallel
// guesses get no more than the limit.
func TestShareLinkGuessesLockNobodyOut(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/pv.odt", user: alice, body: "procès-verbal"})
	s := ts.share(t, alice, `{"path": "/pv.odt", "password": "mot de passe du lien"}`)
	form := "application/x-www-form-urlencoded"
	right := url.Values{"password": {"mot de passe du lien"}}.Encode()
	before := visitorFrom(t, "127.0.0.5")
	if code, _ := fetch(t, before, "POST", s.URL+"/", strings.NewReader(right), form); code != 303 {
		t.Fatalf("the recipient, first: %d", code)
	}

	guesser := visitorFrom(t, "127.0.0.6")
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _ := fetch(t, guesser, "POST", s.URL+"/", strings.NewReader("password=faux"), form)
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[401] != 10 || codes[429] != 20 {
		t.Fatalf("30 parallel guesses: %v, want 10 checked and 20 refused", codes)
	}
	if code, _ := fetch(t, guesser, "POST", s.URL+"/", strings.NewReader(right), form); code != 429 {
		t.Fatalf("the guesser, even with the password: %d", code)
	}
	if code, body := fetch(t, visitorFrom(t, "127.0.0.7"), "POST", s.URL+"/", strings.NewReader(right), form); code != 303 {
		t.Fatalf("the recipient elsewhere: %d\n%s", code, body)
	}
	if code, body := fetch(t, before, "GET", s.URL+"/download", nil, ""); code != 200 || body != "procès-verbal" {
		t.Fatalf("the recipient who opened it before: %d %q", code, body)
	}
}

// TestConcurrentDropsOfOneName: twenty visitors dropping "rapport.pdf" at once leave twenty files,
// each with its own content: the free name is chosen in the write itself, not before it.
func TestConcurrentDropsOfOneName(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/depots", user: alice})
	s := ts.share(t, alice, `{"path": "/depots", "kind": "drop"}`)
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			w, _ := mw.CreateFormFile("file", "rapport.pdf")
			fmt.Fprintf(w, "dépôt numéro %d", i)
			mw.Close()
			codes[i], _ = fetch(t, visitor(t), "POST", s.URL+"/upload", &buf, mw.FormDataContentType())
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 201 {
			t.Fatalf("drop %d: %d", i, c)
		}
	}
	listing, _ := ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/depots/", user: alice, headers: []string{"Depth", "1"}})
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`rapport(%20%28\d+%29)?\.pdf`).FindAllString(listing, -1) {
		seen[m] = true
	}
	if len(seen) != 20 {
		t.Fatalf("%d files after 20 drops of one name:\n%v", len(seen), seen)
	}
	contents := map[string]bool{}
	for name := range seen {
		body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/depots/" + name, user: alice})
		contents[body] = true
	}
	if len(contents) != 20 {
		t.Fatalf("%d distinct contents, want 20", len(contents))
	}
}

// TestDropLinkFull: a drop into a group out of space keeps the files that fit, refuses the rest
// with 507, and the page says so — how many were received, from which file on it refused — not
// that the link is gone.
func TestDropLinkFull(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/depots", user: alice})
	s := ts.share(t, alice, `{"path": "/depots", "kind": "drop"}`)
	if err := ts.srv.in.access.SetQuota(context.Background(), access.CLI, "atelier", 100<<10); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("file", "a-petit.txt")
	w.Write(bytes.Repeat([]byte("x"), 1000))
	w, _ = mw.CreateFormFile("file", "b-gros.bin")
	w.Write(make([]byte, 500<<10))
	mw.Close()
	code, body := fetch(t, visitor(t), "POST", s.URL+"/upload", &buf, mw.FormDataContentType())
	if code != 507 || !strings.Contains(body, "plein") || !strings.Contains(body, "b-gros.bin") || !strings.Contains(body, "1.") ||
		strings.Contains(body, "expiré") {
		t.Fatalf("a drop over the quota: %d\n%s", code, body)
	}
	ts.must(t, 200, req{method: "HEAD", path: "/dav/files/atelier/depots/a-petit.txt", user: alice})
}
