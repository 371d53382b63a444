package server

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
)

// TestBrowserAccountPhone opens the account pages in Chromium at an iPhone's 390 px width: no page
// scrolls sideways, the QR codes load under the CSP, and the copy buttons' script runs.
func TestBrowserAccountPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	ts := newTestServer(t)
	ctx := chrome(t)
	signIn := chromedp.Tasks{
		chromedp.Emulate(device.IPhone12),
		signInAs(ts.URL, alice),
	}
	if err := chromedp.Run(ctx, signIn); err != nil {
		t.Fatal(err)
	}
	for _, p := range accountPages {
		checkPhoneWidth(t, ctx, ts.URL+p.path, p.path)
	}
	// An enrolment shows its QR code; a new device password shows its copy buttons.
	var qrWidth int
	var copyShown bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/account/2fa"),
		chromedp.Click(`form[action="/account/2fa/start"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#totp-secret", chromedp.ByID),
		chromedp.Poll(`document.querySelector("img.qr").complete`, nil),
		chromedp.ActionFunc(func(ctx context.Context) error { checkPhoneWidth(t, ctx, "", "the enrolment page"); return nil }),
		chromedp.Evaluate(`document.querySelector("img.qr").naturalWidth`, &qrWidth),
		chromedp.Navigate(ts.URL+"/account/connect"),
		chromedp.Click(`#rclone button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#rclone-conf", chromedp.ByID),
		chromedp.Evaluate(`!document.querySelector("button.copy").hidden`, &copyShown),
	)
	if err != nil {
		t.Fatal(err)
	}
	if qrWidth != 320 || !copyShown {
		t.Fatalf("QR code width %d, copy buttons shown %v", qrWidth, copyShown)
	}
	checkPhoneWidth(t, ctx, "", "the new device page")
}

// checkPhoneWidth opens url (or stays on the page when it is "") and fails if the page is wider
// than the screen. PARVIS_SCREENSHOTS=DIR keeps a screenshot of each, to look at.
func checkPhoneWidth(t *testing.T, ctx context.Context, url, name string) {
	t.Helper()
	var scroll, client int
	var shot []byte
	tasks := chromedp.Tasks{}
	if url != "" {
		tasks = append(tasks, chromedp.Navigate(url), chromedp.WaitReady("main", chromedp.ByQuery))
	}
	tasks = append(tasks,
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &client),
		chromedp.FullScreenshot(&shot, 100))
	if err := chromedp.Run(ctx, tasks); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if scroll > client {
		t.Errorf("%s scrolls sideways on a phone: %d px wide for %d", name, scroll, client)
	}
	if dir := os.Getenv("PARVIS_SCREENSHOTS"); dir != "" {
		os.WriteFile(dir+"/"+strings.NewReplacer("/", "_", " ", "_").Replace(name)+".png", shot, 0o644)
	}
}
