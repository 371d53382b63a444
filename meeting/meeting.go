// Package meeting carries a group's meeting through its life: a date poll the group answers, the
// event the chosen date becomes in the group's agenda, and (next) its minutes. It is a domain
// service: every decision goes through access (who may open, answer, close), every write is one
// transaction with its audit entry and the mails it owes, queued through access's notifier.
package meeting

import (
	"errors"
	"fmt"
	"time"

	"parvis/access"
	"parvis/files"
	"parvis/storage/db"
)

// Errors of polls a person can act on: the pages and the API show them with their field.
var (
	// ErrClosed refuses an answer to a poll past its deadline or closed, and closing it twice.
	ErrClosed = errors.New("meeting: this poll is closed")

	errTitle    = fmt.Errorf("%w: a poll needs a title of at most %d characters", access.ErrInvalid, maxTitle)
	errLong     = fmt.Errorf("%w: the description, place or visio address is too long", access.ErrInvalid)
	errVisio    = fmt.Errorf("%w: a visio address is an http:// or https:// address", access.ErrInvalid)
	errSlots    = fmt.Errorf("%w: a poll offers between 1 and %d dates", access.ErrInvalid, maxSlots)
	errSlot     = fmt.Errorf("%w: each date ends after it starts", access.ErrInvalid)
	errDeadline = fmt.Errorf("%w: the deadline for answers is in the future", access.ErrInvalid)
	errResponse = fmt.Errorf("%w: an answer is yes, if need be or no", access.ErrInvalid)
	errNoSlot   = fmt.Errorf("%w: that date is not one of the poll's", access.ErrInvalid)
)

// Limits of a poll: generous for real use, small enough for a page and a phone.
const (
	maxTitle = 200
	maxText  = 4000
	maxSlots = 30
)

// Service is the meetings' domain service.
type Service struct {
	db       *db.DB
	access   *access.Service
	files    *files.Service // the group's documents: templates of minutes, minutes written as a file, agendas
	notifier access.Notifier
	zone     *time.Location // the association's, for agendas without a zone of their own
}

// New returns the service over the database, deciding through acc, reading documents through fs.
func New(d *db.DB, acc *access.Service, fs *files.Service) *Service {
	return &Service{db: d, access: acc, files: fs}
}

// SetZone sets the association's time zone (the time_zone setting); without one, Europe/Paris.
func (s *Service) SetZone(loc *time.Location) { s.zone = loc }

// SetNotifier sets who queues the mails of polls (the same as access's); without one, none are.
func (s *Service) SetNotifier(n access.Notifier) { s.notifier = n }

// notify queues n inside tx, when a notifier is set and the person has an address.
func (s *Service) notify(tx *db.Tx, n access.Notice) error {
	if s.notifier == nil || n.To.Email == "" {
		return nil
	}
	return s.notifier.Queue(tx, n)
}

// queued wakes the mail sender after a transaction that may have queued mails committed.
func (s *Service) queued(err error) {
	if err == nil && s.notifier != nil {
		s.notifier.Queued()
	}
}

// audit is an audit entry of person p (the system when p is zero).
func audit(p db.Person, action, target, detail string) db.AuditEntry {
	label := p.Email
	if p.ID == 0 {
		label = "system"
	}
	return db.AuditEntry{ActorID: p.ID, Actor: label, Action: action, Target: target, Detail: detail}
}
