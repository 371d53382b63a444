package mail

import (
	"sync/atomic"

	"parvis/access"
	"parvis/storage/db"
)

// Notices is access's notifier: it queues the mails that access's actions owe people, from the
// catalogues' mail templates, in the action's own transaction, and wakes the sender once that
// committed. The command line has no sender: a running server sends what it queued at its next
// look (30 s at most).
type Notices struct {
	site   string
	sender atomic.Pointer[Queue] // nil until a server runs
}

// NewNotices returns a notifier whose links point into site (the public address).
func NewNotices(site string) *Notices { return &Notices{site: site} }

// SendWith makes q the sender woken after each action that queued mail.
func (n *Notices) SendWith(q *Queue) { n.sender.Store(q) }

// Queue queues the mail of notice x inside tx.
func (n *Notices) Queue(tx *db.Tx, x access.Notice) error {
	if x.Path == "" {
		x.Path = "/"
	}
	d := Data{Name: x.To.Name, Group: x.Group.Name, Role: string(x.Role), Days: x.Days, Until: x.Until, Title: x.Title, At: x.At,
		AllDay: x.AllDay, Place: x.Place, Visio: x.Visio, Document: x.Document, Reason: x.Reason, Message: x.Message, Link: n.site + x.Path, Site: n.site}
	if x.About.Email != "" {
		d.Person = x.About.Email
		if x.About.Name != "" {
			d.Person = x.About.Name + " <" + x.About.Email + ">"
		}
	}
	render := RenderBoth
	if x.Lang != "" {
		render = func(name string, d Data) (Message, error) { return Render(name, x.Lang, d) }
	}
	m, err := render(x.Template, d)
	if err != nil {
		return err
	}
	_, err = tx.QueueMail(x.To.Email, m.Subject, m.Body, x.Calendar)
	return err
}

// Queued wakes the sender, if a server runs one.
func (n *Notices) Queued() {
	if q := n.sender.Load(); q != nil {
		q.Wake()
	}
}
