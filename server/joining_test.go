package server

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"parvis/access"
	"parvis/storage/db"
)

// TestJoiningFromSignUp runs the whole way in over HTTP, as people do it: two people sign up on the
// page and choose their password from the mailed link, then ask to join a group on /groups. The
// animator validates one (no access yet: the group requires membership), the administrator's
// activation is refused until the dues arrive by a payment platform's CSV export, and once activated
// the person's DAV clients see the group's folder, agenda and address book. The other request is
// refused: no access anywhere, not to files, calendars, contacts nor the group's pages.
func TestJoiningFromSignUp(t *testing.T) {
	ts, box := mailServer(t)
	ctx := context.Background()
	if _, err := ts.srv.in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: dsi, Password: pw, Admin: true}); err != nil {
		t.Fatal(err)
	}
	join := func(email string) *browser {
		t.Helper()
		b := newBrowser(t, ts.URL, "fr")
		tok := b.form("/signup")
		if code, body, _ := b.do("POST", "/signup", url.Values{"_csrf": {tok}, "email": {email}, "name": {"Nouvelle personne"}}); code != 200 {
			t.Fatalf("sign-up of %s: %d\n%s", email, code, body)
		}
		link, _ := url.Parse(box.link(t, email))
		tok = b.form(link.Path)
		if code, _, _ := b.do("POST", link.Path, url.Values{"_csrf": {tok}, "password": {pw}}); code != 303 {
			t.Fatalf("%s chooses a password: %d", email, code)
		}
		tok = b.form("/groups")
		if code, _, _ := b.do("POST", "/groups/atelier/join", url.Values{"_csrf": {tok}, "message": {"Je répare des vélos."}}); code != 303 {
			t.Fatalf("%s asks to join: %d", email, code)
		}
		return b
	}
	carla, denis := "carla@example.org", "denis@example.org"
	join(carla)
	denisWeb := join(denis)
	waitMail(t, box, anna)

	var pending struct {
		Requests []struct {
			Message, Status string
		}
	}
	ts.apiJSON(t, 200, "GET", "/api/groups/atelier/requests", anna, "", &pending)
	if len(pending.Requests) != 2 || pending.Requests[0].Message != "Je répare des vélos." || pending.Requests[1].Status != "pending" {
		t.Fatalf("the animator sees %+v", pending)
	}
	requestOf := func(email string) int64 {
		t.Helper()
		p, err := ts.srv.in.db.R(ctx).PersonByEmail(email)
		if err != nil {
			t.Fatal(err)
		}
		reqs, err := ts.srv.in.db.R(ctx).PersonRequests(p.ID)
		if err != nil || len(reqs) != 1 {
			t.Fatalf("requests of %s: %v %v", email, reqs, err)
		}
		return reqs[0].ID
	}
	cReq, dReq := requestOf(carla), requestOf(denis)
	ts.apiJSON(t, 200, "POST", fmt.Sprintf("/api/requests/%d/decision", cReq), anna, `{"accept": true}`, nil)
	ts.apiJSON(t, 200, "POST", fmt.Sprintf("/api/requests/%d/decision", dReq), anna, `{"accept": false, "reason": "complet"}`, nil)

	cid, did := personID(t, ts, carla), personID(t, ts, denis)
	places := func(id int64) []string {
		return []string{"/dav/files/atelier/", fmt.Sprintf("/dav/calendars/%d/atelier~agenda/", id), fmt.Sprintf("/dav/addressbooks/%d/atelier~contacts/", id)}
	}
	expect := func(email string, id int64, want int, when string) {
		t.Helper()
		for _, p := range places(id) {
			if code := davStatus(t, ts, p, email, pw); code != want {
				t.Fatalf("%s, %s: PROPFIND %s → %d, want %d", when, email, p, code, want)
			}
		}
	}
	expect(carla, cid, 404, "validated, not active")

	activate := fmt.Sprintf("/api/admin/requests/%d/activate", cReq)
	ts.apiJSON(t, 409, "POST", activate, dsi, "", nil)
	csv := fmt.Sprintf("\ufeffDate de la commande;Email payeur;Montant\n02/01/%d 10:00;%s;15,00\n03/01/%d;personne@example.org;10\n",
		time.Now().Year(), carla, time.Now().Year())
	var report struct{ Imported int }
	ts.apiJSON(t, 200, "POST", "/api/admin/dues/import", dsi, csv, &report)
	if report.Imported != 1 {
		t.Fatalf("dues import: %+v", report)
	}
	ts.apiJSON(t, 200, "POST", activate, dsi, "", nil)
	expect(carla, cid, 207, "active")
	// The set-password link, the validation and the activation: carla is told at each step.
	for deadline := time.Now().Add(10 * time.Second); box.count(carla) < 3; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("carla received %d mails, want 3", box.count(carla))
		}
	}
	waitMailContaining(t, box, denis, "complet") // the refusal's reason

	expect(denis, did, 404, "refused")
	for _, page := range []string{"/groups/atelier/files", "/groups/atelier/agenda", "/groups/atelier/people"} {
		if code, _, _ := denisWeb.do("GET", page, nil); code != 404 {
			t.Fatalf("refused person: %s → %d, want 404", page, code)
		}
	}
}

// waitMailContaining waits for a mail to `to` whose text contains want, and returns it.
func waitMailContaining(t *testing.T, b *smtpBox, to, want string) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b.mu.Lock()
		for _, m := range b.msgs {
			if m.to == to && strings.Contains(m.data, want) {
				b.mu.Unlock()
				return m.data
			}
		}
		b.mu.Unlock()
	}
	t.Fatalf("no mail to %s containing %q", to, want)
	return ""
}

// TestRequestToAGroupWithoutAnimator: asking to join a group nobody animates says so, and mails
// the administrators instead of nobody; their groups page leads to the group's people, where they
// name its animator, who then answers the request.
func TestRequestToAGroupWithoutAnimator(t *testing.T) {
	ts, box := mailServer(t)
	admin, _ := withAdmin(t, ts)
	if _, err := ts.srv.in.access.CreateGroup(context.Background(), access.CLI, "velo", "Vélo"); err != nil {
		t.Fatal(err)
	}
	b := signedIn(t, ts, bob)
	code, _, h := b.submit("/groups", "/groups/velo/join", url.Values{"message": {"je répare des vélos"}})
	if code != 303 || h.Get("Location") != "/groups?done=asked-noanimator" {
		t.Fatalf("the request: %d %s", code, h.Get("Location"))
	}
	if page := mustGet(t, b, h.Get("Location")); !strings.Contains(page, "pas encore d&#39;animateur·ice") {
		t.Fatalf("the asker is not told the truth:\n%s", page)
	}
	if mail := box.body(t, dsi); !strings.Contains(mail, "je répare des vélos") || !strings.Contains(mail, "/admin/groups") {
		t.Fatalf("the administrator's mail:\n%s", mail)
	}
	if page := mustGet(t, admin, "/admin/groups"); !strings.Contains(page, `href="/groups/velo/people"`) {
		t.Fatalf("the groups page does not lead to the group's people:\n%s", page)
	}
	if code, _, _ := admin.do("GET", "/groups/velo/people", nil); code != 200 {
		t.Fatalf("the administrator on the group's people page: %d", code)
	}
}

// TestGroupsPageSaysWhatJoiningTakes: the groups page names each group's animators (by name only,
// their addresses are not shown outside the group), says when a group has none, and what joining
// takes: the animators, and an administrator's activation where the group asks for dues.
func TestGroupsPageSaysWhatJoiningTakes(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	if _, err := ts.srv.in.access.Rename(ctx, db.Person{ID: personID(t, ts, anna), Email: anna}, "Anna Martin"); err != nil {
		t.Fatal(err)
	}
	page := mustGet(t, signedIn(t, ts, bob), "/groups")
	atelier := page[strings.Index(page, ">Atelier<"):strings.Index(page, ">Bureau<")]
	if !strings.Contains(atelier, "Animé par : Anna Martin") && !strings.Contains(atelier, "Animé par\u00a0: Anna Martin") {
		t.Fatalf("atelier's line:\n%s", atelier)
	}
	if strings.Contains(page, anna) {
		t.Fatal("an animator's address is shown outside the group")
	}
	commun := page[strings.Index(page, ">Commun<"):]
	if !strings.Contains(commun, "Pas encore d&#39;animateur·ice") || !strings.Contains(atelier, "cotisation") {
		t.Fatalf("commun's line:\n%s\natelier's:\n%s", commun, atelier)
	}
}
