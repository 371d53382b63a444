package lists

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"parvis/access"
	"parvis/storage/db"
)

// Of returns a group's list by address with what p may do with it; ErrNoAccess when p may not
// read it, or the group has no such list (the same answer: nobody learns a committee list exists).
func (s *Service) Of(ctx context.Context, p db.Person, g db.Group, address string) (db.List, access.ListRights, error) {
	l, err := s.db.R(ctx).ListByAddress(address)
	if errors.Is(err, db.ErrNotFound) || err == nil && l.GroupID != g.ID {
		return db.List{}, access.ListRights{}, access.ErrNoAccess
	} else if err != nil {
		return db.List{}, access.ListRights{}, err
	}
	rights, err := s.access.ListRightsOf(ctx, p, l)
	return l, rights, err
}

// Find is Of for a group named by its slug, as the pages ask: the list's group comes with it.
func (s *Service) Find(ctx context.Context, p db.Person, slug, address string) (db.Group, db.List, access.ListRights, error) {
	g, err := s.db.R(ctx).GroupBySlug(slug)
	if errors.Is(err, db.ErrNotFound) {
		return db.Group{}, db.List{}, access.ListRights{}, access.ErrNoAccess
	} else if err != nil {
		return db.Group{}, db.List{}, access.ListRights{}, err
	}
	l, rights, err := s.Of(ctx, p, g, address)
	return g, l, rights, err
}

// Messages returns the archive of a list p may read: its distributed messages, newest first,
// those matching q when it is not "".
func (s *Service) Messages(ctx context.Context, p db.Person, l db.List, q string, limit int) ([]db.ListMessage, error) {
	if _, err := s.access.ListRightsOf(ctx, p, l); err != nil {
		return nil, err
	}
	return s.db.R(ctx).ListMessages(l.ID, db.MessageDistributed, strings.TrimSpace(q), limit)
}

// Message is one archived message as the page shows it.
type Message struct {
	db.ListMessage
	Date        time.Time // its Date header, or when the list received it
	Attachments []Attachment
}

// Attachment is a file a message carries.
type Attachment struct {
	Index int // its place among the message's attachments, for the download link
	Name  string
	Type  string
	Size  int64
}

// Read returns one message of a list p may read (a moderator reads held ones too).
func (s *Service) Read(ctx context.Context, p db.Person, l db.List, id int64) (Message, error) {
	rights, err := s.access.ListRightsOf(ctx, p, l)
	if err != nil {
		return Message{}, err
	}
	m, err := s.db.R(ctx).ListMessage(l.ID, id)
	if errors.Is(err, db.ErrNotFound) || err == nil && m.Status != db.MessageDistributed && !rights.Moderate {
		return Message{}, access.ErrNoAccess
	} else if err != nil {
		return Message{}, err
	}
	out := Message{ListMessage: m, Date: m.ReceivedAt}
	err = eachAttachment(m.Raw, func(a Attachment, _ io.Reader) bool {
		out.Attachments = append(out.Attachments, a)
		return true
	})
	if d, err := netmail.ParseDate(headerOf(m.Raw, "Date")); err == nil {
		out.Date = d
	}
	return out, err
}

// AttachmentOf returns the index-th attachment of a message p may read, decoded.
func (s *Service) AttachmentOf(ctx context.Context, p db.Person, l db.List, id int64, index int) (Attachment, []byte, error) {
	m, err := s.Read(ctx, p, l, id)
	if err != nil {
		return Attachment{}, nil, err
	}
	var found Attachment
	var body []byte
	err = eachAttachment(m.Raw, func(a Attachment, r io.Reader) bool {
		if a.Index != index {
			return true
		}
		found = a
		body, err = io.ReadAll(r)
		return false
	})
	if err != nil {
		return Attachment{}, nil, err
	}
	if found.Name == "" {
		return Attachment{}, nil, access.ErrNoAccess
	}
	return found, body, nil
}

// eachAttachment calls f with each attachment of a raw message and its decoded body, until f
// says stop.
func eachAttachment(raw []byte, f func(Attachment, io.Reader) bool) error {
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return err
	}
	mr := mail.NewReader(e)
	for i := 0; ; {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return nil // a damaged tail: what came before is shown
		}
		ah, ok := part.Header.(*mail.AttachmentHeader)
		if !ok {
			continue
		}
		name, _ := ah.Filename()
		if name == "" {
			name = fmt.Sprintf("piece-jointe-%d", i+1)
		}
		ct, _, _ := ah.ContentType()
		body, _ := io.ReadAll(part.Body)
		i++
		if !f(Attachment{Index: i, Name: name, Type: ct, Size: int64(len(body))}, bytes.NewReader(body)) {
			return nil
		}
	}
}

// headerOf reads one header field of a raw message ("" when absent).
func headerOf(raw []byte, key string) string {
	e, err := message.Read(bytes.NewReader(raw))
	if e == nil || err != nil && !message.IsUnknownCharset(err) {
		return ""
	}
	return e.Header.Get(key)
}

// Post sends a message to the list from the page, as p: for members without e-mail, and anyone
// who prefers the page. It is treated as the same message by mail would be (the same rule of
// who posts freely), and comes from p's address, or the list's when p has none.
func (s *Service) Post(ctx context.Context, p db.Person, l db.List, subject, text string) (Received, error) {
	rights, err := s.access.ListRightsOf(ctx, p, l)
	if err != nil {
		return Received{}, err
	}
	if !rights.Post {
		return Received{}, ErrNotAllowed
	}
	subject, text = strings.TrimSpace(subject), strings.TrimSpace(text)
	if subject == "" || text == "" {
		return Received{}, fmt.Errorf("%w: a message needs a subject and a text", access.ErrInvalid)
	}
	from := &mail.Address{Name: p.DisplayName(), Address: p.Email}
	if p.Email == "" {
		from = &mail.Address{Name: p.DisplayName() + " via " + l.Name, Address: s.Address(l)}
	}
	var h mail.Header
	h.SetDate(time.Now())
	h.SetAddressList("From", []*mail.Address{from})
	h.SetAddressList("To", []*mail.Address{{Name: l.Name, Address: s.Address(l)}})
	h.SetSubject(subject)
	if err := h.GenerateMessageIDWithHostname(s.cfg.Domain); err != nil {
		return Received{}, err
	}
	h.Set("Content-Type", mime.FormatMediaType("text/plain", map[string]string{"charset": "utf-8"}))
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	var b bytes.Buffer
	w, err := mail.CreateSingleInlineWriter(&b, h)
	if err != nil {
		return Received{}, err
	}
	io.WriteString(w, strings.ReplaceAll(text, "\r\n", "\n"))
	if err := w.Close(); err != nil {
		return Received{}, err
	}
	in, err := parse(b.Bytes())
	if err != nil {
		return Received{}, err
	}
	return s.store(ctx, l, in, b.Bytes(), &p)
}
