package server

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"parvis/access"
	"parvis/config"
	"parvis/storage/db"
)

// TestE2ELists: in Chromium, an animator creates the group's discussion list from its form and
// lands on its page; a member writes to it from the page; the pages of the lists are reviewed in
// both languages at a desktop's and a phone's width.
func TestE2ELists(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	e := newE2E(t, func(c *config.Config) { c.Lists.Domain = listsDomain })
	ctx := context.Background()
	animator := e.signedIn(anna)
	var notice string
	e.run(animator, "create a list", chromedp.Navigate(e.ts.URL+"/groups/atelier/files"),
		follow(`nav.tabs a[href="/groups/atelier/lists"]`, chromedp.ByQuery),
		follow(`a.button[href$="/lists/new"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#address`, chromedp.ByID),
		chromedp.SendKeys(`#address`, "atelier", chromedp.ByID),
		chromedp.SendKeys(`#name`, "Atelier vélo", chromedp.ByID),
		chromedp.SendKeys(`#description`, "Les échanges de l'atelier", chromedp.ByID),
		follow(`form.card button[type="submit"]`, chromedp.ByQuery),
		chromedp.Text(`p[role="status"]`, &notice, chromedp.ByQuery))
	if !strings.Contains(notice, "Liste créée") {
		t.Fatalf("after creating the list: %q", notice)
	}
	member := e.signedIn(alice)
	e.run(member, "post from the page", chromedp.Navigate(e.ts.URL+"/groups/atelier/lists/atelier"),
		chromedp.WaitVisible(`#subject`, chromedp.ByID),
		chromedp.SendKeys(`#subject`, "Sortie de samedi", chromedp.ByID),
		chromedp.SendKeys(`#text`, "Rendez-vous à 10 h devant le local.", chromedp.ByID),
		follow(`form[action$="/post"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.Text(`p[role="status"]`, &notice, chromedp.ByQuery))
	if !strings.Contains(notice, "Message envoyé") {
		t.Fatalf("after posting: %q", notice)
	}

	// A held message and a bounce, for the pages that show them.
	l, err := e.ts.srv.in.db.R(ctx).ListByAddress("atelier")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ts.srv.lists.Receive(ctx, "atelier@"+listsDomain, []byte("From: Vélo Club <club@example.net>\r\nSubject: Prêt de remorque\r\n"+
		"Message-ID: <remorque@example.net>\r\n\r\nBonjour, nous pouvons prêter notre remorque.\r\n")); err != nil {
		t.Fatal(err)
	}
	aliceID := personID(t, e.ts, alice)
	if err := e.ts.srv.in.db.Write(ctx, func(tx *db.Tx) error { return tx.RecordBounce(aliceID, alice+": 5.1.1 mailbox unknown") }); err != nil {
		t.Fatal(err)
	}
	token, err := e.ts.srv.lists.UnsubscribeToken(ctx, l, aliceID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ts.srv.in.access.UpdateList(ctx, access.CLI, "atelier", l.ID, access.NewList{Name: l.Name, Description: l.Description,
		Audience: "members", Posters: "named", Named: []string{anna}, Others: "moderate", ReplyTo: "list"}); err != nil {
		t.Fatal(err)
	}
	admin, visitor := e.signedIn(dsi), e.person()
	messages, _ := e.ts.srv.lists.Messages(ctx, db.Person{ID: aliceID, Email: alice}, l, "", 1)
	if len(messages) != 1 {
		t.Fatalf("the archive: %v", messages)
	}
	msg := "/groups/atelier/lists/atelier/messages/" + strconv.FormatInt(messages[0].ID, 10)
	pages := []reviewed{
		{"lists", animator, e.at("/groups/atelier/lists", "ul.links")},
		{"list", member, e.at("/groups/atelier/lists/atelier", "form.search")},
		{"list-animator", animator, e.at("/groups/atelier/lists/atelier", "form.search")},
		{"list-form", animator, e.at("/groups/atelier/lists/atelier/edit", "#named")},
		{"list-held", animator, e.at("/groups/atelier/lists/atelier/held", "article.card")},
		{"list-message", member, e.at(msg, "pre.mail-body")},
		{"unsubscribe", visitor, e.at("/lists/unsubscribe/"+token, "form.card")},
		{"bounces", admin, e.at("/admin/bounces", "table")},
	}
	e.review("fr", pages)
	for _, c := range []context.Context{animator, member, admin, visitor} {
		e.setLanguage(c, "en")
	}
	e.review("en", pages)
}
