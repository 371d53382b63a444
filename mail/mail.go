// Package mail sends Parvis' messages (invitations, password links) through a queue kept in the
// database: a message survives a restart and is retried while the mail server is unreachable.
// Without a mail server configured, the queue is the outbox administrators read, so an instance on
// one machine still works: the link is handed over another way.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"parvis/storage/db"
)

// SMTP is the outbound server; an empty Host means "keep mails in the outbox".
type SMTP struct {
	Host, Username, Password, From string
	Port                           int
	TLS                            string // "starttls" (required), "tls" (implicit), "none" (loopback tests only)
}

// Queue sends queued mail in the background.
type Queue struct {
	db   *db.DB
	smtp SMTP
	log  *slog.Logger
	wake chan struct{}
}

// NewQueue returns a queue; call Run to send.
func NewQueue(d *db.DB, s SMTP, log *slog.Logger) *Queue {
	return &Queue{db: d, smtp: s, log: log, wake: make(chan struct{}, 1)}
}

// Send queues a message and wakes the sender.
func (q *Queue) Send(ctx context.Context, to string, m Message) error {
	err := q.db.Write(ctx, func(tx *db.Tx) error {
		_, err := tx.QueueMail(to, m.Subject, m.Body, "")
		return err
	})
	if err != nil {
		return err
	}
	q.Wake()
	return nil
}

// Wake makes the sender look at the queue now, after messages were queued by another way than Send
// (in the transaction of what they report).
func (q *Queue) Wake() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Sends tells whether a mail server is configured: without one, mails wait in the outbox, and the
// pages say so instead of claiming a mail was sent.
func (q *Queue) Sends() bool { return q.smtp.Host != "" }

// Outbox returns the latest messages, for administrators.
func (q *Queue) Outbox(ctx context.Context, limit int) ([]db.Mail, error) {
	return q.db.R(ctx).Mails(limit)
}

// Run sends due messages until ctx ends, waking when a message is queued and every 30 s for retries.
func (q *Queue) Run(ctx context.Context) {
	if q.smtp.Host == "" {
		return // outbox only
	}
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		if err := q.flush(ctx); err != nil && ctx.Err() == nil {
			q.log.Warn("mail", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-q.wake:
		}
	}
}

// flush tries every due message once.
func (q *Queue) flush(ctx context.Context) error {
	due, err := q.db.R(ctx).DueMails(50)
	if err != nil || len(due) == 0 {
		return err
	}
	for _, m := range due {
		sendErr := q.deliver(ctx, m)
		err := q.db.Write(ctx, func(tx *db.Tx) error {
			if sendErr == nil {
				return tx.MailSent(m.ID)
			}
			return tx.MailFailed(m.ID, sendErr.Error(), time.Now().Add(backoff(m.Attempts+1)))
		})
		if err != nil {
			return err
		}
		if sendErr != nil {
			q.log.Warn("mail: delivery failed, will retry", "to", m.To, "attempt", m.Attempts+1, "err", sendErr)
		}
	}
	return nil
}

// backoff is the wait before attempt n+1: 1, 2, 4 … minutes, at most 6 hours.
func backoff(n int) time.Duration {
	d := time.Minute << min(n-1, 9)
	return min(d, 6*time.Hour)
}

// messageID is the same for every attempt at one message, so that a server that got it before an
// attempt failed (or the process stopped before recording it) can tell the copy apart.
func messageID(m db.Mail, from string) string {
	domain := "parvis.invalid"
	if _, d, ok := strings.Cut(from, "@"); ok && d != "" {
		domain = strings.Trim(d, "<> ")
	}
	return fmt.Sprintf("parvis.%d.%d@%s", m.CreatedAt.UnixNano(), m.ID, domain)
}

// attachCalendar adds an iTIP message the way mail programs look for it (RFC 6047 §2.4): as an
// alternative to the text, text/calendar with the METHOD as a parameter, which Thunderbird, Apple
// Mail, Gmail and Outlook turn into answer buttons; and as an invite.ics file for the others.
func attachCalendar(msg *gomail.Msg, ics string) {
	ct := gomail.ContentType("text/calendar; method=" + itipMethod(ics))
	msg.AddAlternativeString(ct, ics)
	msg.AttachReadSeeker("invite.ics", strings.NewReader(ics), gomail.WithFileContentType("application/ics"))
}

// itipMethod reads the METHOD of an iTIP message.
func itipMethod(ics string) string {
	for line := range strings.Lines(ics) {
		if v, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "METHOD:"); ok {
			return v
		}
	}
	return "PUBLISH"
}

// deliver sends one message over SMTP.
func (q *Queue) deliver(ctx context.Context, m db.Mail) error {
	msg := gomail.NewMsg()
	if err := msg.From(q.smtp.From); err != nil {
		return fmt.Errorf("sender address %q: %w", q.smtp.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(messageID(m, q.smtp.From))
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	if m.Calendar != "" {
		attachCalendar(msg, m.Calendar)
	}
	opts := []gomail.Option{gomail.WithPort(q.smtp.Port), gomail.WithTimeout(30 * time.Second)}
	switch q.smtp.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if q.smtp.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(q.smtp.Username), gomail.WithPassword(q.smtp.Password))
	}
	c, err := gomail.NewClient(q.smtp.Host, opts...)
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return errors.Join(errors.New("smtp"), err)
	}
	return nil
}
