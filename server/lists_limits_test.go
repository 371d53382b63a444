package server

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"parvis/access"
	"parvis/config"
	"parvis/storage/db"
)

// TestListSlowsARunawaySender: past lists.max_per_hour, a sender's next message is answered 452
// 4.7.1 (the relay keeps it and tries again) and nothing of it is kept or sent; a relay's retry of
// a message already accepted is still answered as accepted; others are not slowed; posting from
// the page says so in words; an hour later the same message goes through.
func TestListSlowsARunawaySender(t *testing.T) {
	ts, box, lmtp := listServer(t, func(c *config.Config) { c.Lists.MaxPerHour = 3 })
	ctx := context.Background()
	l := atelierList(t, ts)
	to := "atelier@" + listsDomain
	first := message(alice, "Boucle 1", "Réponse automatique ?")
	for i, msg := range []string{first, message(alice, "Boucle 2", "…"), message(alice, "Boucle 3", "…")} {
		if got := lmtpSend(t, lmtp, alice, []string{to}, msg)[to]; got != nil {
			t.Fatalf("message %d of 3: %v", i+1, got)
		}
	}
	fourth := message(alice, "Boucle 4", "…")
	got := lmtpSend(t, lmtp, alice, []string{to}, fourth)[to]
	var serr *smtp.SMTPError
	if !errors.As(got, &serr) || serr.Code != 452 || serr.EnhancedCode != (smtp.EnhancedCode{4, 7, 1}) {
		t.Fatalf("the fourth message in the hour: %v, want 452 4.7.1", got)
	}
	if again := lmtpSend(t, lmtp, alice, []string{to}, first)[to]; again != nil {
		t.Fatalf("a relay's retry of an accepted message was refused: %v", again)
	}
	if got := lmtpSend(t, lmtp, anna, []string{to}, message(anna, "Autre personne", "…"))[to]; got != nil {
		t.Fatalf("anna was slowed by alice's messages: %v", got)
	}
	box.waitCopies(t, "Autre personne", 2)
	box.waitCopies(t, "Boucle 3", 2)
	if n := len(box.with("Boucle 4")); n != 0 {
		t.Fatalf("the refused message went out: %d copies", n)
	}
	kept, err := ts.srv.in.db.R(ctx).ListMessages(l.ID, db.MessageDistributed, "Boucle 4", 10)
	if err != nil || len(kept) != 0 {
		t.Fatalf("the refused message was kept: %v %v", kept, err)
	}

	aliceB, aliceCSRF := signInBrowser(t, ts, alice)
	code, body := post(t, aliceB, aliceCSRF, "/groups/atelier/lists/atelier/post", "subject", "Depuis la page", "text", "Encore moi")
	if code != 429 || !strings.Contains(body, "beaucoup de messages aux listes cette heure-ci") || !strings.Contains(body, "Encore moi") {
		t.Fatalf("a page post past the limit: %d\n%s", code, body)
	}

	later := time.Now().Add(61 * time.Minute)
	t.Cleanup(db.SetClock(func() time.Time { return later }))
	if got := lmtpSend(t, lmtp, alice, []string{to}, fourth)[to]; got != nil {
		t.Fatalf("an hour later, the relay's retry: %v", got)
	}
	box.waitCopies(t, "Boucle 4", 2)
}

// TestListAddressesReserved: a list may not take a role address of the mail domain (RFC 2142),
// the path of the page that creates lists, or a list server's service suffix.
func TestListAddressesReserved(t *testing.T) {
	ts, _, _ := listServer(t)
	ctx := context.Background()
	annaP, _ := ts.srv.in.db.R(ctx).PersonByEmail(anna)
	for _, addr := range []string{"postmaster", "abuse", "new", "mailer-daemon", "atelier-request", "atelier-owner", "atelier-bounces"} {
		_, err := ts.srv.in.access.CreateList(ctx, access.Actor{Person: annaP}, "atelier", access.NewList{Address: addr,
			Audience: "members", Posters: "audience", Others: "moderate", ReplyTo: "list"})
		if !errors.Is(err, access.ErrListAddressReserved) {
			t.Errorf("a list %q: %v, want it reserved", addr, err)
		}
	}
	if _, err := ts.srv.in.access.CreateList(ctx, access.Actor{Person: annaP}, "atelier", access.NewList{Address: "requests",
		Audience: "members", Posters: "audience", Others: "moderate", ReplyTo: "list"}); err != nil {
		t.Errorf("a list whose name merely contains a reserved word: %v", err)
	}
	annaB, annaCSRF := signInBrowser(t, ts, anna)
	code, body := post(t, annaB, annaCSRF, "/groups/atelier/lists", "address", "postmaster", "name", "Postmaster",
		"audience", "members", "posters", "audience", "others", "moderate", "reply_to", "list")
	if code != 422 || !strings.Contains(body, "Cette adresse est réservée") {
		t.Fatalf("the form with a reserved address: %d\n%s", code, body)
	}
}
