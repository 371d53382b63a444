package server

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"parvis/access"
	"parvis/config"
	"parvis/storage/db"
)

const listsDomain = "listes.example.org"

// listServer is a server with lists on listsDomain, its LMTP listener on loopback, its mail (and
// the lists' copies) going to a loopback SMTP sink.
func listServer(t *testing.T, opts ...func(*config.Config)) (*testServer, *smtpBox, string) {
	t.Helper()
	ts, box := mailServer(t, append([]func(*config.Config){func(c *config.Config) {
		c.Lists.Domain, c.Lists.FromRewrite = listsDomain, "always"
	}}, opts...)...)
	ln, err := ts.srv.lists.ListenLMTP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go ln.Serve()
	t.Cleanup(func() { ln.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go ts.srv.lists.Run(ctx)
	return ts, box, ln.Addr().String()
}

// lmtpSend hands a message to the LMTP listener as Postfix's lmtp transport does, and returns
// the answer for each recipient (nil: accepted).
func lmtpSend(t *testing.T, addr, from string, to []string, msg string) map[string]error {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c := smtp.NewClientLMTP(conn)
	defer c.Close()
	if err := c.Hello("relay.example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(from, nil); err != nil {
		t.Fatal(err)
	}
	out := map[string]error{}
	var accepted []string
	for _, r := range to {
		if err := c.Rcpt(r, nil); err != nil {
			out[r] = err
			continue
		}
		accepted = append(accepted, r)
	}
	if len(accepted) == 0 {
		return out
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(strings.ReplaceAll(msg, "\n", "\r\n"))); err != nil {
		t.Fatal(err)
	}
	for _, r := range accepted {
		out[r] = nil
	}
	if _, err := w.CloseWithLMTPResponse(); err != nil {
		var lerr smtp.LMTPDataError
		if !errors.As(err, &lerr) {
			t.Fatal(err)
		}
		for r, e := range lerr {
			out[r] = e
		}
	}
	return out
}

func message(from, subject, body string) string {
	return fmt.Sprintf("From: %s\nTo: atelier@%s\nSubject: %s\nMessage-ID: <%d@example.org>\nDate: %s\nContent-Type: text/plain; charset=utf-8\n\n%s\n",
		from, listsDomain, subject, time.Now().UnixNano(), time.Now().Format(time.RFC1123Z), body)
}

// waitCopies waits until the sink has n messages whose decoded subject contains subject, and
// returns them.
func (b *smtpBox) waitCopies(t *testing.T, subject string, n int) []received {
	t.Helper()
	var got []received
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		got = b.with(subject)
		if len(got) >= n {
			break
		}
	}
	if len(got) != n {
		t.Fatalf("%d copies of %q, want %d: %+v", len(got), subject, n, got)
	}
	return got
}

func (b *smtpBox) with(subject string) []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []received
	for _, m := range b.msgs {
		msg, err := netmail.ReadMessage(strings.NewReader(m.data))
		if err != nil {
			continue
		}
		if s, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); strings.Contains(s, subject) {
			out = append(out, m)
		}
	}
	return out
}

func recipients(rs []received) map[string]bool {
	out := map[string]bool{}
	for _, r := range rs {
		out[r.to] = true
	}
	return out
}

// TestListDistributesToMembersInForce: a member's message reaches every member of the group in
// force and no one else (not a guest, not another group), with the headers of a good list; a
// non-member's message waits for an animator, then goes out on approval; an unknown address is
// refused at RCPT; a member whose dues lapse stops receiving without anybody touching the list.
func TestListDistributesToMembersInForce(t *testing.T) {
	ts, box, lmtp := listServer(t)
	ctx := context.Background()
	acc := ts.srv.in.access
	r := ts.srv.in.db.R(ctx)
	anna, _ := r.PersonByEmail("anna@example.org")
	if _, err := acc.CreateList(ctx, access.Actor{Person: db.Person{ID: 0}}, "atelier", access.NewList{Address: "atelier"}); err == nil {
		t.Fatal("a list created by nobody")
	}
	if _, err := acc.CreateList(ctx, access.Actor{Person: anna}, "atelier", access.NewList{Address: "Atelier", Name: "Atelier",
		Audience: "members", Posters: "audience", Others: "moderate", ReplyTo: "list"}); err != nil {
		t.Fatal(err)
	}

	got := lmtpSend(t, lmtp, "alice@example.org", []string{"atelier@" + listsDomain, "personne@" + listsDomain},
		message("Alice <alice@example.org>", "Réunion de jeudi", "On se retrouve à 18 h."))
	if got["atelier@"+listsDomain] != nil || got["personne@"+listsDomain] == nil || !strings.Contains(got["personne@"+listsDomain].Error(), "550") {
		t.Fatalf("LMTP answers: %v", got)
	}
	copies := box.waitCopies(t, "jeudi", 2)
	if to := recipients(copies); !to["alice@example.org"] || !to["anna@example.org"] {
		t.Fatalf("copies went to %v, want alice and anna (the guest gus and bob of another group: none)", to)
	}
	m, err := netmail.ReadMessage(strings.NewReader(copies[0].data))
	if err != nil {
		t.Fatal(err)
	}
	h := m.Header
	for k, want := range map[string]string{
		"List-Id":               "<atelier." + listsDomain + ">",
		"List-Post":             "<mailto:atelier@" + listsDomain + ">",
		"List-Unsubscribe":      ts.cfg.PublicURL() + "/lists/unsubscribe/",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"List-Archive":          "/groups/atelier/lists/atelier",
		"Reply-To":              "atelier@" + listsDomain,
		"From":                  "atelier@" + listsDomain,
		"X-Original-From":       "alice@example.org",
		"Precedence":            "list",
	} {
		if !strings.Contains(h.Get(k), want) {
			t.Errorf("%s: %q, want it to contain %q", k, h.Get(k), want)
		}
	}
	if subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); subject != "[Atelier] Réunion de jeudi" {
		t.Errorf("Subject: %q", subject)
	}
	if !strings.HasPrefix(copies[0].from, "atelier+bounce-") || !strings.HasSuffix(copies[0].from, "@"+listsDomain) || copies[0].from == copies[1].from {
		t.Errorf("envelope senders %q, %q: want one bounce address per copy", copies[0].from, copies[1].from)
	}

	// bob is in another group: held, the animator is told, and approving sends it out.
	got = lmtpSend(t, lmtp, "bob@example.org", []string{"atelier@" + listsDomain}, message("bob@example.org", "Une question du bureau", "Bonjour"))
	if got["atelier@"+listsDomain] != nil {
		t.Fatalf("a held message must be accepted: %v", got)
	}
	if box.count("anna@example.org") < 2 {
		box.waitCopies(t, "attend votre décision", 1)
	}
	if n := len(box.with("[Atelier] Une question")); n != 0 {
		t.Fatalf("a non-member's message went out before moderation: %d copies", n)
	}
	l, _, err := ts.srv.lists.Of(ctx, anna, mustGroup(t, ts, "atelier"), "atelier")
	if err != nil {
		t.Fatal(err)
	}
	held, err := ts.srv.lists.Held(ctx, anna, l)
	if err != nil || len(held) != 1 {
		t.Fatalf("held: %v %v", held, err)
	}
	alice, _ := r.PersonByEmail("alice@example.org")
	if _, err := ts.srv.lists.Decide(ctx, alice, l, held[0].ID, true); err == nil {
		t.Fatal("a member moderated")
	}
	if n, err := ts.srv.lists.Decide(ctx, anna, l, held[0].ID, true); err != nil || n != 2 {
		t.Fatalf("approve: %d copies, %v", n, err)
	}
	box.waitCopies(t, "[Atelier] Une question du bureau", 2)
	if _, err := ts.srv.lists.Decide(ctx, anna, l, held[0].ID, false); err == nil {
		t.Fatal("a message decided twice")
	}
	if !strings.Contains(ts.auditActions(t), "list.approve") {
		t.Error("the approval is not in the audit log")
	}

	// Dues lapse: the group requires membership, the suspension day has passed, alice has not
	// paid the year's dues.
	duesSeason(t, ts, "anna@example.org")
	lmtpSend(t, lmtp, "anna@example.org", []string{"atelier@" + listsDomain}, message("anna@example.org", "Après les cotisations", "Rappel"))
	if to := recipients(box.waitCopies(t, "cotisations", 1)); !to["anna@example.org"] {
		t.Fatalf("after alice's dues lapsed, copies went to %v, want anna only", to)
	}
	payDues(t, ts, "alice@example.org")
	lmtpSend(t, lmtp, "anna@example.org", []string{"atelier@" + listsDomain}, message("anna@example.org", "Cotisation reçue", "Merci"))
	if to := recipients(box.waitCopies(t, "Cotisation re", 2)); !to["alice@example.org"] {
		t.Fatalf("paying did not give alice the list back: %v", to)
	}
}

// atelierList is the atelier group's discussion list, created by its animator anna: members
// post, others are moderated.
func atelierList(t *testing.T, ts *testServer) db.List {
	t.Helper()
	ctx := context.Background()
	anna, _ := ts.srv.in.db.R(ctx).PersonByEmail("anna@example.org")
	l, err := ts.srv.in.access.CreateList(ctx, access.Actor{Person: anna}, "atelier", access.NewList{Address: "atelier", Name: "Atelier",
		Audience: "members", Posters: "audience", Others: "moderate", ReplyTo: "list"})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// duesSeason makes the atelier group require membership and moves the clock to June of next
// year, past the suspension day (April 30), where only paid have paid the year's dues.
func duesSeason(t *testing.T, ts *testServer, paid ...string) {
	t.Helper()
	acc := ts.srv.in.access
	if err := acc.SetRequiresMembership(context.Background(), access.CLI, "atelier", true); err != nil {
		t.Fatal(err)
	}
	acc.SetPolicy(access.Policy{AdminActivates: true, DuesRequired: true, SuspendMonth: time.April, SuspendDay: 30})
	june := time.Date(db.Now().Year()+1, time.June, 2, 10, 0, 0, 0, ts.cfg.Location())
	t.Cleanup(db.SetClock(func() time.Time { return june }))
	for _, email := range paid {
		payDues(t, ts, email)
	}
}

// payDues records email's dues for the current year.
func payDues(t *testing.T, ts *testServer, email string) {
	t.Helper()
	if err := ts.srv.in.access.RecordDues(context.Background(), access.CLI, email, db.Now().Year(), 1500, "test"); err != nil {
		t.Fatal(err)
	}
}

func mustGroup(t *testing.T, ts *testServer, slug string) db.Group {
	t.Helper()
	g, err := ts.srv.in.db.R(context.Background()).GroupBySlug(slug)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
