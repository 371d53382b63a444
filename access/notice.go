package access

import "parvis/storage/db"

// Notice is a mail an action of access owes someone: where their request stands, for now. It is
// queued in the transaction of the action, so that an action is never done without its mail, nor a
// mail sent for an action that did not happen, whichever surface (page, API, command line, dues
// import) performed it.
type Notice struct {
	To       db.Person
	Template string // a mail template (mail/templates.go): request.validated, request.refused, request.active
	Group    db.Group
	Reason   string
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

// queued tells the notifier that a transaction that may have queued mails committed.
func (s *Service) queued(err error) {
	if err == nil && s.notifier != nil {
		s.notifier.Queued()
	}
}
