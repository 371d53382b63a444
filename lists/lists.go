// Package lists runs a group's mailing lists: it receives their mail (over LMTP, from the host's
// mail server), keeps every message in the database before answering, holds what needs a
// moderator, and distributes the rest to the people access says receive the list now. Nobody keeps
// a list's members by hand: leaving the group or letting one's dues lapse stops the next message,
// paying gives it back.
package lists

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"parvis/access"
	"parvis/storage/db"
)

// Config is what the lists need of the instance's settings.
type Config struct {
	Domain      string         // the lists' mail domain
	PublicURL   string         // the server's address, for archive and unsubscribe links
	MaxSize     int64          // the largest message accepted
	MaxPerHour  int            // messages one sender may send to the lists in an hour; 0: no limit
	FromRewrite string         // dmarc, always, never
	DigestHour  int            // the hour daily digests go out, in Zone
	Zone        *time.Location // the association's time zone
	Mailman     Mailman        // a Mailman 3 whose rosters follow the lists; empty URL: none
	// LookupDMARC reads a domain's DMARC policy (p=); nil uses DNS. Tests give their own.
	LookupDMARC func(domain string) (string, error)
}

// Copy is one message to one recipient, as the sender hands it to the outgoing mail server:
// the envelope (a bounce address that names the copy, VERP) and the bytes, a header of its own
// (the unsubscribe link is personal) before the message every copy shares.
type Copy struct {
	From, To string
	Header   []byte
	Message  []byte
}

// Sender sends copies over SMTP, a batch per connection, with one error (or nil) per copy.
type Sender interface {
	SendCopies(ctx context.Context, copies []Copy) []error
}

// Service is the lists service.
type Service struct {
	db     *db.DB
	access *access.Service
	cfg    Config
	sender Sender
	notify access.Notifier
	log    *slog.Logger
	wake   chan struct{}
	dmarc  sync.Map // domain → policy, for FromRewrite "dmarc"
}

// New returns the service. Without a domain, lists are off: nothing is received.
func New(d *db.DB, acc *access.Service, cfg Config, log *slog.Logger) *Service {
	return &Service{db: d, access: acc, cfg: cfg, log: log, wake: make(chan struct{}, 1)}
}

// SetSender sets who sends distributed copies; without one they wait (no mail server).
func (s *Service) SetSender(snd Sender) { s.sender = snd }

// SetNotifier sets who queues the mails to moderators.
func (s *Service) SetNotifier(n access.Notifier) { s.notify = n }

// Enabled tells whether the instance has lists (a domain is set).
func (s *Service) Enabled() bool { return s.cfg.Domain != "" }

// Domain is the lists' mail domain.
func (s *Service) Domain() string { return s.cfg.Domain }

// Address is a list's full address.
func (s *Service) Address(l db.List) string { return l.Address + "@" + s.cfg.Domain }

// listID is the List-Id of a list (RFC 2919): its address with a dot for the at sign.
func (s *Service) listID(l db.List) string { return l.Address + "." + s.cfg.Domain }

// archiveURL is a list's archive page.
func (s *Service) archiveURL(g db.Group, l db.List) string {
	return strings.TrimRight(s.cfg.PublicURL, "/") + s.archivePath(g, l)
}

// archivePath is archiveURL under the site's address.
func (s *Service) archivePath(g db.Group, l db.List) string {
	return "/groups/" + url.PathEscape(g.Slug) + "/lists/" + url.PathEscape(l.Address)
}

// sign is the instance's HMAC of parts, for its bounce addresses and unsubscribe links.
func (s *Service) sign(tx *db.Tx, parts ...string) ([]byte, error) {
	key, err := tx.Secret("lists")
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return m.Sum(nil), nil
}

// ErrUnknownList is mail for an address of the domain that is no list.
var ErrUnknownList = errors.New("lists: no such list")

// listOf finds the list a recipient address names, and the rest of its local part after a '+'
// (a bounce address's tag).
func (s *Service) listOf(r db.Read, rcpt string) (db.List, string, error) {
	local, domain, ok := strings.Cut(strings.Trim(rcpt, "<> "), "@")
	if !ok || !strings.EqualFold(domain, s.cfg.Domain) {
		return db.List{}, "", fmt.Errorf("%w: %s is not an address of %s", ErrUnknownList, rcpt, s.cfg.Domain)
	}
	local, tag, _ := strings.Cut(strings.ToLower(local), "+")
	l, err := r.ListByAddress(local)
	if errors.Is(err, db.ErrNotFound) {
		return db.List{}, "", fmt.Errorf("%w: %s", ErrUnknownList, rcpt)
	}
	return l, tag, err
}

// Wake makes the distributor look at its queue now.
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Posters are a named list's people who post freely, for its edit form.
func (s *Service) Posters(ctx context.Context, l db.List) ([]db.Person, error) {
	return s.db.R(ctx).ListPosters(l.ID)
}

// Reach is how many people a message of the list reaches now, for its page.
func (s *Service) Reach(ctx context.Context, l db.List) (int, error) {
	people, err := s.access.ListRecipients(s.db.R(ctx), l)
	return len(people), err
}

// Group is the group a list belongs to, for pages that show another group's list.
func (s *Service) Group(ctx context.Context, l db.List) (db.Group, error) {
	return s.db.R(ctx).GroupByID(l.GroupID)
}
