package server

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"parvis/access"
)

// TestPeoplePageRequests: a person asks to join from the list of groups; the group's animators see
// the request (its message escaped) and answer it with the page's forms — a refusal needs a reason,
// which the person then reads; members see the people but none of the controls; outsiders get 404.
func TestPeoplePageRequests(t *testing.T) {
	ts := newTestServer(t)
	bb := signedIn(t, ts, bob)
	body := mustGet(t, bb, "/groups")
	if !strings.Contains(body, `action="/groups/atelier/join"`) || strings.Contains(body, `action="/groups/bureau/join"`) {
		t.Fatalf("list of groups:\n%s", body)
	}
	tok := csrfRE.FindStringSubmatch(body)[1]
	if code, _, _ := bb.do("POST", "/groups/atelier/join", url.Values{"message": {"x"}}); code != 403 {
		t.Fatalf("ask without CSRF token: %d", code)
	}
	ask := func() {
		t.Helper()
		if code, _, h := bb.do("POST", "/groups/atelier/join", url.Values{"_csrf": {tok}, "message": {"<script>alert(1)</script> bonjour"}}); code != 303 || h.Get("Location") != "/groups?done=asked" {
			t.Fatalf("ask: %d", code)
		}
	}
	ask()
	if code, body, _ := bb.do("POST", "/groups/atelier/join", url.Values{"_csrf": {tok}}); code != 409 || !strings.Contains(body, "déjà une demande") {
		t.Fatalf("ask twice: %d", code)
	}
	if body := mustGet(t, bb, "/groups"); !strings.Contains(body, "Demande en cours") || !strings.Contains(body, "en attente des animateur·ices") {
		t.Fatalf("pending request not shown:\n%s", body)
	}
	if code, _, _ := bb.do("GET", "/groups/atelier/people", nil); code != 404 {
		t.Fatalf("outsider's people page: %d", code)
	}

	al := signedIn(t, ts, alice)
	body = mustGet(t, al, "/groups/atelier/people")
	if !strings.Contains(body, anna) || !strings.Contains(body, "animateur·ice") || strings.Contains(body, "bonjour") || strings.Contains(body, "/remove") {
		t.Fatalf("a member's people page:\n%s", body)
	}

	an := signedIn(t, ts, anna)
	body = mustGet(t, an, "/groups/atelier/people")
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; bonjour") {
		t.Fatalf("request message not escaped or missing:\n%s", body)
	}
	m := regexp.MustCompile(`/groups/atelier/people/requests/(\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no decision form")
	}
	atok := csrfRE.FindStringSubmatch(body)[1]
	decide := func(decision, reason string, want int) string {
		t.Helper()
		code, body, _ := an.do("POST", "/groups/atelier/people/requests/"+m[1], url.Values{"_csrf": {atok}, "decision": {decision}, "reason": {reason}})
		if code != want {
			t.Fatalf("%s: %d, want %d\n%s", decision, code, want, body)
		}
		return body
	}
	if body := decide("refuse", "", 422); !strings.Contains(body, "motif du refus") {
		t.Fatalf("refusal without reason:\n%s", body)
	}
	decide("refuse", "Le groupe est complet", 303)
	decide("accept", "", 404) // already answered
	if body := mustGet(t, bb, "/groups"); !strings.Contains(body, "refusée — Le groupe est complet") {
		t.Fatalf("the refusal's reason is not shown:\n%s", body)
	}
	ask()
	body = mustGet(t, an, "/groups/atelier/people")
	m = regexp.MustCompile(`/groups/atelier/people/requests/(\d+)`).FindStringSubmatch(body)
	decide("accept", "", 303)
	if body := mustGet(t, bb, "/groups"); !strings.Contains(body, "validée, en attente d&#39;activation") {
		t.Fatalf("the validation is not shown:\n%s", body)
	}
	if !strings.Contains(ts.auditActions(t), anna+" request.validated atelier") {
		t.Fatal("the decision is not audited")
	}
}

// TestPeoplePageManage: animators invite, change a guest's end of access and a role, and remove;
// the last animator can neither leave nor step down; members may not; an administrator outside the
// group manages it and gets the link to hand over to a person without e-mail.
func TestPeoplePageManage(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	id := func(email string) string {
		p, err := ts.srv.in.db.R(ctx).PersonByEmail(email)
		if err != nil {
			t.Fatal(err)
		}
		return strconv.FormatInt(p.ID, 10)
	}
	an := signedIn(t, ts, anna)
	tokens := map[*browser]string{}
	post := func(b *browser, path string, v url.Values, want int) string {
		t.Helper()
		if tokens[b] == "" {
			tokens[b] = b.form("/groups")
		}
		v.Set("_csrf", tokens[b])
		code, body, _ := b.do("POST", path, v)
		if code != want {
			t.Fatalf("POST %s: %d, want %d\n%s", path, code, want, body)
		}
		return body
	}
	if body := post(an, "/groups/atelier/people/invite", url.Values{"email": {"pas-une-adresse"}, "role": {"guest"}}, 422); !strings.Contains(body, "pas une adresse e-mail valide") {
		t.Fatalf("invalid e-mail:\n%s", body)
	}
	// This server has no mail server: the animator gets the new account's link, to hand over.
	code, invited, _ := an.do("POST", "/groups/atelier/people/invite", url.Values{"_csrf": {tokens[an]}, "email": {"Invitee@example.org"},
		"name": {"<b>Iris</b>"}, "role": {"guest"}, "expires": {"2099-06-30"}})
	link := regexp.MustCompile(`/password/[A-Za-z0-9_-]+`).FindString(invited)
	if code != 200 || !strings.Contains(invited, "Remettez ce lien à la personne") || link == "" {
		t.Fatalf("an invitation on a server without mail: %d\n%s", code, invited)
	}
	if code, page, _ := newBrowser(t, ts.URL, "fr").do("GET", link, nil); code != 200 || !strings.Contains(page, `name="password"`) {
		t.Fatalf("the handed-over link: %d\n%s", code, page)
	}
	if !strings.Contains(ts.auditActions(t), "person.link.handover Invitee@example.org") {
		t.Error("handing over the link is not audited")
	}
	// An account that existed before the invitation is not the inviter's to open: its link waits
	// for an administrator, and the page says so.
	code, _, hdr := an.do("POST", "/groups/atelier/people/invite", url.Values{"_csrf": {tokens[an]}, "email": {"Invitee@example.org"}, "role": {"guest"}})
	if code != 303 || !strings.HasSuffix(hdr.Get("Location"), "done=unsent") {
		t.Fatalf("inviting again an account without password: %d %s", code, hdr.Get("Location"))
	}
	if body := mustGet(t, an, hdr.Get("Location")); !strings.Contains(body, "n&#39;envoie pas encore de courriel") || strings.Contains(body, "/password/") {
		t.Fatalf("the people page after it:\n%s", body)
	}
	body := mustGet(t, an, "/groups/atelier/people")
	if !strings.Contains(body, "&lt;b&gt;Iris&lt;/b&gt; — Invitee@example.org") || !strings.Contains(body, "accès jusqu&#39;au 30 juin 2099") {
		t.Fatalf("invited guest:\n%s", body)
	}
	post(an, "/groups/atelier/people/"+id(gus)+"/role", url.Values{"role": {"guest"}, "expires": {"2099-01-15"}}, 303)
	post(an, "/groups/atelier/people/"+id(alice)+"/role", url.Values{"role": {"animator"}}, 303)
	if body := mustGet(t, an, "/groups/atelier/people"); !strings.Contains(body, "accès jusqu&#39;au 15 janvier 2099") {
		t.Fatalf("guest's new end of access:\n%s", body)
	}
	post(an, "/groups/atelier/people/"+id(alice)+"/role", url.Values{"role": {"member"}}, 303)
	for _, path := range []string{"/groups/atelier/people/" + id(anna) + "/remove", "/groups/atelier/people/" + id(anna) + "/role"} {
		if body := post(an, path, url.Values{"role": {"member"}}, 409); !strings.Contains(body, "dernier animateur") {
			t.Fatalf("%s of the last animator:\n%s", path, body)
		}
	}
	post(an, "/groups/atelier/people/"+id(gus)+"/remove", url.Values{}, 303)
	if body := mustGet(t, an, "/groups/atelier/people"); strings.Contains(body, gus) {
		t.Fatal("removed person still listed")
	}
	post(an, "/groups/atelier/people/"+id(bob)+"/remove", url.Values{}, 404) // not in the group

	al := signedIn(t, ts, alice)
	post(al, "/groups/atelier/people/"+id(anna)+"/remove", url.Values{}, 403)
	post(al, "/groups/atelier/people/invite", url.Values{"email": {"x@example.org"}, "role": {"member"}}, 403)
	if code, _, _ := an.do("POST", "/groups/atelier/people/"+id(alice)+"/remove", url.Values{}); code != 403 {
		t.Fatalf("remove without CSRF token: %d", code)
	}

	if _, err := ts.srv.in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: "dsi@example.org", Password: pw, Admin: true}); err != nil {
		t.Fatal(err)
	}
	ad := signedIn(t, ts, "dsi@example.org")
	body = mustGet(t, ad, "/groups/bureau/people")
	if !strings.Contains(body, `action="/groups/bureau/people/invite"`) || !strings.Contains(body, `name="handover"`) {
		t.Fatalf("administrator's people page:\n%s", body)
	}
	if code, _, _ := ad.do("GET", "/groups/bureau/files", nil); code != 404 {
		t.Fatalf("an administrator reads a group's files without a role: %d", code)
	}
	body = post(ad, "/groups/bureau/people/invite", url.Values{"email": {"sans-mail@asso.example.org"}, "role": {"member"}, "handover": {"1"}}, 200)
	if !regexp.MustCompile(`value="http://[^"]+/password/[^"]+"`).MatchString(body) {
		t.Fatalf("no link to hand over:\n%s", body)
	}
	audit := ts.auditActions(t)
	for _, a := range []string{anna + " group.invite atelier Invitee@example.org guest", anna + " group.remove atelier " + gus, "dsi@example.org group.invite bureau"} {
		if !strings.Contains(audit, a) {
			t.Errorf("audit lacks %q", a)
		}
	}
}
