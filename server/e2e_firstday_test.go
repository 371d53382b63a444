package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"parvis/locale"
)

// TestE2EFirstDay walks the first day of a server as installed, empty and sending no mail, in
// Chromium: the administrator from the first link to a group with two animators, through the
// dashboard's first steps; an animator, from the link handed over, inviting a guest and handing
// over theirs; the guest reading what they may do. Each step's message is read off the page.
func TestE2EFirstDay(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	e := newE2EServer(t, false)
	link, err := e.ts.srv.in.access.FirstAdminLink(context.Background())
	if err != nil || link == "" {
		t.Fatalf("no first-administrator link: %v", err)
	}
	admin := e.person()
	e.run(admin, "create the first administrator from the link",
		chromedp.Navigate(e.ts.URL+"/setup/"+link),
		chromedp.WaitVisible("#email", chromedp.ByID),
		chromedp.SendKeys("#email", "bureau@asso.example", chromedp.ByID),
		chromedp.SendKeys("#name", "Bureau", chromedp.ByID),
		chromedp.SendKeys("#password", "le bureau de l'asso", chromedp.ByID),
		follow(`form.card button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`header a[href="/admin"]`, chromedp.ByQuery))
	e.firstSteps(admin, "todo Brancher", "todo Mettre en place", "todo Créer un premier groupe", "todo Nommer", "todo Ouvrir")

	var notice string
	e.run(admin, "create the group",
		chromedp.Navigate(e.ts.URL+"/admin/groups"),
		chromedp.WaitVisible("#slug", chromedp.ByID),
		chromedp.SendKeys("#slug", "collectif", chromedp.ByID),
		chromedp.SendKeys("#gname", "Collectif", chromedp.ByID),
		follow(`form[action="/admin/groups"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.Text(`p.notice`, &notice, chromedp.ByQuery))
	if notice != "Groupe créé." {
		t.Fatalf("after creating the group: %q", notice)
	}
	e.firstSteps(admin, "todo Brancher", "todo Mettre en place", "done Créer un premier groupe", "todo Nommer", "todo Ouvrir")

	// The groups page names the group's missing animators and leads to where they are named; with
	// no mail server, each new account's link is handed to the administrator.
	e.run(admin, "open the group's people from the groups page",
		chromedp.Navigate(e.ts.URL+"/admin/groups"),
		follow(`a[href="/groups/collectif/people"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#invite-email", chromedp.ByID))
	anna := e.invite(admin, "anna@asso.example", "Anna", "animator", time.Time{})
	e.invite(admin, "paul@asso.example", "Paul", "animator", time.Time{})
	e.firstSteps(admin, "todo Brancher", "todo Mettre en place", "done Créer un premier groupe", "done Nommer", "done Ouvrir")
	var warnings string
	e.run(admin, "read the key roles", chromedp.Text(`main`, &warnings, chromedp.ByQuery))
	if strings.Contains(warnings, "Le groupe collectif") {
		t.Errorf("two animators, the dashboard still warns:\n%s", warnings)
	}

	// The animator sets her password from the handed-over link, invites a guest until a date and
	// hands over the guest's link too.
	animator := e.person()
	e.setPassword(animator, anna, "l'atelier d'Anna")
	until := time.Now().AddDate(0, 1, 0)
	e.run(animator, "open the group's people", chromedp.Navigate(e.ts.URL+"/groups/collectif/people"), chromedp.WaitVisible("#invite-email", chromedp.ByID))
	iris := e.invite(animator, "iris@partenaire.example", "Iris", "guest", until)

	guest := e.person()
	e.setPassword(guest, iris, "la visite d'Iris")
	var role string
	e.run(guest, "read the home page", chromedp.Text(`ul.groups p.role`, &role, chromedp.ByQuery))
	if want := "lecture seule · jusqu'au " + locale.Date("fr", until); !strings.Contains(role, want) || !strings.Contains(role, "invité·e") {
		t.Errorf("the guest's home page says %q, want %q", role, want)
	}
}

// firstSteps reads the dashboard's first steps, each "done" or "todo" and its title, and checks
// that each starts as wanted.
func (e *e2e) firstSteps(admin context.Context, want ...string) {
	e.t.Helper()
	var got []string
	e.run(admin, "read the first steps", chromedp.Navigate(e.ts.URL+"/admin"), chromedp.WaitVisible(".admin-counts", chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll(".first-steps li")].map(li => li.className + " " + li.querySelector("a").textContent)`, &got))
	if len(got) != len(want) {
		e.t.Fatalf("first steps %q, want %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			e.t.Errorf("first step %d is %q, want %q…", i+1, got[i], want[i])
		}
	}
}

// invite fills the people page's invitation (a guest until a day) and returns the link the page
// hands over, checking what it says.
func (e *e2e) invite(ctx context.Context, email, name, role string, until time.Time) string {
	e.t.Helper()
	var said, link string
	actions := chromedp.Tasks{
		chromedp.SendKeys("#invite-email", email, chromedp.ByID),
		chromedp.SendKeys("#invite-name", name, chromedp.ByID),
		chromedp.SetValue("#invite-role", role, chromedp.ByID),
	}
	if !until.IsZero() {
		actions = append(actions, chromedp.SetValue("#invite-expires", until.Format(time.DateOnly), chromedp.ByID))
	}
	e.run(ctx, "invite "+email, actions,
		follow(`form[action$="/people/invite"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#handover-link", chromedp.ByID),
		chromedp.Text(`section[role="status"] p`, &said, chromedp.ByQuery),
		chromedp.Value("#handover-link", &link, chromedp.ByID))
	if !strings.HasPrefix(said, "Remettez ce lien à la personne") || !strings.HasPrefix(link, e.ts.URL+"/password/") {
		e.t.Fatalf("inviting %s without a mail server: %q, link %q", email, said, link)
	}
	return link
}

// setPassword opens a set-password link, chooses the password and lands signed in on the home page.
func (e *e2e) setPassword(ctx context.Context, link, password string) {
	e.t.Helper()
	e.run(ctx, "choose a password from "+link,
		chromedp.Navigate(link),
		chromedp.WaitVisible("#password", chromedp.ByID),
		chromedp.SendKeys("#password", password, chromedp.ByID),
		follow(`form.card button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`header a[href="/account"]`, chromedp.ByQuery))
}
