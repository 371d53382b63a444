package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"parvis/access"
	"parvis/config"
)

// Helpers of the end-to-end browser test: one server whose links and mails carry its real address,
// one browser with a context (cookie jar) per person, and the page review (screenshots, widths,
// languages).

// e2e is the state of the end-to-end scenario.
type e2e struct {
	t     *testing.T
	ts    *testServer
	box   *smtpBox
	root  context.Context // the browser's first tab; every person gets a context of their own
	shots string          // where the screenshots go
}

// newE2E serves a test instance at a known address, mailing through a loopback SMTP server, with
// the administrator dsi, and starts the browser.
func newE2E(t *testing.T, opts ...func(*config.Config)) *e2e {
	t.Helper()
	e := newE2EServer(t, true, opts...)
	if _, err := e.ts.srv.in.access.CreatePerson(context.Background(), access.CLI, access.NewPerson{Email: dsi, Password: pw, Admin: true, Name: "Dominique Admin"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// newE2EServer serves an instance at a known address and starts the browser: the test's people and
// groups and a loopback mail server when populated, else a server as installed, empty and sending
// no mail.
func newE2EServer(t *testing.T, populated bool, opts ...func(*config.Config)) *e2e {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.BaseURL = "http://" + l.Addr().String()
	for _, o := range opts {
		o(&cfg)
	}
	var box *smtpBox
	if populated {
		box = startSMTP(t)
		host, port, _ := net.SplitHostPort(box.addr)
		cfg.SMTP.Host, cfg.SMTP.TLS, cfg.SMTP.From, cfg.SMTP.Port = host, "none", "parvis@example.org", atoi(port)
		populate(t, cfg)
	}
	s, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(s.Handler())
	hs.Listener.Close()
	hs.Listener = l
	hs.Start()
	ts := &testServer{Server: hs, srv: s, cfg: cfg}
	t.Cleanup(func() { ts.Close(); s.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go s.mail.Run(ctx)
	e := &e2e{t: t, ts: ts, box: box, root: chromeFor(t, 4*time.Minute), shots: screenshotDir(t)}
	e.start(e.root)
	return e
}

// screenshotDir is PARVIS_SCREENSHOTS, else build/screenshots at the repository's root.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("PARVIS_SCREENSHOTS")
	if dir == "" {
		_, here, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(here), "..", "build", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// person opens a browser context of its own: its cookies are nobody else's. The headless browser
// asks for English: the language switch makes it French, the instance's first language.
func (e *e2e) person() context.Context {
	ctx, cancel := chromedp.NewContext(e.root, chromedp.WithNewBrowserContext())
	e.t.Cleanup(cancel)
	e.start(ctx)
	e.setLanguage(ctx, "fr")
	return ctx
}

// start opens the context's tab. It runs on the context itself, not on one with a deadline: the
// tab lives as long as the context of its first run.
func (e *e2e) start(ctx context.Context) {
	e.t.Helper()
	if err := chromedp.Run(ctx); err != nil {
		e.t.Fatalf("open a browser tab: %v", err)
	}
}

// run runs one step's actions, failing the test with the step's name; a step gets 30 seconds.
func (e *e2e) run(ctx context.Context, step string, actions ...chromedp.Action) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		e.t.Fatalf("%s: %v", step, err)
	}
}

// signIn fills the sign-in page and waits for the signed-in header.
func (e *e2e) signIn(ctx context.Context, email, password string) {
	e.t.Helper()
	e.run(ctx, "sign in as "+email,
		chromedp.Navigate(e.ts.URL+"/login"),
		chromedp.WaitVisible("#email", chromedp.ByID),
		chromedp.SendKeys("#email", email, chromedp.ByID),
		chromedp.SendKeys("#password", password, chromedp.ByID),
		follow(`form.card button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`header a[href="/account"]`, chromedp.ByQuery))
}

// mail waits for the n-th mail to `to` (from 1) and returns it decoded: subject and body.
func (e *e2e) mail(to string, n int) string {
	e.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var raw []string
		e.box.mu.Lock()
		for _, m := range e.box.msgs {
			if m.to == to {
				raw = append(raw, m.data)
			}
		}
		e.box.mu.Unlock()
		if len(raw) >= n {
			head, body, _ := strings.Cut(raw[n-1], "\r\n\r\n")
			var subject string
			for _, line := range strings.Split(head, "\r\n") {
				if v, ok := strings.CutPrefix(line, "Subject: "); ok {
					subject, _ = new(mime.WordDecoder).DecodeHeader(v)
				}
			}
			text, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
			return subject + "\n\n" + string(text)
		}
	}
	e.t.Fatalf("mail %d to %s did not arrive", n, to)
	return ""
}

// iconsDrawn is true once the page has icons and each drew its symbol from the sprite: a <use> whose
// reference did not load (a missing symbol, a CSP refusal) has an empty box.
const iconsDrawn = `(() => { const u = [...document.querySelectorAll("svg.icon use")];
  return u.length > 0 && u.every(e => e.getBBox().width > 0); })()`

// waitForJS evaluates expr until it is true, through the page's reloads (an evaluation that a
// navigation interrupts is tried again).
func waitForJS(expr string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var ok bool
			if err := chromedp.Evaluate(expr, &ok).Do(ctx); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w", expr, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// follow clicks what leads to another page (a link, a form's button, a script that reloads) and
// waits until that page has loaded: the next action must not find its element in the page being
// left.
func follow(sel string, opts ...chromedp.QueryOption) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Evaluate(`window.e2eLeft = true`, nil),
		chromedp.Click(sel, opts...),
		waitForJS(`!window.e2eLeft && document.readyState == "complete"`),
	}
}
