package access

import (
	"context"
	"net/url"
	"time"

	"parvis/storage/db"
)

// GuestWarningBefore is how long before a guest's access ends they are told, and the group's
// animators too, who may extend it.
const GuestWarningBefore = 7 * 24 * time.Hour

// WarnExpiringGuests tells, once, each guest whose access ends within GuestWarningBefore, and the
// group's animators, who may extend it: the mails are queued in the transaction that remembers the
// warning, so a crash neither loses nor repeats one. It returns how many guests were warned.
// Housekeeping calls it.
func (s *Service) WarnExpiringGuests(ctx context.Context) (int, error) {
	warned := 0
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		warned = 0
		guests, err := tx.R().GuestsExpiringBefore(db.Now().Add(GuestWarningBefore))
		if err != nil {
			return err
		}
		for _, g := range guests {
			animators, err := s.animators(tx.R(), g.Group.ID)
			if err != nil {
				return err
			}
			if err := s.guestNotice(tx, g, animators); err != nil {
				return err
			}
			if err := tx.MarkExpiryWarned(g.Group.ID, g.PersonID); err != nil {
				return err
			}
			detail := "access ends " + g.ExpiresAt.Format(time.DateOnly)
			if err := tx.Audit(Actor{Label: "system"}.audit("guest.expiry_warning", g.Group.Slug+" "+g.Email, detail)); err != nil {
				return err
			}
			warned++
		}
		return nil
	})
	s.queued(err)
	return warned, err
}

// guestNotice queues the warning to the guest and a note to each animator of the group, with the
// last day of access (access ends at the start of ExpiresAt).
func (s *Service) guestNotice(tx *db.Tx, g db.ExpiringGuest, animators []db.Person) error {
	if s.notifier == nil {
		return nil
	}
	lastDay := g.ExpiresAt.Add(-time.Second)
	guest := db.Person{ID: g.PersonID, Email: g.Email, Name: g.Name}
	if err := s.notifier.Queue(tx, Notice{To: guest, Template: "guest.ending", Group: g.Group, Until: lastDay}); err != nil {
		return err
	}
	for _, a := range animators {
		n := Notice{To: a, Template: "guest.ending.animator", Group: g.Group, About: guest, Until: lastDay,
			Path: "/groups/" + url.PathEscape(g.Group.Slug) + "/people"}
		if err := s.notifier.Queue(tx, n); err != nil {
			return err
		}
	}
	return nil
}
