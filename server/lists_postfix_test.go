package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"parvis/storage/db"
)

// postfixLists is a server set up as the README says: the host's Postfix hands the lists' domain
// to Parvis's LMTP listener, and Parvis's mail leaves through that same Postfix, which relays it
// to the outside world (the returned sink). The third value is Postfix's SMTP address.
func postfixLists(t *testing.T) (*testServer, *smtpBox, string) {
	t.Helper()
	world := startSMTP(t)
	pfAddr := freeAddr(t)
	cfg := testConfig(t)
	cfg.Lists.Domain, cfg.Lists.FromRewrite = listsDomain, "always"
	host, port := splitAddr(pfAddr)
	cfg.SMTP.Host, cfg.SMTP.Port, cfg.SMTP.TLS, cfg.SMTP.From = host, atoi(port), "none", "parvis@example.org"
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	ln, err := ts.srv.lists.ListenLMTP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go ln.Serve()
	t.Cleanup(func() { ln.Close() })
	postfixRelay(t, pfAddr, listsDomain, ln.Addr().String(), world.addr)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go ts.srv.mail.Run(ctx)
	go ts.srv.lists.Run(ctx)
	return ts, world, pfAddr
}

func splitAddr(a string) (string, string) {
	h, p, _ := strings.Cut(a, ":")
	return h, p
}

// sendVia hands a message to an SMTP server as a member's mail program would.
func sendVia(t *testing.T, addr, from, to, msg string) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail(from, []string{to}, strings.NewReader(strings.ReplaceAll(msg, "\n", "\r\n"))); err != nil {
		t.Fatalf("sending to %s through %s: %v", to, addr, err)
	}
	c.Quit()
}

// withAttachment is a message from from carrying name, base64-encoded in lines of 76.
func withAttachment(t *testing.T, from, subject, name string, data []byte) string {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	text, _ := w.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=utf-8"}})
	io.WriteString(text, "Le compte rendu de l'AG est joint.\n")
	part, _ := w.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"application/pdf"},
		"Content-Transfer-Encoding": {"base64"},
		"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": name})},
	})
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		io.WriteString(part, enc[:76]+"\n")
		enc = enc[76:]
	}
	io.WriteString(part, enc+"\n")
	w.Close()
	return fmt.Sprintf("From: %s\nTo: atelier@%s\nSubject: %s\nMessage-ID: <%d@example.org>\nDate: %s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=%s\n\n%s",
		from, listsDomain, subject, time.Now().UnixNano(), time.Now().Format(time.RFC1123Z), w.Boundary(), body.String())
}

// attachmentOf decodes the attachment of a received copy.
func attachmentOf(t *testing.T, raw string) []byte {
	t.Helper()
	m, err := netmail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err != nil {
			t.Fatalf("no attachment in the copy: %v", err)
		}
		if p.FileName() != "" {
			b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}

// TestListThroughPostfix: the whole path through Debian's Postfix. A member's message with a
// 10 MB attachment reaches the members in force (not the one whose dues lapsed) intact, with the
// list's headers; paying gives the list back; a non-member waits for an animator; an address the
// outside world refuses comes back as Postfix's bounce to the copy's VERP address and is flagged
// on its person.
func TestListThroughPostfix(t *testing.T) {
	ts, world, postfix := postfixLists(t)
	ctx := context.Background()
	r := ts.srv.in.db.R(ctx)
	anna, _ := r.PersonByEmail("anna@example.org")
	atelierList(t, ts)
	// June of next year, the group requires membership: anna paid the year's dues, alice not yet.
	duesSeason(t, ts, "anna@example.org")

	pdf := make([]byte, 10<<20)
	rng := rand.NewChaCha8([32]byte{1})
	rng.Read(pdf)
	sendVia(t, postfix, "anna@example.org", "atelier@"+listsDomain, withAttachment(t, "Anna <anna@example.org>", "Compte rendu de l'AG", "compte-rendu.pdf", pdf))
	copies := world.waitCopies(t, "Compte rendu", 1)
	if copies[0].to != "anna@example.org" {
		t.Fatalf("the copy went to %s; alice's dues lapsed, anna alone is in force", copies[0].to)
	}
	if got := attachmentOf(t, copies[0].data); sha256.Sum256(got) != sha256.Sum256(pdf) {
		t.Fatalf("the 10 MB attachment came out changed (%d bytes)", len(got))
	}
	m, _ := netmail.ReadMessage(strings.NewReader(copies[0].data))
	for k, want := range map[string]string{"List-Id": "<atelier." + listsDomain + ">", "List-Post": "<mailto:atelier@" + listsDomain + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Archive": "/groups/atelier/lists/atelier"} {
		if !strings.Contains(m.Header.Get(k), want) {
			t.Errorf("%s: %q, want %q", k, m.Header.Get(k), want)
		}
	}

	payDues(t, ts, "alice@example.org")
	sendVia(t, postfix, "anna@example.org", "atelier@"+listsDomain, message("anna@example.org", "Ordre du jour", "Points à ajouter ?"))
	if to := recipients(world.waitCopies(t, "Ordre du jour", 2)); !to["alice@example.org"] || !to["anna@example.org"] {
		t.Fatalf("after alice paid, copies went to %v", to)
	}

	sendVia(t, postfix, "bob@example.org", "atelier@"+listsDomain, message("bob@example.org", "Question du bureau", "Bonjour"))
	var held []db.ListMessage
	l, _, err := ts.srv.lists.Of(ctx, anna, mustGroup(t, ts, "atelier"), "atelier")
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); len(held) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		held, _ = ts.srv.lists.Held(ctx, anna, l)
	}
	if len(held) != 1 || len(world.with("[Atelier] Question du bureau")) != 0 {
		t.Fatalf("a non-member's message: %d held, %d copies out", len(held), len(world.with("[Atelier] Question du bureau")))
	}
	if _, err := ts.srv.lists.Decide(ctx, anna, l, held[0].ID, true); err != nil {
		t.Fatal(err)
	}
	world.waitCopies(t, "[Atelier] Question du bureau", 2)

	world.refuseTo("alice@example.org")
	sendVia(t, postfix, "anna@example.org", "atelier@"+listsDomain, message("anna@example.org", "Date de la prochaine AG", "Le 14 ?"))
	world.waitCopies(t, "Date de la prochaine AG", 1)
	var bounces []db.Bounce
	for deadline := time.Now().Add(20 * time.Second); len(bounces) == 0 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		bounces, _ = ts.srv.in.db.R(ctx).Bounces()
	}
	if len(bounces) != 1 || bounces[0].Person.Email != "alice@example.org" || !strings.Contains(bounces[0].Reason, "5.1.1") {
		t.Fatalf("bounces: %+v, want alice's address flagged with Postfix's 5.1.1", bounces)
	}
}
