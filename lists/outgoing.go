package lists

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"github.com/emersion/go-msgauth/dmarc"

	"parvis/storage/db"
)

// outgoing is a received message as every copy of it goes out: the same bytes for all (built once
// per message, not per person), to which each copy adds its own unsubscribe header.
//
// What changes, and why, as good lists do (Mailman, Sympa):
//   - the List-* headers of RFC 2369 and RFC 2919, so mail programs offer "reply to list",
//     "unsubscribe" and filter on List-Id;
//   - the Subject gets "[List name]", once;
//   - when the author's domain publishes a strict DMARC policy (or always, by the setting), From
//     becomes "Author via List" <list@domain>: receivers would otherwise refuse a copy that no
//     longer passes the author's domain's checks. The author stays in Reply-To when replies go to
//     the author, and in X-Original-From;
//   - Reply-To is the list or the author, as the list says;
//   - DKIM signatures go: the copy changed what they sign; Return-Path and delivery traces go too.
func (s *Service) outgoing(g db.Group, l db.List, m db.ListMessage) ([]byte, error) {
	br := bufio.NewReader(bytes.NewReader(m.Raw))
	th, err := textproto.ReadHeader(br)
	if err != nil {
		return nil, fmt.Errorf("lists: message %d: %w", m.ID, err)
	}
	h := mail.Header{Header: message.Header{Header: th}}
	for _, k := range []string{"DKIM-Signature", "Return-Path", "Delivered-To", "X-Original-To", "Sender", "Errors-To", "Precedence",
		"List-Id", "List-Post", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Archive", "List-Help", "List-Subscribe", "List-Owner"} {
		h.Del(k)
	}
	prefix := "[" + l.Name + "]"
	if subject, _ := h.Subject(); !strings.Contains(subject, prefix) {
		h.SetSubject(strings.TrimSpace(prefix + " " + subject))
	}
	author := &mail.Address{Name: m.SenderName, Address: m.Sender}
	list := &mail.Address{Name: l.Name, Address: s.Address(l)}
	if s.rewriteFrom(m.Sender) {
		name := m.SenderName
		if name == "" {
			name = strings.SplitN(m.Sender, "@", 2)[0]
		}
		h.SetAddressList("From", []*mail.Address{{Name: name + " via " + l.Name, Address: s.Address(l)}})
		h.SetAddressList("X-Original-From", []*mail.Address{author})
	}
	if l.ReplyTo == "author" {
		h.SetAddressList("Reply-To", []*mail.Address{author})
	} else {
		h.SetAddressList("Reply-To", []*mail.Address{list})
	}
	h.Set("List-Id", fmt.Sprintf("%s <%s>", mimeWord(l.Name), s.listID(l)))
	if l.Posters == "audience" {
		h.Set("List-Post", "<mailto:"+s.Address(l)+">")
	} else {
		h.Set("List-Post", "NO") // RFC 2369 §3.4: an announcement list
	}
	h.Set("List-Archive", "<"+s.archiveURL(g, l)+">")
	h.Set("Precedence", "list")
	var b bytes.Buffer
	if err := textproto.WriteHeader(&b, h.Header.Header); err != nil {
		return nil, err
	}
	if _, err := io.Copy(&b, br); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// mimeWord encodes a header phrase when it is not plain ASCII.
func mimeWord(s string) string {
	var h message.Header
	h.SetText("X", s)
	return h.Get("X")
}

// rewriteFrom tells whether copies of the author's message must not carry their address in From.
func (s *Service) rewriteFrom(author string) bool {
	switch s.cfg.FromRewrite {
	case "always":
		return true
	case "never":
		return false
	}
	domain := domainOf(author)
	if v, ok := s.dmarc.Load(domain); ok && time.Since(v.(dmarcPolicy).at) < time.Hour {
		return v.(dmarcPolicy).strict
	}
	lookup := s.cfg.LookupDMARC
	if lookup == nil {
		lookup = func(d string) (string, error) {
			rec, err := dmarc.Lookup(d)
			if err != nil {
				return "", err
			}
			return string(rec.Policy), nil
		}
	}
	policy, err := lookup(domain)
	strict := err == nil && (policy == "quarantine" || policy == "reject")
	if err != nil && !errors.Is(err, dmarc.ErrNoPolicy) {
		strict = true // unknown (DNS failing): rewriting is safe, a refused copy is not
	}
	s.dmarc.Store(domain, dmarcPolicy{strict: strict, at: time.Now()})
	return strict
}

// dmarcPolicy is a domain's policy as last looked up: kept an hour.
type dmarcPolicy struct {
	strict bool
	at     time.Time
}

// copyHeader is a copy's own header: its one-click unsubscribe link (RFC 8058), personal so that
// one click mutes this person's copies of this list and nothing else.
func (s *Service) copyHeader(unsubscribe string) []byte {
	return []byte("List-Unsubscribe: <" + unsubscribe + ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
}

// unsubscribeToken is the signed token of a person's unsubscribe link for a list.
func (s *Service) unsubscribeToken(tx *db.Tx, listID, personID int64) (string, error) {
	mac, err := s.sign(tx, "unsubscribe", fmt.Sprint(listID), fmt.Sprint(personID))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.%d.%s", listID, personID, base64.RawURLEncoding.EncodeToString(mac[:16])), nil
}
