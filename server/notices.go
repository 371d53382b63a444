package server

import (
	"sync/atomic"

	"parvis/access"
	"parvis/mail"
	"parvis/storage/db"
)

// notices queues the mails that access's actions owe people, from the mail templates, in the
// action's own transaction; the queue's sender is woken once it committed. The command line has no
// sender: a running server sends what it queued at its next look (30 s at most).
type notices struct {
	site  string
	queue atomic.Pointer[mail.Queue] // nil until a server runs
}

func (n *notices) Queue(tx *db.Tx, x access.Notice) error {
	if x.Path == "" {
		x.Path = "/"
	}
	d := mail.Data{Name: x.To.Name, Group: x.Group.Name, Role: string(x.Role), Days: x.Days, Until: x.Until, Reason: x.Reason,
		Message: x.Message, Link: n.site + x.Path, Site: n.site}
	if x.About.Email != "" {
		d.Person = x.About.Email
		if x.About.Name != "" {
			d.Person = x.About.Name + " <" + x.About.Email + ">"
		}
	}
	render := mail.RenderBoth
	if x.Lang != "" {
		render = func(name string, d mail.Data) (mail.Message, error) { return mail.Render(name, x.Lang, d) }
	}
	m, err := render(x.Template, d)
	if err != nil {
		return err
	}
	_, err = tx.QueueMail(x.To.Email, m.Subject, m.Body)
	return err
}

func (n *notices) Queued() {
	if q := n.queue.Load(); q != nil {
		q.Wake()
	}
}
