package access

import (
	"context"
	"time"

	"parvis/storage/db"
)

// GuestWarningBefore is how long before a guest's access ends they are told, and the group's
// animators too, who may extend it.
const GuestWarningBefore = 7 * 24 * time.Hour

// GuestNotice is what a warning about a guest's end of access says, for the caller to word.
type GuestNotice struct {
	Guest     db.ExpiringGuest
	Animators []db.Person
}

// WarnExpiringGuests tells, once, each guest whose access ends within GuestWarningBefore: send
// queues the messages in the transaction that remembers the warning, so a crash neither loses nor
// repeats one. It returns how many guests were warned. Housekeeping calls it.
func (s *Service) WarnExpiringGuests(ctx context.Context, send func(tx *db.Tx, n GuestNotice) error) (int, error) {
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
			if err := send(tx, GuestNotice{Guest: g, Animators: animators}); err != nil {
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
	return warned, err
}
