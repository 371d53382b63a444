package lists

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // archives read ISO-8859-1 and Windows-1252 mail too
	"github.com/emersion/go-message/mail"

	"parvis/access"
	"parvis/storage/db"
)

// The refusals Receive answers, each turned by the LMTP listener into its SMTP reply: the relay
// then bounces the message to its sender with the reason, or (ErrTemporary) tries again later.
var (
	ErrTooBig     = errors.New("lists: the message is larger than the lists accept")
	ErrMalformed  = errors.New("lists: the message has no readable From header")
	ErrNotAllowed = errors.New("lists: only some people may post to this list")
	// ErrTooMany is a sender past the hourly limit: the relay keeps the message and tries again
	// later, so a runaway sender (an auto-reply loop, a stolen account) is slowed, not lost.
	ErrTooMany = errors.New("lists: too many messages from this sender in the last hour")
)

// Received says what became of a message.
type Received struct {
	Message db.ListMessage
	Rule    access.PostRule
	Copies  int  // how many people it goes to now (0 while held)
	Again   bool // it had been received before (a relay's retry): nothing was done twice
}

// Receive takes a message sent to rcpt, an address of the lists' domain: a list's, or the bounce
// address of one of its copies. The message is stored (and its copies queued, or its moderators
// told) in one transaction before Receive returns, so that an answer of success means nothing can
// be lost; an error means nothing was kept.
func (s *Service) Receive(ctx context.Context, rcpt string, raw []byte) (Received, error) {
	if int64(len(raw)) > s.cfg.MaxSize {
		return Received{}, ErrTooBig
	}
	l, tag, err := s.listOf(s.db.R(ctx), rcpt)
	if err != nil {
		return Received{}, err
	}
	if strings.HasPrefix(tag, "bounce-") {
		return Received{}, s.bounced(ctx, l, tag, raw)
	}
	in, err := parse(raw)
	if err != nil {
		return Received{}, err
	}
	if in.listID == s.listID(l) {
		return Received{Again: true}, nil // our own copy come back (a member forwarding to the list): a loop
	}
	return s.store(ctx, l, in, raw, nil)
}

// incoming is what the lists read of a message's header and text.
type incoming struct {
	from, fromName, subject, messageID, listID, text string
	auto                                             bool // an automatic reply (vacation, bounce)
}

// parse reads the header fields and the plain text of a message.
func parse(raw []byte) (incoming, error) {
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return incoming{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	h := mail.Header{Header: e.Header}
	from, err := h.AddressList("From")
	if err != nil || len(from) == 0 {
		return incoming{}, ErrMalformed
	}
	in := incoming{from: normalizeAddress(from[0].Address), fromName: from[0].Name}
	in.subject, _ = h.Subject()
	in.messageID, _ = h.MessageID()
	if in.messageID == "" {
		in.messageID = fmt.Sprintf("parvis-%d@%s", time.Now().UnixNano(), domainOf(in.from))
	}
	if id := h.Get("List-Id"); id != "" {
		if i, j := strings.LastIndexByte(id, '<'), strings.LastIndexByte(id, '>'); i >= 0 && j > i {
			in.listID = strings.ToLower(id[i+1 : j])
		}
	}
	auto := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted")))
	prec := strings.ToLower(strings.TrimSpace(h.Get("Precedence")))
	in.auto = auto != "" && auto != "no" || prec == "bulk" || prec == "junk" || h.Get("X-Autoreply") != ""
	in.text = plainText(e)
	return in, nil
}

// plainText is the message's text for search and the archive: its text/plain parts that are not
// attachments, at most 256 KiB.
func plainText(e *message.Entity) string {
	var b strings.Builder
	_ = e.Walk(func(_ []int, part *message.Entity, err error) error {
		if err != nil || b.Len() > 256<<10 {
			return nil
		}
		ct, _, _ := part.Header.ContentType()
		disp, _, _ := part.Header.ContentDisposition()
		if ct != "text/plain" && !(ct == "" && !strings.HasPrefix(part.Header.Get("Content-Type"), "multipart/")) || disp == "attachment" {
			return nil
		}
		text, _ := io.ReadAll(io.LimitReader(part.Body, 256<<10))
		b.Write(text)
		return nil
	})
	return strings.TrimSpace(b.String())
}

// normalizeAddress lower-cases an address's domain, as access stores addresses.
func normalizeAddress(a string) string {
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		return a[:i] + strings.ToLower(a[i:])
	}
	return a
}

func domainOf(a string) string {
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		return a[i+1:]
	}
	return "parvis.invalid"
}

// store keeps a message and does what the list's rule says, in one transaction: its copies
// queued, or its moderators told. by is the person posting from the page (nil: by mail, where the
// From address says who).
func (s *Service) store(ctx context.Context, l db.List, in incoming, raw []byte, by *db.Person) (Received, error) {
	var rec Received
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		rec = Received{}
		r := tx.R()
		var author db.Person
		if by != nil {
			author = *by
		} else if p, err := r.PersonByEmail(in.from); err == nil {
			author = p
		} else if !errors.Is(err, db.ErrNotFound) {
			return err
		}
		rule, err := s.access.ListPostRule(r, l, author)
		if err != nil {
			return err
		}
		m := db.ListMessage{ListID: l.ID, MessageID: in.messageID, Sender: in.from, SenderName: in.fromName, AuthorID: author.ID,
			Subject: in.subject, Text: in.text, Raw: raw}
		switch {
		case in.auto:
			m.Status = db.MessageRejected // an automatic reply to a list goes to nobody, but is kept
		case rule == access.PostRefused:
			return ErrNotAllowed
		case rule == access.PostModerated:
			m.Status = db.MessageHeld
		default:
			m.Status = db.MessageDistributed
		}
		if err := tx.AddListMessage(&m); errors.Is(err, db.ErrDuplicate) {
			rec.Again = true
			return nil
		} else if err != nil {
			return err
		}
		if err := s.withinRate(r, m); err != nil {
			return err
		}
		rec.Message, rec.Rule = m, rule
		switch m.Status {
		case db.MessageDistributed:
			rec.Copies, err = s.queueCopies(tx, l, m)
		case db.MessageHeld:
			err = s.tellModerators(tx, l, m)
		}
		return err
	})
	if err == nil && rec.Copies > 0 {
		s.Wake()
	}
	if s.notify != nil && err == nil {
		s.notify.Queued()
	}
	return rec, err
}

// withinRate refuses a message, just added, that takes its sender past the hourly limit: the
// transaction is rolled back, so the relay's retry finds nothing half done.
func (s *Service) withinRate(r db.Read, m db.ListMessage) error {
	if s.cfg.MaxPerHour <= 0 {
		return nil
	}
	n, err := r.ListPostsSince(m.AuthorID, m.Sender, m.ReceivedAt.Add(-time.Hour))
	if err != nil {
		return err
	}
	if n > s.cfg.MaxPerHour {
		return ErrTooMany
	}
	return nil
}

// queueCopies queues a message's copies to the people who receive the list now, but for those
// who muted it or read it as a digest.
func (s *Service) queueCopies(tx *db.Tx, l db.List, m db.ListMessage) (int, error) {
	people, err := s.access.ListRecipients(tx.R(), l)
	if err != nil {
		return 0, err
	}
	prefs, err := tx.R().ListPrefs(l.ID)
	if err != nil {
		return 0, err
	}
	to := people[:0]
	for _, p := range people {
		if prefs[p.ID] == "" {
			to = append(to, p)
		}
	}
	return len(to), tx.AddListDeliveries(m.ID, to)
}

// tellModerators mails the list's moderators that a message waits for them.
func (s *Service) tellModerators(tx *db.Tx, l db.List, m db.ListMessage) error {
	if s.notify == nil {
		return nil
	}
	g, err := tx.R().GroupByID(l.GroupID)
	if err != nil {
		return err
	}
	mods, err := s.access.PeopleAllowed(tx.R(), g, access.ListsModerate)
	if err != nil {
		return err
	}
	sender := m.Sender
	if m.SenderName != "" {
		sender = m.SenderName + " <" + m.Sender + ">"
	}
	for _, p := range mods {
		if p.Email == "" {
			continue
		}
		n := access.Notice{To: p, Template: "list.held", Group: g, Title: l.Name, Message: m.Subject, Reason: sender,
			Path: "/groups/" + g.Slug + "/lists/" + l.Address + "/held"}
		if err := s.notify.Queue(tx, n); err != nil {
			return err
		}
	}
	return nil
}
