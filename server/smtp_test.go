package server

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"parvis/config"
)

// smtpBox is a real SMTP server on loopback that keeps what it receives.
type smtpBox struct {
	mu     sync.Mutex
	msgs   []received
	addr   string
	refuse map[string]bool // addresses answered 550 at RCPT, as a server without that mailbox does
}

type received struct{ from, to, data string }

type smtpSession struct {
	box  *smtpBox
	from string
	to   []string
}

func (s *smtpSession) Reset()                                      { s.to = nil }
func (s *smtpSession) Logout() error                               { return nil }
func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	if s.box.refuse[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox here"}
	}
	s.to = append(s.to, to)
	return nil
}

// refuseTo makes the server answer 550 for to from now on.
func (b *smtpBox) refuseTo(to string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.refuse == nil {
		b.refuse = map[string]bool{}
	}
	b.refuse[to] = true
}
func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	for _, to := range s.to {
		s.box.msgs = append(s.box.msgs, received{from: s.from, to: to, data: string(b)})
	}
	return err
}

func startSMTP(t *testing.T) *smtpBox {
	box := &smtpBox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{box: box}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	box.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return box
}

var linkRE = regexp.MustCompile(`https?://[^\s]+/password/[A-Za-z0-9_-]+`)

// link waits for a mail to `to` and returns the set-password link in it.
func (b *smtpBox) link(t *testing.T, to string) string {
	t.Helper()
	body := b.body(t, to)
	l := linkRE.FindString(body)
	if l == "" {
		t.Fatalf("mail to %s has no link:\n%s", to, body)
	}
	return l
}

// body waits for a mail to `to` and returns the decoded body of the first.
func (b *smtpBox) body(t *testing.T, to string) string {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(waitMail(t, b, to)))
	if err != nil {
		t.Fatalf("mail to %s: %v", to, err)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	return string(body)
}

// subjects waits until n mails reached `to` and returns their decoded subjects, in order.
func (b *smtpBox) subjects(t *testing.T, to string, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && b.count(to) < n; time.Sleep(20 * time.Millisecond) {
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	dec := new(mime.WordDecoder)
	for _, m := range b.msgs {
		if m.to != to {
			continue
		}
		msg, err := netmail.ReadMessage(strings.NewReader(m.data))
		if err != nil {
			t.Fatalf("mail to %s: %v", to, err)
		}
		subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
		out = append(out, subject)
	}
	return out
}

func (b *smtpBox) count(to string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, m := range b.msgs {
		if m.to == to {
			n++
		}
	}
	return n
}

// mailServer is a test server that sends its mail to a loopback SMTP server.
func mailServer(t *testing.T, opts ...func(*config.Config)) (*testServer, *smtpBox) {
	box := startSMTP(t)
	cfg := testConfig(t)
	for _, o := range opts {
		o(&cfg)
	}
	host, port, _ := net.SplitHostPort(box.addr)
	cfg.SMTP.Host, cfg.SMTP.TLS, cfg.SMTP.From = host, "none", "parvis@example.org"
	cfg.SMTP.Port = atoi(port)
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go ts.srv.mail.Run(ctx)
	return ts, box
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
