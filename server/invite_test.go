package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"parvis/access"
)

// TestInvitationByMail: an animator invites a new address; the mail reaches a real SMTP server with
// a link; the person chooses a password with it (a weak one is refused next to the field), is
// signed in, and their DAV client now opens the group's folder. The link works once.
func TestInvitationByMail(t *testing.T) {
	ts, box := mailServer(t)
	ts.apiJSON(t, 403, "POST", "/api/groups/atelier/invitations", alice, `{"email": "nouvelle@example.org", "role": "member"}`, nil)
	var inv struct {
		Created, Mailed bool
	}
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/invitations", anna, `{"email": "nouvelle@example.org", "name": "Nadia", "role": "member"}`, &inv)
	if !inv.Created || !inv.Mailed {
		t.Fatalf("invitation: %+v", inv)
	}
	link := box.link(t, "nouvelle@example.org")
	u, _ := url.Parse(link)
	b := newBrowser(t, ts.URL, "fr")
	tok := b.form(u.Path)
	if code, body, _ := b.do("POST", u.Path, url.Values{"_csrf": {tok}, "password": {"court"}}); code != 422 || !strings.Contains(body, "10 caractères") {
		t.Fatalf("weak password: %d", code)
	}
	if code, _, _ := b.do("POST", u.Path, url.Values{"_csrf": {tok}, "password": {"un bon mot de passe"}}); code != 303 {
		t.Fatalf("set password: %d", code)
	}
	if code, body, _ := b.do("GET", "/", nil); code != 200 || !strings.Contains(body, "Atelier") {
		t.Fatalf("signed in after choosing the password: %d", code)
	}
	hr, _ := http.NewRequest("PROPFIND", ts.URL+"/dav/files/atelier/", nil)
	hr.Header.Set("Depth", "0")
	hr.SetBasicAuth("nouvelle@example.org", "un bon mot de passe")
	resp, err := http.DefaultClient.Do(hr)
	if err != nil || resp.StatusCode != 207 {
		t.Fatalf("the invited person's DAV client: %v %v", resp, err)
	}
	resp.Body.Close()
	if code, body, _ := newBrowser(t, ts.URL, "fr").do("GET", u.Path, nil); code != 404 || !strings.Contains(body, "plus valable") {
		t.Fatalf("a used link: %d", code)
	}
}

// TestForgottenPassword: the reset link reaches the owner only, the same answer is given for an
// unknown address, and the old password stops working.
func TestForgottenPassword(t *testing.T) {
	ts, box := mailServer(t)
	b := newBrowser(t, ts.URL, "fr")
	for _, email := range []string{bob, "inconnu@example.org"} {
		tok := b.form("/forgot")
		if code, body, _ := b.do("POST", "/forgot", url.Values{"_csrf": {tok}, "email": {email}}); code != 200 || !strings.Contains(body, "Si cette adresse a un compte") {
			t.Fatalf("forgot %s: %d", email, code)
		}
	}
	u, _ := url.Parse(box.link(t, bob))
	tok := b.form(u.Path)
	if code, _, _ := b.do("POST", u.Path, url.Values{"_csrf": {tok}, "password": {"nouveau mot de passe"}}); code != 303 {
		t.Fatalf("reset: %d", code)
	}
	if box.count("inconnu@example.org") != 0 {
		t.Fatal("a mail went to an address without an account")
	}
	if _, err := ts.srv.in.access.Authenticate(context.Background(), bob, pw, "127.0.0.1"); err == nil {
		t.Fatal("the old password still works")
	}
	if _, err := ts.srv.in.access.Authenticate(context.Background(), bob, "nouveau mot de passe", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
}

// TestHandoverLink: an administrator invites someone without an e-mail address of their own and
// gets the link to hand over; no mail is sent.
func TestHandoverLink(t *testing.T) {
	ts, box := mailServer(t)
	if _, err := ts.srv.in.access.CreatePerson(context.Background(), access.CLI, access.NewPerson{Email: "dsi@example.org", Password: pw, Admin: true}); err != nil {
		t.Fatal(err)
	}
	var inv struct {
		Link   string
		Mailed bool
	}
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/invitations", "dsi@example.org", `{"email": "marcel@asso.example.org", "role": "guest", "expires": "2099-06-30", "handover": true}`, &inv)
	if inv.Mailed || !strings.Contains(inv.Link, "/password/") || box.count("marcel@asso.example.org") != 0 {
		t.Fatalf("handover: %+v", inv)
	}
}

// TestOutboxWithoutSMTP: with no mail server configured, an invitation's mail waits in the outbox,
// which administrators alone can read.
func TestOutboxWithoutSMTP(t *testing.T) {
	ts := newTestServer(t)
	if _, err := ts.srv.in.access.CreatePerson(context.Background(), access.CLI, access.NewPerson{Email: "dsi@example.org", Password: pw, Admin: true}); err != nil {
		t.Fatal(err)
	}
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/invitations", anna, `{"email": "lea@example.org", "role": "member"}`, nil)
	signIn := func(email string) *browser {
		b := newBrowser(t, ts.URL, "fr")
		tok := b.form("/login")
		if code, _, _ := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {pw}}); code != 303 {
			t.Fatalf("sign-in %s: %d", email, code)
		}
		return b
	}
	if code, _, _ := signIn(anna).do("GET", "/admin/outbox", nil); code != 404 { // the admin area does not exist for others
		t.Fatalf("outbox for an animator: %d", code)
	}
	code, body, _ := signIn("dsi@example.org").do("GET", "/admin/outbox", nil)
	if code != 200 || !strings.Contains(body, "lea@example.org") || !strings.Contains(body, "/password/") || !strings.Contains(body, "en attente") {
		t.Fatalf("outbox: %d\n%s", code, body)
	}
	// The link stands whole, on its own, with a copy button, to be handed over.
	link := regexp.MustCompile(`<code id="link-\d+-0">(https?://[^<]+/password/[A-Za-z0-9_-]+)</code> <button type="button" class="copy"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatalf("the outbox shows no whole link to copy:\n%s", body)
	}
	if code, _, _ := newBrowser(t, ts.URL, "fr").do("GET", strings.TrimPrefix(link[1], "http://localhost:8080"), nil); code != 200 {
		t.Fatalf("the outbox's link %s: %d", link[1], code)
	}
}

// TestSignUp: someone creates their account from the sign-in page, chooses the password through
// the mailed link, and can then ask to join a group; an address already known is told it is one
// account.
func TestSignUp(t *testing.T) {
	ts, box := mailServer(t)
	b := newBrowser(t, ts.URL, "fr")
	tok := b.form("/signup")
	if code, body, _ := b.do("POST", "/signup", url.Values{"_csrf": {tok}, "email": {alice}, "name": {"Alice bis"}}); code != 422 || !strings.Contains(body, "un seul compte") {
		t.Fatalf("known address: %d", code)
	}
	if code, body, _ := b.do("POST", "/signup", url.Values{"_csrf": {tok}, "email": {"emile@example.org"}, "name": {"Émile"}}); code != 200 || !strings.Contains(body, "être envoyé") {
		t.Fatalf("sign-up: %d\n%s", code, body)
	}
	u, _ := url.Parse(box.link(t, "emile@example.org"))
	tok = b.form(u.Path)
	if code, _, _ := b.do("POST", u.Path, url.Values{"_csrf": {tok}, "password": {pw}}); code != 303 {
		t.Fatalf("choose password: %d", code)
	}
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/requests", "emile@example.org", `{"message": "bonjour"}`, nil)
}

// TestLinkMailsComeFromTheDomain: the set-password links are mailed by access in the action's
// transaction, whichever surface acts. An invitation goes out in both languages (the server keeps
// none per person) with the role named in each; a forgotten password answers in the language of the
// page that asked; an animator asking for a handover link gets a mail sent instead, since only
// administrators may hold someone's link.
func TestLinkMailsComeFromTheDomain(t *testing.T) {
	ts, box := mailServer(t)
	var inv struct {
		Link   string
		Mailed bool
	}
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/invitations", anna, `{"email": "zoe@example.org", "role": "guest", "handover": true}`, &inv)
	if !inv.Mailed || inv.Link != "" {
		t.Fatalf("an animator's handover: %+v", inv)
	}
	got := box.subjects(t, "zoe@example.org", 1)
	if len(got) != 1 || got[0] != "Invitation au groupe Atelier / Invitation to the group Atelier" {
		t.Fatalf("invitation subjects: %q", got)
	}
	if body := box.body(t, "zoe@example.org"); !strings.Contains(body, "(invité·e)") || !strings.Contains(body, "(guest)") || !strings.Contains(body, "7 jours") {
		t.Fatalf("invitation body:\n%s", body)
	}

	b := newBrowser(t, ts.URL, "en")
	tok := b.form("/forgot")
	if code, _, _ := b.do("POST", "/forgot", url.Values{"_csrf": {tok}, "email": {bob}}); code != 200 {
		t.Fatalf("forgot: %d", code)
	}
	if got := box.subjects(t, bob, 1); len(got) != 1 || got[0] != "Choose your password" {
		t.Fatalf("forgotten password in English: %q", got)
	}

	if _, err := ts.srv.in.access.MailPasswordLink(context.Background(), access.CLI, alice); err != nil {
		t.Fatal(err)
	}
	box.link(t, alice)
	if log := ts.auditActions(t); !strings.Contains(log, "person.password_link "+alice+" mailed") {
		t.Fatalf("audit:\n%s", log)
	}
	// A new account, opened by an administrator: its mail says who opened it and where, and is
	// not the forgotten-password mail.
	admin, err := ts.srv.in.access.CreatePerson(context.Background(), access.CLI, access.NewPerson{Email: "dsi@example.org", Name: "Dominique", Password: pw, Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.srv.in.access.CreatePerson(context.Background(), access.CLI, access.NewPerson{Email: "nouveau@example.org"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.srv.in.access.MailPasswordLink(context.Background(), access.Actor{Person: admin}, "nouveau@example.org"); err != nil {
		t.Fatal(err)
	}
	if got := box.subjects(t, "nouveau@example.org", 1); len(got) != 1 || !strings.HasPrefix(got[0], "Votre compte sur") {
		t.Fatalf("a new account's mail: %q", got)
	}
	if body := box.body(t, "nouveau@example.org"); !strings.Contains(body, "Dominique <dsi@example.org> vous a ouvert un compte") ||
		strings.Contains(body, "mot de passe actuel") {
		t.Fatalf("a new account's mail:\n%s", body)
	}
	animator, err := ts.srv.in.db.R(context.Background()).PersonByEmail(anna)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.srv.in.access.MailPasswordLink(context.Background(), access.Actor{Person: animator}, alice); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("an animator mailing someone's password link: %v", err)
	}
}

// TestInviteAgain: inviting someone already in the group changes nothing of their membership; for
// someone who never chose a password it sends the link again, which replaces the first.
func TestInviteAgain(t *testing.T) {
	ts, box := mailServer(t)
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/invitations", anna, `{"email": "iris@example.org", "role": "guest", "expires": "2099-06-30"}`, nil)
	first := box.link(t, "iris@example.org")
	var inv struct{ Created, Mailed bool }
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/invitations", anna, `{"email": "iris@example.org", "role": "animator"}`, &inv)
	if inv.Created || !inv.Mailed {
		t.Fatalf("second invitation: %+v", inv)
	}
	if got := box.subjects(t, "iris@example.org", 2); len(got) != 2 {
		t.Fatalf("the link was not sent again: %q", got)
	}
	m, err := ts.srv.in.db.R(context.Background()).GroupMembership("atelier", personID(t, ts, "iris@example.org"))
	if err != nil || m.Role != "guest" || m.ExpiresAt.IsZero() {
		t.Fatalf("the membership changed: %+v %v", m, err)
	}
	u, _ := url.Parse(first)
	if code, _, _ := newBrowser(t, ts.URL, "fr").do("GET", u.Path, nil); code != 404 {
		t.Fatalf("the first link still works: %d", code)
	}
}

// TestNoMailServerSaysSo: on a server without a mail server, signing up and asking for a forgotten
// password say where the link waits instead of claiming it was mailed.
func TestNoMailServerSaysSo(t *testing.T) {
	ts := newTestServer(t)
	b := newBrowser(t, ts.URL, "fr")
	tok := b.form("/forgot")
	if code, body, _ := b.do("POST", "/forgot", url.Values{"_csrf": {tok}, "email": {bob}}); code != 200 ||
		!strings.Contains(body, "n&#39;envoie pas encore de courriel") || strings.Contains(body, "vient de lui être envoyé") {
		t.Fatalf("forgot without a mail server: %d\n%s", code, body)
	}
	tok = b.form("/signup")
	if code, body, _ := b.do("POST", "/signup", url.Values{"_csrf": {tok}, "email": {"sans-courriel@example.org"}, "name": {"Sans"}}); code != 200 ||
		!strings.Contains(body, "boîte d&#39;envoi") {
		t.Fatalf("sign-up without a mail server: %d\n%s", code, body)
	}
}
