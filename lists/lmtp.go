package lists

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

// LMTP is the listener the host's mail server (Postfix's lmtp transport, Exim's lmtp driver)
// hands the lists' domain to. LMTP (RFC 2033) answers for each recipient after the data, so a
// message to two lists, one of which refuses it, is bounced for that one only; and its answer
// comes after the message is stored, so a relay never drops what Parvis did not keep.
type LMTP struct {
	srv *smtp.Server
	ln  net.Listener
}

// ListenLMTP starts listening on addr: a path (a Unix socket, made writable by the mail server's
// group) or host:port.
func (s *Service) ListenLMTP(addr string) (*LMTP, error) {
	network := "tcp"
	if strings.HasPrefix(addr, "/") {
		network = "unix"
		_ = os.Remove(addr) // a socket left by a previous run
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		return nil, err
	}
	if network == "unix" {
		_ = os.Chmod(addr, 0o660)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.LMTP = true
	srv.Domain = s.cfg.Domain
	srv.MaxMessageBytes = s.cfg.MaxSize
	srv.MaxRecipients = 100
	srv.ReadTimeout = 5 * time.Minute
	srv.WriteTimeout = time.Minute
	return &LMTP{srv: srv, ln: ln}, nil
}

// Addr is where the listener listens.
func (l *LMTP) Addr() net.Addr { return l.ln.Addr() }

// Serve answers until Close.
func (l *LMTP) Serve() error {
	if err := l.srv.Serve(l.ln); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
		return err
	}
	return nil
}

// Close stops listening and ends the sessions.
func (l *LMTP) Close() error { return l.srv.Close() }

// session is one LMTP conversation.
type session struct {
	s     *Service
	rcpts []string
}

func (ss *session) Reset()                               { ss.rcpts = nil }
func (ss *session) Logout() error                        { return nil }
func (ss *session) Mail(string, *smtp.MailOptions) error { return nil }

// Rcpt refuses at once an address that is no list's: the relay bounces it with that reason.
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if _, _, err := ss.s.listOf(ss.s.db.R(context.Background()), to); err != nil {
		return reply(err)
	}
	ss.rcpts = append(ss.rcpts, to)
	return nil
}

// Data is for SMTP mode; LMTP uses LMTPData.
func (ss *session) Data(r io.Reader) error {
	var first error
	err := ss.LMTPData(r, statusFunc(func(_ string, err error) {
		if first == nil {
			first = err
		}
	}))
	if err != nil {
		return err
	}
	return first
}

// LMTPData stores the message once per recipient and answers for each.
func (ss *session) LMTPData(r io.Reader, status smtp.StatusCollector) error {
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		if errors.Is(err, smtp.ErrDataTooLarge) {
			return reply(ErrTooBig)
		}
		return err
	}
	for _, to := range ss.rcpts {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_, err := ss.s.Receive(ctx, to, b.Bytes())
		cancel()
		if err != nil {
			ss.s.log.Info("lists: refused", "to", to, "err", err)
			status.SetStatus(to, reply(err))
			continue
		}
		status.SetStatus(to, nil)
	}
	return nil
}

type statusFunc func(string, error)

func (f statusFunc) SetStatus(to string, err error) { f(to, err) }

// reply is the SMTP answer of an error of Receive, in English and French, in ASCII as SMTP wants: the refusals are permanent (the relay bounces
// the message to its sender with the text), anything else temporary (the relay tries again:
// nothing is lost).
func reply(err error) error {
	switch {
	case errors.Is(err, ErrUnknownList):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such list here / Aucune liste a cette adresse"}
	case errors.Is(err, ErrTooBig):
		return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4}, Message: "Message too large for the list / Message trop gros pour la liste"}
	case errors.Is(err, ErrMalformed):
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "The message has no readable From / Le message n'a pas d'expediteur lisible"}
	case errors.Is(err, ErrNotAllowed):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: "Only some people may post to this list / Seules certaines personnes peuvent ecrire a cette liste"}
	case errors.Is(err, ErrTooMany):
		return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 7, 1},
			Message: "Too many messages from you this hour, try later / Trop de messages de votre part cette heure-ci, reessayez plus tard"}
	}
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later / Reessayez plus tard"}
}
