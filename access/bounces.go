package access

import (
	"context"

	"parvis/storage/db"
)

// Addresses that bounce: the lists flag a person's address when a copy to it is refused for good,
// and administrators see them, to correct them with the person or clear the flag once it works.

// Bounces are the flagged addresses, most recent first, for administrators.
func (s *Service) Bounces(ctx context.Context, by Actor) ([]db.Bounce, error) {
	if !by.isAdmin() {
		return nil, ErrForbidden
	}
	return s.db.R(ctx).Bounces()
}

// ClearBounce forgets that a person's address bounced, audited: it was corrected, or works again.
func (s *Service) ClearBounce(ctx context.Context, by Actor, personID int64) error {
	if !by.isAdmin() {
		return ErrForbidden
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		p, err := tx.R().PersonByID(personID)
		if err != nil {
			return ErrNoAccess
		}
		if err := tx.ClearBounce(p.ID); err != nil {
			return err
		}
		return tx.Audit(by.audit("person.bounce.clear", p.Email, ""))
	})
}
