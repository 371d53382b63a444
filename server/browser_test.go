package server

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parvis/access"
	"parvis/locale"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chrome starts a headless Debian Chromium for one test (scripts/test-deps.sh installs it).
func chrome(t *testing.T) context.Context {
	t.Helper()
	return chromeFor(t, 90*time.Second)
}

// chromeFor is chrome with the time the whole test may take in the browser.
func chromeFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed: run scripts/test-deps.sh")
	}
	// The profile is removed by hand: Chromium's helpers may still be writing to it for a moment
	// after the browser is gone, which t.TempDir's cleanup would report as a failure.
	profile, err := os.MkdirTemp("", "parvis-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.UserDataDir(profile))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	// Newer Chromium sends protocol events this chromedp release does not know; they are noise.
	ctx, cancelC := chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
	ctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	return ctx
}

// signInAs fills the sign-in page as a person would and waits for the home page.
func signInAs(base, email string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible("#email", chromedp.ByID),
		chromedp.SendKeys("#email", email, chromedp.ByID),
		chromedp.SendKeys("#password", pw, chromedp.ByID),
		chromedp.Click(`form.card button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
	}
}

// TestBrowserUpload signs in with a real browser, uploads two files with the page's picker and
// checks they arrive byte for byte through DAV and are listed: the page's JavaScript really streams
// to the server.
func TestBrowserUpload(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	ts := newTestServer(t)
	dir := t.TempDir()
	names := []string{"compte rendu été.txt", "budget 2027.ods"}
	content := func(i int) string { return strings.Repeat("contenu "+names[i]+" ", 5000*(i+1)) }
	var paths []string
	for i, n := range names {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte(content(i)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	ctx := chrome(t)
	steps := []chromedp.Action{
		signInAs(ts.URL, alice),
		chromedp.Navigate(ts.URL + "/groups/atelier/files"),
		chromedp.WaitVisible("#pick-files", chromedp.ByID),
		chromedp.SetUploadFiles("#pick-files", paths, chromedp.ByID),
	}
	for i, s := range steps {
		if err := chromedp.Run(ctx, s); err != nil {
			t.Fatalf("browser step %d: %v", i, err)
		}
	}
	// The page's script uploads through DAV, then reloads: wait for the files on the server.
	href := func(i int) string { return "/dav/files/atelier/" + (&url.URL{Path: names[i]}).EscapedPath() }
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		a, _, _ := ts.do(t, req{method: "HEAD", path: href(0), user: alice})
		b, _, _ := ts.do(t, req{method: "HEAD", path: href(1), user: alice})
		if a == 200 && b == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the page's uploads did not arrive")
		}
	}
	for i := range names {
		if body, _ := ts.must(t, 200, req{method: "GET", path: href(i), user: alice}); body != content(i) {
			t.Fatalf("%s arrived with %d bytes, want %d", names[i], len(body), len(content(i)))
		}
	}
	var listing string
	if err := chromedp.Run(ctx, chromedp.Navigate(ts.URL+"/groups/atelier/files"),
		chromedp.Text("table.files", &listing, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !strings.Contains(listing, n) {
			t.Fatalf("listing lacks %s:\n%s", n, listing)
		}
	}
}

// TestBrowserRename renames a file through its page with a real browser: the page's script sends
// the DAV MOVE after the confirmation, and the folder then lists the new name only.
func TestBrowserRename(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/brouillon.txt", user: anna, body: "texte"})
	ctx := chrome(t)
	var listing string
	err := chromedp.Run(ctx,
		signInAs(ts.URL, alice),
		chromedp.Navigate(ts.URL+"/groups/atelier/item?path=/brouillon.txt"),
		chromedp.WaitVisible("#move-name", chromedp.ByID),
		// confirm() would wait for a person: the page's own confirmation is answered yes.
		chromedp.Evaluate(`window.confirm = function () { return true; }`, nil),
		chromedp.SetValue("#move-name", "compte rendu été.txt", chromedp.ByID),
		chromedp.Click(`#move-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("table.files", chromedp.ByQuery),
		chromedp.Text("table.files", &listing, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(listing, "compte rendu été.txt") || strings.Contains(listing, "brouillon.txt") {
		t.Fatalf("listing after rename:\n%s", listing)
	}
	if body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/compte%20rendu%20%C3%A9t%C3%A9.txt", user: alice}); body != "texte" {
		t.Fatalf("renamed content: %q", body)
	}
}

// TestBrowserUploadOverQuota: in a group whose space is nearly full, the page uploads what fits and
// refuses the rest with the reason beside the file; it does not reload over the failure, and says
// that not everything was sent.
func TestBrowserUploadOverQuota(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	ts := newTestServer(t)
	if err := ts.srv.in.access.SetQuota(context.Background(), access.CLI, "atelier", 200<<10); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	small, big := filepath.Join(dir, "ordre du jour.txt"), filepath.Join(dir, "film de l'AG.bin")
	os.WriteFile(small, []byte(strings.Repeat("point ", 1000)), 0o644)
	os.WriteFile(big, make([]byte, 1<<20), 0o644)
	ctx := chrome(t)
	var status, queue string
	err := chromedp.Run(ctx, signInAs(ts.URL, alice),
		chromedp.Navigate(ts.URL+"/groups/atelier/files"),
		chromedp.WaitVisible("#pick-files", chromedp.ByID),
		chromedp.SetUploadFiles("#pick-files", []string{small, big}, chromedp.ByID),
		chromedp.WaitVisible("#upload-status", chromedp.ByID),
		chromedp.Text("#upload-status", &status, chromedp.ByID),
		chromedp.Text("#queue", &queue, chromedp.ByID))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(status, "Some files were not sent") || !strings.Contains(queue, "film de l'AG.bin — refused: the group's space is full") ||
		!strings.Contains(queue, "ordre du jour.txt — sent") {
		t.Fatalf("after a refused upload: status %q, queue %q", status, queue)
	}
	if code, _, _ := ts.do(t, req{method: "HEAD", path: "/dav/files/atelier/" + (&url.URL{Path: "ordre du jour.txt"}).EscapedPath(), user: alice}); code != 200 {
		t.Fatalf("the file that fits: %d", code)
	}
}

// TestBrowserUploadAsksBeforeReplacing: picking a file whose name the folder already has asks
// first; declining sends the others and leaves the existing file as it was.
func TestBrowserUploadAsksBeforeReplacing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/budget.ods", user: alice, body: "le budget voté"})
	dir := t.TempDir()
	same, other := filepath.Join(dir, "budget.ods"), filepath.Join(dir, "annexe.txt")
	os.WriteFile(same, []byte("un autre budget"), 0o644)
	os.WriteFile(other, []byte("annexe"), 0o644)
	ctx := chrome(t)
	asked := make(chan string, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			asked <- d.Message
			go chromedp.Run(ctx, page.HandleJavaScriptDialog(false))
		}
	})
	err := chromedp.Run(ctx, signInAs(ts.URL, alice),
		chromedp.Navigate(ts.URL+"/groups/atelier/files"),
		chromedp.WaitVisible("#pick-files", chromedp.ByID),
		chromedp.SetUploadFiles("#pick-files", []string{same, other}, chromedp.ByID))
	if err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-asked:
		if !strings.Contains(msg, "budget.ods") || !strings.Contains(msg, "1 ") {
			t.Fatalf("the question: %q", msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nobody was asked before replacing budget.ods")
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if code, _, _ := ts.do(t, req{method: "HEAD", path: "/dav/files/atelier/annexe.txt", user: alice}); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the other file did not arrive")
		}
	}
	if body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/budget.ods", user: alice}); body != "le budget voté" {
		t.Fatalf("declining replaced the file: %q", body)
	}
}

// TestBrowserDropShowsProgress: a drop link's page, in a browser without an account, shows how much
// of the batch has gone while it uploads, then the thanks in place of the form; the file arrives
// whole in the folder.
func TestBrowserDropShowsProgress(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/depots", user: alice})
	s := ts.share(t, alice, `{"path": "/depots", "kind": "drop"}`)
	file := filepath.Join(t.TempDir(), "photos de la fête.bin")
	os.WriteFile(file, make([]byte, 8<<20), 0o644)
	ctx := chrome(t)
	var seen, said string
	err := chromedp.Run(ctx,
		chromedp.Navigate(s.URL),
		chromedp.WaitVisible("#files", chromedp.ByID),
		// Loopback is too fast for the bar to show anything between 0 and 100: a 4 MB/s line.
		network.Enable(),
		network.EmulateNetworkConditions(false, 0, -1, 4<<20),
		chromedp.Evaluate(`window.seen = ""; new MutationObserver(() => {
			const p = document.querySelector("#drop-progress progress");
			if (p && p.value > 0 && p.value < 100 && p.getClientRects().length) window.seen += p.value + " ";
		}).observe(document.body, { attributes: true, childList: true, subtree: true })`, nil),
		chromedp.SetUploadFiles("#files", []string{file}, chromedp.ByID),
		chromedp.Click(`#drop-form button[type="submit"]`, chromedp.ByQuery),
		waitForJS(`!document.getElementById("drop-form")`),
		chromedp.Text("main h1", &said, chromedp.ByQuery),
		chromedp.Evaluate(`window.seen`, &seen))
	if err != nil {
		t.Fatal(err)
	}
	if seen == "" || said != locale.Text("en", "visitor.dropped") {
		t.Fatalf("progress seen %q; then the page says %q", seen, said)
	}
	_, hd := ts.must(t, 200, req{method: "HEAD", path: "/dav/files/atelier/depots/" + (&url.URL{Path: "photos de la fête.bin"}).EscapedPath(), user: alice})
	if hd.Get("Content-Length") != fmt.Sprint(8<<20) {
		t.Fatalf("the dropped file: %s bytes", hd.Get("Content-Length"))
	}
}
