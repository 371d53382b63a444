package lists

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"parvis/storage/db"
)

// batch is how many copies go over one SMTP connection.
const batch = 200

// Run sends queued copies until ctx ends, waking when a message is distributed and every 30 s
// for retries and the daily digests. Without a sender (no mail server), copies wait.
func (s *Service) Run(ctx context.Context) {
	if !s.Enabled() {
		return
	}
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		if _, err := s.Digests(ctx, time.Now()); err != nil && ctx.Err() == nil {
			s.log.Warn("lists: digests", "err", err)
		}
		for s.sender != nil {
			n, err := s.flush(ctx)
			if err != nil && ctx.Err() == nil {
				s.log.Warn("lists: distribution", "err", err)
			}
			if err != nil || n < batch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wake:
		}
	}
}

// Flush sends one batch of due copies now and says how many it tried, for tests and Run.
func (s *Service) Flush(ctx context.Context) (int, error) { return s.flush(ctx) }

func (s *Service) flush(ctx context.Context) (int, error) {
	due, err := s.db.R(ctx).DueListDeliveries(batch)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	copies, err := s.copies(ctx, due)
	if err != nil {
		return 0, err
	}
	errs := s.sender.SendCopies(ctx, copies)
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		for i, d := range due {
			if errs[i] == nil {
				if err := tx.ListDeliverySent(d.ID); err != nil {
					return err
				}
				continue
			}
			next := time.Now().Add(retryAfter(d.Attempts + 1))
			if permanent(errs[i]) || d.Attempts+1 >= maxAttempts {
				next = time.Time{}
				if err := tx.RecordBounce(d.PersonID, errs[i].Error()); err != nil {
					return err
				}
			}
			if err := tx.ListDeliveryFailed(d.ID, errs[i].Error(), next); err != nil {
				return err
			}
		}
		return nil
	})
	return len(due), err
}

// maxAttempts gives up a copy after about three days of retries.
const maxAttempts = 18

// retryAfter is the wait before attempt n+1: 1, 2, 4 … minutes, at most 6 hours.
func retryAfter(n int) time.Duration { return min(time.Minute<<min(n-1, 9), 6*time.Hour) }

// permanent tells whether the outgoing server refused the copy for good (5xx): the address is
// wrong, which is what a bounce would say later.
func permanent(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SMTP error 5") || strings.Contains(msg, " 550 ") || strings.HasPrefix(msg, "5")
}

// copies builds the due copies: each message's shared bytes once, each copy's envelope and header.
func (s *Service) copies(ctx context.Context, due []db.ListDelivery) ([]Copy, error) {
	out := make([]Copy, len(due))
	prepared := map[int64][]byte{}
	lists := map[int64]db.List{}
	err := s.db.Write(ctx, func(tx *db.Tx) error { // a write: the instance's key may be made on first use
		r := tx.R()
		for i, d := range due {
			body, ok := prepared[d.MessageID]
			var l db.List
			if !ok {
				m, err := r.ListMessageByID(d.MessageID)
				if err != nil {
					return err
				}
				if l, err = r.ListByID(m.ListID); err != nil {
					return err
				}
				g, err := r.GroupByID(l.GroupID)
				if err != nil {
					return err
				}
				if body, err = s.outgoing(g, l, m); err != nil {
					return err
				}
				prepared[d.MessageID], lists[d.MessageID] = body, l
			}
			l = lists[d.MessageID]
			bounce, err := s.bounceAddress(tx, l, d.ID)
			if err != nil {
				return err
			}
			token, err := s.unsubscribeToken(tx, l.ID, d.PersonID)
			if err != nil {
				return err
			}
			out[i] = Copy{From: bounce, To: d.Address, Header: s.copyHeader(s.unsubscribeURL(token)), Message: body}
		}
		return nil
	})
	return out, err
}

// unsubscribeURL is the page (and RFC 8058 one-click endpoint) of an unsubscribe token.
func (s *Service) unsubscribeURL(token string) string {
	return strings.TrimRight(s.cfg.PublicURL, "/") + "/lists/unsubscribe/" + token
}

// bounceAddress is the envelope sender of a copy (VERP): list+bounce-ID-SIG@domain, signed so that
// a forged bounce cannot flag someone's address.
func (s *Service) bounceAddress(tx *db.Tx, l db.List, deliveryID int64) (string, error) {
	mac, err := s.sign(tx, "bounce", fmt.Sprint(deliveryID))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s+bounce-%d-%s@%s", l.Address, deliveryID, hex.EncodeToString(mac[:5]), s.cfg.Domain), nil
}
