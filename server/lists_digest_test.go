package server

import (
	"context"
	"io"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"parvis/access"
)

// TestListDigest: a member who chose the daily digest gets no copy as messages arrive, then one
// mail at the digest hour with each message's subject, author, text and archive link; the same
// hour never sends it twice, and a day without messages sends nothing. Someone outside the list
// cannot choose it.
func TestListDigest(t *testing.T) {
	ts, box, lmtp := listServer(t)
	ctx := context.Background()
	acc, svc := ts.srv.in.access, ts.srv.lists
	r := ts.srv.in.db.R(ctx)
	annaP, _ := r.PersonByEmail(anna)
	aliceP, _ := r.PersonByEmail(alice)
	gusP, _ := r.PersonByEmail(gus)
	l, err := acc.CreateList(ctx, access.Actor{Person: annaP}, "atelier", access.NewList{Address: "atelier", Name: "Atelier",
		Audience: "members", Posters: "audience", Others: "moderate", ReplyTo: "list"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetMode(ctx, aliceP, l, "digest"); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetMode(ctx, gusP, l, "digest"); err == nil {
		t.Fatal("a guest chose the digest of a list of members")
	}
	lmtpSend(t, lmtp, anna, []string{"atelier@" + listsDomain}, message(anna, "Ordre du jour", "Point 1 : le budget."))
	lmtpSend(t, lmtp, anna, []string{"atelier@" + listsDomain}, message(anna, "Rappel du local", "Clés chez Paul."))
	box.waitCopies(t, "Rappel du local", 1)
	if n := len(box.with("Ordre du jour")); n != 1 {
		t.Fatalf("%d copies of the first message, want anna's only: alice reads the digest", n)
	}
	if n, err := svc.Digests(ctx, time.Now()); err != nil || n != 0 {
		t.Fatalf("before the digest hour: %d digests, %v", n, err)
	}

	tomorrow := time.Now().Add(25 * time.Hour)
	if n, err := svc.Digests(ctx, tomorrow); err != nil || n != 1 {
		t.Fatalf("at the digest hour: %d digests, %v", n, err)
	}
	digest := box.waitCopies(t, "Résumé du", 1)[0]
	if digest.to != alice {
		t.Fatalf("the digest went to %s", digest.to)
	}
	body := decodedBody(t, digest.data)
	for _, want := range []string{"1. Ordre du jour", "2. Rappel du local", "Point 1 : le budget.", "Clés chez Paul.",
		ts.cfg.PublicURL() + "/groups/atelier/lists/atelier/messages/", anna, "une fois par jour"} {
		if !strings.Contains(body, want) {
			t.Errorf("the digest lacks %q:\n%s", want, body)
		}
	}
	if n, err := svc.Digests(ctx, tomorrow.Add(time.Minute)); err != nil || n != 0 {
		t.Fatalf("the same digest hour again: %d digests, %v", n, err)
	}
	if n, err := svc.Digests(ctx, tomorrow.Add(24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("a day without messages: %d digests, %v", n, err)
	}
	if got, _ := r.ListByID(l.ID); got.DigestAt.IsZero() {
		t.Fatal("the digest's mark did not move")
	}
}

// decodedBody is the text of a raw mail, quoted-printable decoded.
func decodedBody(t *testing.T, raw string) string {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	return string(body)
}
