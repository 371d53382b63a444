package server

import (
	"bytes"
	"context"
	"html"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// The end-to-end scenario's steps that end in another client: rclone, python3-caldav, a signed-out
// browser downloading a shared file.

// readWithRclone: the person makes an rclone device password on the connect page and pastes the
// rclone.conf section it shows; the real rclone copies the uploaded folder back, byte for byte.
func (e *e2e) readWithRclone(member context.Context, folder string) {
	e.t.Helper()
	var conf string
	e.run(member, "make an rclone password",
		follow(`header a[href="/account"]`, chromedp.ByQuery),
		follow(`nav.account-tabs a[href="/account/connect"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#rclone button[type="submit"]`, chromedp.ByQuery),
		follow(`#rclone button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#rclone-conf`, chromedp.ByID),
		chromedp.Text(`#rclone-conf`, &conf, chromedp.ByID))
	dir := e.t.TempDir()
	cfg := filepath.Join(dir, "rclone.conf")
	if err := os.WriteFile(cfg, []byte(html.UnescapeString(conf)+"\n"), 0o600); err != nil {
		e.t.Fatal(err)
	}
	remote := strings.TrimSpace(strings.Trim(strings.SplitN(conf, "\n", 2)[0], "[] "))
	out := filepath.Join(dir, "copie")
	cmd := exec.Command("rclone", "--config", cfg, "copy", remote+":atelier/Assemblée 2027", out)
	cmd.Env = append(os.Environ(), "RCLONE_CACHE_DIR="+dir, "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		e.t.Fatalf("rclone copy: %v\n%s\nconf:\n%s", err, b, conf)
	}
	n := 0
	filepath.WalkDir(folder, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(folder, p)
		want, _ := os.ReadFile(p)
		got, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil || !bytes.Equal(got, want) {
			e.t.Errorf("rclone copied %s with %d bytes (%v), want %d", rel, len(got), err, len(want))
		}
		n++
		return nil
	})
	if n != 3 {
		e.t.Fatalf("compared %d files, want 3", n)
	}
}

// createEvent: the person opens the agenda tab and fills in the event form for an AG next week;
// python3-caldav finds it in the group's calendar with its kind.
func (e *e2e) createEvent(member context.Context) {
	e.t.Helper()
	day := time.Now().AddDate(0, 0, 7).Format("2006-01-02")
	var upcoming string
	e.run(member, "create an AG event",
		follow(`a.brand`, chromedp.ByQuery),
		follow(`.groups a[href="/groups/atelier/files"]`, chromedp.ByQuery),
		follow(`nav.tabs a[href="/groups/atelier/agenda"]`, chromedp.ByQuery),
		follow(`a.button[href$="/agenda/new"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#summary`, chromedp.ByID),
		chromedp.SendKeys(`#summary`, "Assemblée générale 2027", chromedp.ByID),
		chromedp.SetValue(`#kind`, "AG", chromedp.ByID),
		chromedp.SetValue(`#start_date`, day, chromedp.ByID),
		chromedp.SetValue(`#start_time`, "18:30", chromedp.ByID),
		chromedp.SetValue(`#end_date`, day, chromedp.ByID),
		chromedp.SetValue(`#end_time`, "21:00", chromedp.ByID),
		chromedp.SendKeys(`#location`, "Salle des fêtes", chromedp.ByID),
		follow(`form.calform button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`section.upcoming`, chromedp.ByQuery),
		chromedp.Text(`section.upcoming`, &upcoming, chromedp.ByQuery))
	if !strings.Contains(upcoming, "Assemblée générale 2027") {
		e.t.Fatalf("the agenda's coming events: %q", upcoming)
	}
	script := `import os, caldav
p = caldav.DAVClient(url=os.environ["URL"], username=os.environ["USER"], password=os.environ["PW"]).principal()
cal = [c for c in p.calendars() if str(c.url).rstrip("/").endswith("/atelier~agenda")][0]
for o in cal.events():
    ev = o.icalendar_instance.walk("VEVENT")[0]
    print("%s|%s|%s|%s" % (ev["SUMMARY"], ev.get("CATEGORIES").to_ical().decode() if ev.get("CATEGORIES") else "", ev["DTSTART"].dt.isoformat(), ev.get("LOCATION", "")))
`
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Env = append(os.Environ(), "URL="+e.ts.URL+"/", "USER="+zoe, "PW="+zoePW)
	out, err := cmd.CombinedOutput()
	want := "Assemblée générale 2027|AG|" + day + "T18:30:00"
	if err != nil || !strings.Contains(string(out), want) || !strings.Contains(string(out), "Salle des fêtes") {
		e.t.Fatalf("python3-caldav: %v; want a line starting %q\n%s", err, want, out)
	}
}

// shareFile: the person opens the report's page from the folder, makes a read link, and a signed-out
// browser opens it and downloads the file.
func (e *e2e) shareFile(member context.Context, folder string) {
	e.t.Helper()
	var link string
	e.run(member, "share a file by link",
		follow(`nav.tabs a[href="/groups/atelier/files"]`, chromedp.ByQuery),
		follow(`//table[@class="files"]//a[.="Assemblée 2027/"]`, chromedp.BySearch),
		follow(`//tr[td/a[.="Rapport moral.txt"]]/td[@class="row-actions"]/a`, chromedp.BySearch),
		chromedp.WaitVisible(`#share-form`, chromedp.ByID),
		follow(`#share-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`ul.shares input`, chromedp.ByQuery),
		chromedp.Value(`ul.shares input`, &link, chromedp.ByQuery))
	if !strings.HasPrefix(link, e.ts.URL+"/s/") {
		e.t.Fatalf("share link %q", link)
	}
	stranger := e.person()
	dir := e.t.TempDir()
	var got []byte
	e.run(stranger, "download the shared file signed out",
		chromedp.ActionFunc(func(ctx context.Context) error {
			return cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dir).
				WithBrowserContextID(chromedp.FromContext(ctx).BrowserContextID).Do(ctx)
		}),
		chromedp.Navigate(link),
		chromedp.Click(`a[href$="/download"]`, chromedp.ByQuery), // a download: the page stays
		chromedp.ActionFunc(func(ctx context.Context) error {
			for ; ctx.Err() == nil; time.Sleep(50 * time.Millisecond) {
				if b, err := os.ReadFile(filepath.Join(dir, "Rapport moral.txt")); err == nil && len(b) > 0 {
					got = b
					return nil
				}
			}
			return ctx.Err()
		}))
	want, _ := os.ReadFile(filepath.Join(folder, "Rapport moral.txt"))
	if !bytes.Equal(got, want) {
		e.t.Fatalf("downloaded %d bytes, want %d", len(got), len(want))
	}
}

// duesReport imports a payment platform's export on the dues page and waits for the report: one
// line recorded, one refused.
func (e *e2e) duesReport() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		p := filepath.Join(e.t.TempDir(), "export-helloasso.csv")
		csv := "Email payeur;Montant;Date de la commande\n" + alice + ";15,00;02/01/" + time.Now().Format("2006") + "\ninconnu@example.org;15,00;03/01/" + time.Now().Format("2006") + "\n"
		if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
			return err
		}
		return chromedp.Run(ctx, chromedp.Navigate(e.ts.URL+"/admin/dues"),
			chromedp.SetUploadFiles(`#file`, []string{p}, chromedp.ByID),
			follow(`form[action="/admin/dues/import"] button`, chromedp.ByQuery),
			chromedp.WaitVisible(`#report-title`, chromedp.ByID))
	})
}
