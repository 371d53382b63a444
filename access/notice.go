package access

import (
	"net/url"
	"time"

	"parvis/storage/db"
)

// Notice is a mail an action of access owes someone: a set-password link, where their request
// stands. It is
// queued in the transaction of the action, so that an action is never done without its mail, nor a
// mail sent for an action that did not happen, whichever surface (page, API, command line, dues
// import) performed it.
type Notice struct {
	To       db.Person
	Template string // a mail template (mail/templates.go): request.new, request.validated, …
	Group    db.Group
	Reason   string    // why a request was refused
	About    db.Person // who asks to join (request.new)
	Message  string    // what they wrote to the animators
	Path     string    // the page to act on, under the site's address ("/" when empty)
	Role     db.Role   // the role an invitation gives
	Days     int       // how long the link in it works
	Until    time.Time // the last day of a guest's access, of a poll's answers
	Title    string    // what the mail is about: a poll's or a meeting's title
	At       time.Time // when a meeting takes place
	AllDay   bool      // At is a day, not a time
	Place    string    // where it takes place
	Visio    string    // its visio address
	Document string    // the address of its agenda (ordre du jour), a share link
	// Calendar is an iTIP message (an invitation, its update or cancellation) sent beside the text
	// as text/calendar, so that mail programs offer to answer and add it to a calendar.
	Calendar string
	// Lang is the language of the person who acted when they are the one mailed (a forgotten
	// password); empty, the mail is in every language, as the server keeps none per person.
	Lang string
}

// Notifier turns notices into queued mails. server gives access one, built on the mail templates
// and the mail table.
type Notifier interface {
	// Queue queues the notice's mail inside tx.
	Queue(tx *db.Tx, n Notice) error
	// Queued is called once the transaction that queued mails committed: the sender may go.
	Queued()
}

// SetNotifier sets who queues the mails of access's actions; without one, none are queued.
func (s *Service) SetNotifier(n Notifier) { s.notifier = n }

// requestNotice is the mail that tells a requester where their request stands now, if any.
func (s *Service) requestNotice(tx *db.Tx, req db.AccessRequest) error {
	tmpl := map[string]string{db.RequestValidated: "request.validated", db.RequestRefused: "request.refused",
		db.RequestActive: "request.active"}[req.Status]
	if s.notifier == nil || tmpl == "" {
		return nil
	}
	p, err := tx.R().PersonByID(req.PersonID)
	if err != nil {
		return err
	}
	g, err := tx.R().GroupByID(req.GroupID)
	if err != nil {
		return err
	}
	return s.notifier.Queue(tx, Notice{To: p, Template: tmpl, Group: g, Reason: req.Reason})
}

// animatorsNotice tells a group's animators that someone asks to join, with the page to answer on;
// a group that has none able to answer now (none named yet, or all suspended) has its request sent
// to the administrators instead, who may name one: a request never waits for nobody.
func (s *Service) animatorsNotice(tx *db.Tx, g db.Group, req db.AccessRequest, from db.Person) error {
	if s.notifier == nil {
		return nil
	}
	animators, err := s.PeopleAllowed(tx.R(), g, RequestsDecide)
	if err != nil {
		return err
	}
	if len(animators) == 0 {
		admins, err := tx.R().Administrators()
		if err != nil {
			return err
		}
		for _, a := range admins {
			n := Notice{To: a, Template: "request.noanimator", Group: g, About: from, Message: req.Message, Path: "/admin/groups"}
			if err := s.notifier.Queue(tx, n); err != nil {
				return err
			}
		}
		return nil
	}
	for _, a := range animators {
		n := Notice{To: a, Template: "request.new", Group: g, About: from, Message: req.Message, Path: "/groups/" + url.PathEscape(g.Slug) + "/people"}
		if err := s.notifier.Queue(tx, n); err != nil {
			return err
		}
	}
	return nil
}

// linkNotice queues n with the set-password link of secret raw.
func (s *Service) linkNotice(tx *db.Tx, n Notice, raw string) error {
	if s.notifier == nil {
		return nil
	}
	n.Path = "/password/" + raw
	n.Days = int(PasswordLinkLifetime.Hours() / 24)
	return s.notifier.Queue(tx, n)
}

// queued tells the notifier that a transaction that may have queued mails committed.
func (s *Service) queued(err error) {
	if err == nil && s.notifier != nil {
		s.notifier.Queued()
	}
}
