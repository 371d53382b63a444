package server

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"parvis/access"
	"parvis/storage/db"
)

// post sends a form as a signed-in browser, its CSRF token added, and returns the status, the
// page (or the redirect's target) shown.
func post(t *testing.T, b *browser, csrf, path string, kv ...string) (int, string) {
	t.Helper()
	v := url.Values{"_csrf": {csrf}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	code, body, h := b.do("POST", path, v)
	if code == 303 {
		return code, h.Get("Location")
	}
	return code, html.UnescapeString(body)
}

func pageText(t *testing.T, b *browser, path string) string {
	t.Helper()
	return html.UnescapeString(mustGet(t, b, path))
}

// TestAnnouncementList: an animator sets up the association's announcement list from the pages,
// where only the president (anna) and the IT lead (bob, of another group) post. A member's mail
// is refused with a reason while the list refuses others, held once it moderates them; the
// moderator approves it from the page; the archive is searchable; a member mutes the list from its
// page, anyone one-clicks the unsubscribe link of a copy; administrators see and clear a bounce.
func TestAnnouncementList(t *testing.T) {
	ts, box, lmtp := listServer(t)
	ctx := context.Background()
	annaB, annaCSRF := signInBrowser(t, ts, anna)
	if body := pageText(t, annaB, "/groups/atelier/lists"); !strings.Contains(body, `href="/groups/atelier/lists" aria-current="page"`) ||
		!strings.Contains(body, "Aucune liste pour l'instant.") || !strings.Contains(body, "Créer une liste") {
		t.Fatalf("the lists tab:\n%s", body)
	}
	rules := []string{"name", "Annonces", "description", "Les nouvelles de l'association", "audience", "association",
		"posters", "named", "others", "refuse", "reply_to", "author"}
	code, body := post(t, annaB, annaCSRF, "/groups/atelier/lists", append([]string{"address", "Annonces !"}, rules...)...)
	if code != 422 || !strings.Contains(body, "lettres minuscules, de chiffres et de tirets") {
		t.Fatalf("a bad address: %d\n%s", code, body)
	}
	code, body = post(t, annaB, annaCSRF, "/groups/atelier/lists", append([]string{"address", "annonces", "named", "inconnu@example.org"}, rules...)...)
	if code != 422 || !strings.Contains(body, "Désignez au moins une personne") || !strings.Contains(body, `value="Annonces"`) {
		t.Fatalf("an unknown named poster: %d\n%s", code, body)
	}
	code, to := post(t, annaB, annaCSRF, "/groups/atelier/lists", append([]string{"address", "annonces", "named", anna + "\n" + bob}, rules...)...)
	if code != 303 || to != "/groups/atelier/lists/annonces?done=created" {
		t.Fatalf("create: %d %s", code, to)
	}
	body = pageText(t, annaB, to)
	for _, want := range []string{"Liste créée", "annonces@" + listsDomain, "Tous les membres de l'association",
		"Seules les personnes désignées écrivent", "Les autres messages sont refusés", "Destinataires aujourd'hui\u00a0: 3"} {
		if !strings.Contains(body, want) {
			t.Errorf("the new list's page lacks %q", want)
		}
	}
	if audit := ts.auditActions(t); !strings.Contains(audit, "list.create") {
		t.Errorf("the list's creation is not audited: %s", audit)
	}

	// A member's mail is refused at the relay, with the reason; the president's reaches every
	// member of the association with an address (not the guest).
	annonce := func(from, subject string) map[string]error {
		msg := strings.Replace(message(from, subject, "Assemblée générale le 12 mars."), "To: atelier@", "To: annonces@", 1)
		return lmtpSend(t, lmtp, from, []string{"annonces@" + listsDomain}, msg)
	}
	if got := annonce(alice, "Mon annonce")["annonces@"+listsDomain]; got == nil || !strings.Contains(got.Error(), "550") {
		t.Fatalf("a member's post to the announcement list: %v, want a 550 refusal", got)
	}
	if got := annonce(anna, "Convocation AG")["annonces@"+listsDomain]; got != nil {
		t.Fatalf("the president's post: %v", got)
	}
	if got := recipients(box.waitCopies(t, "Convocation AG", 3)); !got[alice] || !got[anna] || !got[bob] {
		t.Fatalf("the announcement reached %v, want alice, anna and bob", got)
	}
	if n := len(box.with("Mon annonce")); n != 0 {
		t.Fatalf("the refused post went out: %d copies", n)
	}
	if got := annonce(bob, "Panne du serveur")["annonces@"+listsDomain]; got != nil {
		t.Fatalf("the IT lead's post: %v", got)
	}
	box.waitCopies(t, "Panne du serveur", 3)

	// The list now holds others' messages: alice's waits, from mail and from the page.
	code, to = post(t, annaB, annaCSRF, "/groups/atelier/lists/annonces", append(rules[:8:8], "others", "moderate", "reply_to", "author",
		"named", anna+"\n"+bob)...)
	if code != 303 {
		t.Fatalf("edit: %d %s", code, to)
	}
	if got := annonce(alice, "Vide-grenier")["annonces@"+listsDomain]; got != nil {
		t.Fatalf("a held post must be accepted: %v", got)
	}
	aliceB, aliceCSRF := signInBrowser(t, ts, alice)
	if body := pageText(t, aliceB, "/groups/atelier/lists/annonces"); !strings.Contains(body, "attendra l'accord") || strings.Contains(body, "/held") {
		t.Fatalf("a member's view of the announcement list:\n%s", body)
	}
	code, to = post(t, aliceB, aliceCSRF, "/groups/atelier/lists/annonces/post", "subject", "Covoiturage", "text", "Qui part de Lyon ?")
	if code != 303 || !strings.HasSuffix(to, "done=held") {
		t.Fatalf("a member's post from the page: %d %s", code, to)
	}
	if code, _, _ := aliceB.do("GET", "/groups/atelier/lists/annonces/held", nil); code != 403 {
		t.Fatalf("a member opened the moderation queue: %d", code)
	}
	held := pageText(t, annaB, "/groups/atelier/lists/annonces/held")
	ids := regexp.MustCompile(`/held/(\d+)/approve`).FindAllStringSubmatch(held, -1)
	if len(ids) != 2 || !strings.Contains(held, "Vide-grenier") || !strings.Contains(held, "Covoiturage") {
		t.Fatalf("the moderation queue:\n%s", held)
	}
	for _, id := range ids {
		if code, to := post(t, annaB, annaCSRF, "/groups/atelier/lists/annonces/held/"+id[1]+"/approve"); code != 303 || !strings.HasSuffix(to, "done=approved") {
			t.Fatalf("approve: %d %s", code, to)
		}
	}
	if _, to := post(t, annaB, annaCSRF, "/groups/atelier/lists/annonces/held/"+ids[0][1]+"/reject"); !strings.HasSuffix(to, "done=decided") {
		t.Fatalf("a second decision: %s", to)
	}
	box.waitCopies(t, "Covoiturage", 3)

	// The archive, searched by a member of another group: bob reads the association's list.
	bobB, _ := signInBrowser(t, ts, bob)
	if body := pageText(t, bobB, "/groups/bureau/lists"); !strings.Contains(body, "Listes de toute l'association") || !strings.Contains(body, "(Atelier)") {
		t.Fatalf("bureau's lists page does not offer the association's list:\n%s", body)
	}
	body = pageText(t, bobB, "/groups/atelier/lists/annonces?q=lyon")
	if !strings.Contains(body, "Covoiturage") || strings.Contains(body, "Convocation AG") || strings.Contains(body, `href="/groups/atelier/files"`) {
		t.Fatalf("searching the archive for lyon:\n%s", body)
	}
	if body := pageText(t, bobB, "/groups/atelier/lists/annonces?q=introuvable"); !strings.Contains(body, "Aucun message ne correspond.") {
		t.Fatalf("a search with no match:\n%s", body)
	}

	// alice mutes the list from its page; anna one-clicks her copy's unsubscribe link.
	if code, to := post(t, aliceB, aliceCSRF, "/groups/atelier/lists/annonces/mode", "mode", "mute"); code != 303 || !strings.HasSuffix(to, "done=mode") {
		t.Fatalf("mute: %d %s", code, to)
	}
	var unsubscribe string
	for _, c := range box.with("Convocation AG") {
		if c.to == anna {
			unsubscribe = regexp.MustCompile(`List-Unsubscribe: <([^>]+)>`).FindStringSubmatch(c.data)[1]
		}
	}
	path := strings.TrimPrefix(unsubscribe, ts.cfg.PublicURL())
	signedOut := newBrowser(t, ts.URL, "fr")
	if body := pageText(t, signedOut, path); !strings.Contains(body, "Ne plus recevoir") {
		t.Fatalf("the unsubscribe page:\n%s", body)
	}
	if code, body, _ := signedOut.do("POST", path, url.Values{"List-Unsubscribe": {"One-Click"}}); code != 200 || !strings.Contains(html.UnescapeString(body), "vous ne recevez plus") {
		t.Fatalf("one-click unsubscribe: %d\n%s", code, body)
	}
	if got := annonce(bob, "Nouvelle adresse")["annonces@"+listsDomain]; got != nil {
		t.Fatal(got)
	}
	if got := recipients(box.waitCopies(t, "Nouvelle adresse", 1)); !got[bob] {
		t.Fatalf("after alice muted and anna unsubscribed, the copies went to %v, want bob only", got)
	}
	if body := pageText(t, annaB, "/groups/atelier/lists/annonces"); !regexp.MustCompile(`value="mute" checked`).MatchString(body) {
		t.Fatalf("anna's list page does not show her choice:\n%s", body)
	}
	if code, body, _ := signedOut.do("POST", "/lists/unsubscribe/1.2.AAAA", nil); code != 404 || !strings.Contains(html.UnescapeString(body), "pas valable") {
		t.Fatalf("a forged unsubscribe link: %d\n%s", code, body)
	}

	// A bounce, seen and cleared by an administrator.
	alicePerson, _ := ts.srv.in.db.R(ctx).PersonByEmail(alice)
	if err := ts.srv.in.db.Write(ctx, func(tx *db.Tx) error { return tx.RecordBounce(alicePerson.ID, alice+": 5.1.1 user unknown") }); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.srv.in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: "dsi@example.org", Password: pw, Admin: true}); err != nil {
		t.Fatal(err)
	}
	adminB, adminCSRF := signInBrowser(t, ts, "dsi@example.org")
	if body := pageText(t, adminB, "/admin/bounces"); !strings.Contains(body, "5.1.1 user unknown") || !strings.Contains(body, alice) {
		t.Fatalf("the bounces page:\n%s", body)
	}
	if code, _ := post(t, adminB, adminCSRF, fmt.Sprintf("/admin/bounces/%d/clear", alicePerson.ID)); code != 303 {
		t.Fatalf("clear: %d", code)
	}
	if body := pageText(t, adminB, "/admin/bounces"); !strings.Contains(body, "Aucune adresse en échec.") {
		t.Fatalf("after clearing:\n%s", body)
	}
	if audit := ts.auditActions(t); !strings.Contains(audit, "person.bounce.clear") || !strings.Contains(audit, "list.rules") {
		t.Errorf("audit: %s", audit)
	}
}
