package lists

import (
	"context"
	"errors"
	"fmt"

	"parvis/access"
	"parvis/storage/db"
)

// ErrDecided is a moderation decision on a message that is not held any more: another moderator
// decided first.
var ErrDecided = errors.New("lists: this message was already decided")

// Decide approves (distributes) or rejects a held message, for a moderator of the list, audited.
// Its copies go to the people who receive the list at the time of approval.
func (s *Service) Decide(ctx context.Context, by db.Person, l db.List, id int64, approve bool) (int, error) {
	rights, err := s.access.ListRightsOf(ctx, by, l)
	if err != nil {
		return 0, err
	}
	if !rights.Moderate {
		return 0, access.ErrForbidden
	}
	status, action := db.MessageRejected, "list.reject"
	if approve {
		status, action = db.MessageDistributed, "list.approve"
	}
	copies := 0
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		m, err := tx.R().ListMessage(l.ID, id)
		if err != nil {
			return access.ErrNoAccess
		}
		if err := tx.DecideListMessage(id, status, by.ID); errors.Is(err, db.ErrNotFound) {
			return ErrDecided
		} else if err != nil {
			return err
		}
		if approve {
			if copies, err = s.queueCopies(tx, l, m); err != nil {
				return err
			}
		}
		g, err := tx.R().GroupByID(l.GroupID)
		if err != nil {
			return err
		}
		return tx.Audit(db.AuditEntry{ActorID: by.ID, Actor: by.Email, Action: action, Target: g.Slug + "/" + l.Address,
			Detail: fmt.Sprintf("%s: %s", m.Sender, m.Subject)})
	})
	if err == nil && copies > 0 {
		s.Wake()
	}
	return copies, err
}

// Held lists a list's messages waiting for a moderator, for its moderators.
func (s *Service) Held(ctx context.Context, by db.Person, l db.List) ([]db.ListMessage, error) {
	rights, err := s.access.ListRightsOf(ctx, by, l)
	if err != nil {
		return nil, err
	}
	if !rights.Moderate {
		return nil, access.ErrForbidden
	}
	return s.db.R(ctx).ListMessages(l.ID, db.MessageHeld, "", 200)
}
