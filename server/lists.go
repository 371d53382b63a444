package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"parvis/config"
	"parvis/lists"
	"parvis/mail"
)

// newLists builds the mailing lists over the instance; without lists.domain they are off.
func newLists(cfg config.Config, in *Instance, mails *mail.Queue, log *slog.Logger) *lists.Service {
	l := lists.New(in.db, in.access, lists.Config{Domain: cfg.Lists.Domain, PublicURL: cfg.PublicURL(), MaxSize: cfg.Lists.MaxSize, MaxPerHour: cfg.Lists.MaxPerHour,
		FromRewrite: cfg.Lists.FromRewrite, DigestHour: cfg.Lists.DigestHour, Zone: cfg.Location(),
		Mailman: lists.Mailman{URL: cfg.Lists.MailmanURL, User: cfg.Lists.MailmanUser, Password: cfg.Lists.MailmanPassword}}, log)
	l.SetNotifier(in.notices)
	if mails.Sends() {
		l.SetSender(listSender{mails})
	}
	return l
}

// listSender hands a list's copies to the outgoing mail server.
type listSender struct{ q *mail.Queue }

func (s listSender) SendCopies(ctx context.Context, copies []lists.Copy) []error {
	out := make([]mail.Copy, len(copies))
	for i, c := range copies {
		out[i] = mail.Copy{From: c.From, To: c.To, Header: c.Header, Message: c.Message}
	}
	return s.q.SendCopies(ctx, out)
}

// serveLists starts the lists' LMTP listener, when one is configured, their distributor and, with
// lists.mailman_url, the Mailman roster sync; all stop with ctx.
func (s *Server) serveLists(ctx context.Context, out io.Writer) error {
	if !s.lists.Enabled() {
		return nil
	}
	go s.lists.Run(ctx)
	go s.lists.RunMailman(ctx)
	if s.cfg.Lists.LMTP == "" {
		return nil
	}
	ln, err := s.lists.ListenLMTP(s.cfg.Lists.LMTP)
	if err != nil {
		return fmt.Errorf("lists: listen on %s (lists.lmtp): %w", s.cfg.Lists.LMTP, err)
	}
	fmt.Fprintf(out, "Mailing lists of %s: LMTP on %s\n", s.cfg.Lists.Domain, ln.Addr())
	go func() {
		if err := ln.Serve(); err != nil {
			s.log.Error("lists: LMTP", "err", err)
		}
	}()
	go func() { <-ctx.Done(); ln.Close() }()
	return nil
}
