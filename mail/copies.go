package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Copy is a message already written (a list's copy): its envelope, and its bytes as a header of
// its own followed by a body shared by every copy of the same message.
type Copy struct {
	From, To        string
	Header, Message []byte
}

// SendCopies sends copies over one connection to the outgoing server, one SMTP transaction each
// (every copy has its own envelope sender, which names it for bounces), and returns one error, or
// nil, per copy. A server that refuses one recipient refuses that copy only; a connection that
// breaks fails the rest, which the caller retries later.
func (q *Queue) SendCopies(ctx context.Context, copies []Copy) []error {
	errs := make([]error, len(copies))
	c, err := q.dial(ctx)
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	defer c.Close()
	for i, cp := range copies {
		if ctx.Err() != nil || err != nil {
			errs[i] = fmt.Errorf("smtp: %w", firstErr(err, ctx.Err()))
			continue
		}
		errs[i] = sendOne(c, cp)
		if _, refused := errs[i].(*smtp.SMTPError); errs[i] != nil && !refused {
			err = errs[i] // the connection is gone: the rest wait for the next attempt
		} else if refused {
			_ = c.Reset()
		}
	}
	if err == nil {
		_ = c.Quit()
	}
	return errs
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// sendOne is one transaction: MAIL, RCPT, DATA.
func sendOne(c *smtp.Client, cp Copy) error {
	if err := c.Mail(cp.From, nil); err != nil {
		return err
	}
	if err := c.Rcpt(cp.To, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(cp.Header); err != nil {
		return err
	}
	if _, err := w.Write(cp.Message); err != nil {
		return err
	}
	return w.Close()
}

// dial opens an authenticated connection to the outgoing server, as the settings say.
func (q *Queue) dial(ctx context.Context) (*smtp.Client, error) {
	addr := net.JoinHostPort(q.smtp.Host, strconv.Itoa(q.smtp.Port))
	d := net.Dialer{Timeout: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	tlsConfig := &tls.Config{ServerName: q.smtp.Host}
	var c *smtp.Client
	switch q.smtp.TLS {
	case "tls":
		c = smtp.NewClient(tls.Client(conn, tlsConfig))
	case "none":
		c = smtp.NewClient(conn)
	default:
		if c, err = smtp.NewClientStartTLS(conn, tlsConfig); err != nil {
			return nil, fmt.Errorf("smtp: %w", err)
		}
	}
	c.CommandTimeout, c.SubmissionTimeout = time.Minute, 5*time.Minute
	if q.smtp.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", q.smtp.Username, q.smtp.Password)); err != nil {
			c.Close()
			return nil, fmt.Errorf("smtp: %w", err)
		}
	}
	return c, nil
}
