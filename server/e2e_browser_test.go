package server

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The person who signs up in the end-to-end scenario.
const (
	zoe   = "zoe@example.org"
	zoePW = "un mot de passe de Zoé"
)

// TestE2EWebInterface drives the web interface in Chromium as a newcomer, a group's animator and an
// administrator would, each in a browser context of their own: sign-up, the password link received
// by mail, a request to join, its validation, its activation (refused without dues, then the dues
// recorded), a folder uploaded with its progress shown, the folder read back by rclone, an AG
// event read back by python3-caldav, a file shared by link and downloaded by a signed-out browser,
// a folder put in the trash.
// Then every main page is reviewed in both languages at a desktop's and a phone's width.
func TestE2EWebInterface(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	start := time.Now()
	e := newE2E(t)
	visitor, member, animator, admin := e.person(), e.person(), e.person(), e.person()

	e.signUp(visitor, member)
	e.askToJoin(member)
	e.validate(animator)
	e.activate(admin)
	folder := e.uploadFolder(member)
	e.readWithRclone(member, folder)
	e.createEvent(member)
	e.shareFile(member, folder)
	e.deleteToTrash(member)
	t.Logf("scenario: %v", time.Since(start).Round(time.Millisecond))

	group := func(tab, ready string) chromedp.Action { return e.at("/groups/atelier/"+tab, ready) }
	item := "/groups/atelier/item?path=" + strings.ReplaceAll("/Assemblée 2027/Rapport moral.txt", " ", "%20")
	pages := []reviewed{
		{"login", visitor, e.at("/login", "#password")},
		{"signup", visitor, e.at("/signup", "#name")},
		{"home", member, e.at("/", ".groups")},
		{"groups", member, e.at("/groups", "ul.people")},
		{"files", member, chromedp.Tasks{group("files", "table.files"), waitForJS(iconsDrawn)}}, // the folder and the text file have their icons
		{"item", member, e.at(item, "#share-form")},
		{"trash", member, group("trash", "main h1")},
		{"agenda", member, chromedp.Tasks{group("agenda", ".fc-view-harness"), // a month on a desktop, a list on a phone
			waitForJS(`!!document.querySelector(innerWidth > 640 ? ".fc-dayGridMonth-view" : ".fc-listMonth-view")`)}},
		{"event-form", member, group("agenda/new", "#summary")},
		{"tasks", member, group("tasks", "main h1")},
		{"contacts", member, group("contacts", "main h1")},
		{"links", member, group("links", "main h1")},
		{"people", animator, group("people", "#invite-email")},
		{"account", member, e.at("/account", "main h1")},
		{"connect", member, e.at("/account/connect", "#rclone")},
		{"admin-dashboard", admin, e.at("/admin", ".admin-counts")},
		{"admin-people", admin, e.at("/admin/people", "main h1")},
		{"admin-requests", admin, e.at("/admin/requests", "main h1")},
		{"admin-dues-report", admin, e.duesReport()},
		{"admin-audit", admin, e.at("/admin/audit", "main h1")},
		{"admin-storage", admin, e.at("/admin/storage", "section.storage")},
		{"admin-groups", admin, e.at("/admin/groups", "main h1")},
		{"devices", member, e.at("/account/devices", "main h1")},
	}
	for _, lang := range []string{"fr", "en"} {
		for _, ctx := range []context.Context{visitor, member, animator, admin} {
			e.setLanguage(ctx, lang)
		}
		e.review(lang, pages)
	}
	t.Logf("whole test: %v; screenshots in %s", time.Since(start).Round(time.Millisecond), e.shots)
}

// signUp: the visitor goes from the sign-in page to the sign-up page and gives an address; the link
// of the mail opens, in the member's context, the page that sets the password and signs in.
func (e *e2e) signUp(visitor, member context.Context) {
	e.t.Helper()
	e.run(visitor, "sign up",
		chromedp.Navigate(e.ts.URL+"/login"),
		follow(`main a[href="/signup"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#name", chromedp.ByID),
		chromedp.SendKeys("#email", zoe, chromedp.ByID),
		chromedp.SendKeys("#name", "Zoé Lambert", chromedp.ByID),
		follow(`form.card button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.card[role="status"]`, chromedp.ByQuery))
	link := e.box.link(e.t, zoe)
	var who string
	e.run(member, "set the password from the mail's link",
		chromedp.Navigate(link),
		chromedp.WaitVisible("#password", chromedp.ByID),
		chromedp.Text("main strong", &who, chromedp.ByQuery),
		chromedp.SendKeys("#password", zoePW, chromedp.ByID),
		follow(`form.card button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`header a[href="/account"]`, chromedp.ByQuery))
	if who != zoe {
		e.t.Fatalf("the password page is for %q", who)
	}
}

// askToJoin: from the home page to the groups page, a request to join atelier with a message; the
// group's animator is told by mail.
func (e *e2e) askToJoin(member context.Context) {
	e.t.Helper()
	var stillOffered bool
	e.run(member, "ask to join atelier",
		follow(`main a[href="/groups"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#message-atelier", chromedp.ByID),
		chromedp.SendKeys("#message-atelier", "Je voudrais aider à l'atelier vélo.", chromedp.ByID),
		follow(`form[action="/groups/atelier/join"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.card[role="status"]`, chromedp.ByQuery),
		chromedp.Evaluate(`!!document.querySelector('form[action="/groups/atelier/join"]')`, &stillOffered))
	if stillOffered {
		e.t.Fatal("after asking, the groups page still offers to join atelier")
	}
	if m := e.mail(anna, 1); !strings.Contains(m, zoe+"> demande à rejoindre le groupe « Atelier »") || !strings.Contains(m, "aider à l'atelier vélo") {
		e.t.Fatalf("the animator's mail:\n%s", m)
	}
}

// validate: the animator follows the home page's notice to the people page and accepts; the person
// is told by mail.
func (e *e2e) validate(animator context.Context) {
	e.t.Helper()
	e.signIn(animator, anna, pw)
	var message string
	var left int
	e.run(animator, "validate the request",
		follow(`.waiting a`, chromedp.ByQuery),
		chromedp.WaitVisible(`form.decide`, chromedp.ByQuery),
		chromedp.Text(`ul.people blockquote`, &message, chromedp.ByQuery),
		follow(`form.decide button[value="accept"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.card[role="status"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("form.decide").length`, &left))
	if !strings.Contains(message, "atelier vélo") || left != 0 {
		e.t.Fatalf("people page: message %q, %d requests left", message, left)
	}
	if m := e.mail(zoe, 2); !strings.Contains(m, "ont accepté votre demande") {
		e.t.Fatalf("the validation's mail:\n%s", m)
	}
}

// activate: the administrator's activation is refused without dues, with the reason and a link to
// record them; the dues typed in, the activation goes through and the person is told by mail.
func (e *e2e) activate(admin context.Context) {
	e.t.Helper()
	e.signIn(admin, dsi, pw)
	var refusal, email string
	e.run(admin, "activate without dues",
		follow(`header a[href="/admin"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.admin-counts`, chromedp.ByQuery),
		follow(`nav.admin-nav a[href="/admin/requests"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action$="/activate"]`, chromedp.ByQuery),
		follow(`form[action$="/activate"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action$="/activate"] p.error`, chromedp.ByQuery),
		chromedp.Text(`form[action$="/activate"] p.error`, &refusal, chromedp.ByQuery))
	if !strings.Contains(refusal, "la cotisation de cette année n'est pas enregistrée") {
		e.t.Fatalf("the refusal says %q", refusal)
	}
	var left int
	e.run(admin, "record the dues and activate",
		follow(`form[action$="/activate"] p.error a`, chromedp.ByQuery),
		chromedp.WaitVisible(`#amount`, chromedp.ByID),
		chromedp.Value(`#email`, &email, chromedp.ByID),
		chromedp.SendKeys(`#amount`, "15", chromedp.ByID),
		follow(`form[action="/admin/dues"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.notice[role="status"]`, chromedp.ByQuery),
		follow(`nav.admin-nav a[href="/admin/requests"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action$="/activate"]`, chromedp.ByQuery),
		follow(`form[action$="/activate"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.notice[role="status"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('form[action$="/activate"]').length`, &left))
	if email != zoe || left != 0 {
		e.t.Fatalf("dues form prefilled with %q; %d requests left after activation", email, left)
	}
	if m := e.mail(zoe, 3); !strings.Contains(m, "Vous faites maintenant partie du groupe « Atelier »") {
		e.t.Fatalf("the activation's mail:\n%s", m)
	}
}

// uploadFolder: the person finds atelier on the home page and uploads a folder with the folder
// picker; a progress bar shows a value between 0 and 100 on the way. It returns the folder on disk.
func (e *e2e) uploadFolder(member context.Context) string {
	e.t.Helper()
	dir := filepath.Join(e.t.TempDir(), "Assemblée 2027")
	big := make([]byte, 20<<20)
	rand.Read(big)
	files := map[string][]byte{
		"Rapport moral.txt":     []byte(strings.Repeat("Rapport moral de l'année écoulée.\n", 200)),
		"Vidéo AG.bin":          big,
		"Photos/Affiche A3.txt": []byte("L'affiche de l'assemblée générale."),
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			e.t.Fatal(err)
		}
	}
	var groups string
	e.run(member, "open atelier from the home page",
		follow(`a.brand`, chromedp.ByQuery),
		chromedp.WaitVisible(`.groups`, chromedp.ByQuery),
		chromedp.Text(`.groups`, &groups, chromedp.ByQuery),
		follow(`.groups a[href="/groups/atelier/files"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#pick-folder`, chromedp.ByID))
	if !strings.Contains(groups, "Atelier") {
		e.t.Fatalf("home page lists %q", groups)
	}
	// The page reloads when the uploads are done: what the bars showed is kept in sessionStorage.
	// Loopback is too fast for a bar to show anything but 0 and 100: the upload is slowed down to a
	// fibre line's 16 MB/s.
	var seen string
	e.run(member, "upload the folder",
		network.Enable(),
		network.EmulateNetworkConditions(false, 0, -1, 16<<20),
		chromedp.Evaluate(`new MutationObserver(() => {
			for (const p of document.querySelectorAll("progress"))
				if (p.value > 0 && p.value < 100 && p.getClientRects().length) sessionStorage.seen = (sessionStorage.seen || "") + p.value + " ";
		}).observe(document.getElementById("upload"), { attributes: true, childList: true, subtree: true })`, nil),
		// DOM.setFileInputFiles given a directory fills a webkitdirectory input as choosing it would:
		// each file with its webkitRelativePath.
		chromedp.SetUploadFiles(`#pick-folder`, []string{dir}, chromedp.ByID),
		waitForJS(`document.readyState == "complete" && document.querySelector("table.files").textContent.includes("Assemblée 2027/")`),
		chromedp.Evaluate(`sessionStorage.seen || ""`, &seen),
		network.EmulateNetworkConditions(false, 0, -1, -1))
	if seen == "" {
		e.t.Fatalf("no progress bar showed a value between 0 and 100 during the upload: %q", seen)
	}
	e.t.Logf("progress seen: %s", seen)
	return dir
}

// deleteToTrash: from the shared file's page back to its folder, the person deletes the Photos
// folder, which the trash then lists.
func (e *e2e) deleteToTrash(member context.Context) {
	e.t.Helper()
	var trash string
	e.run(member, "delete a folder",
		follow(`//main/p/a[starts-with(., "←")]`, chromedp.BySearch),
		chromedp.WaitVisible(`button.delete[data-name="Photos"]`, chromedp.ByQuery),
		chromedp.Evaluate(`window.confirm = () => true`, nil),
		follow(`button.delete[data-name="Photos"]`, chromedp.ByQuery),
		waitForJS(`document.readyState == "complete" && !!document.querySelector("table.files") && !document.querySelector('button.delete[data-name="Photos"]')`),
		follow(`.folder-actions a[href$="/trash"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#trash`, chromedp.ByID),
		chromedp.Text(`#trash`, &trash, chromedp.ByID))
	if !strings.Contains(trash, "/Assemblée 2027/Photos/") {
		e.t.Fatalf("the trash lists:\n%s", trash)
	}
}
