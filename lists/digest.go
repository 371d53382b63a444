package lists

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"parvis/access"
	"parvis/storage/db"
)

// The daily digest: people who chose it for a list get, once a day at the configured hour, one
// mail with the messages the list distributed since the last digest (their text, their author,
// a link to each in the archive, where attachments are). It is queued with the instance's other
// mails, and goes to those who receive the list at that hour, like any copy.

// digestText caps one message's text in a digest; the link reads the rest.
const digestText = 4000

// Digests sends the digests due at now, and says how many mails it queued. A list is due when the
// day's digest hour has passed since its last digest (or its creation).
func (s *Service) Digests(ctx context.Context, now time.Time) (int, error) {
	if s.notify == nil {
		return 0, nil
	}
	lists, err := s.db.R(ctx).AllLists()
	if err != nil {
		return 0, err
	}
	slot := s.digestSlot(now)
	queued := 0
	for _, l := range lists {
		if !digestSince(l).Before(slot) {
			continue
		}
		n, err := s.digest(ctx, l.ID, slot, now)
		if err != nil {
			return queued, err
		}
		queued += n
	}
	if queued > 0 {
		s.notify.Queued()
	}
	return queued, nil
}

// digestSlot is the latest digest hour at or before now, in the association's zone.
func (s *Service) digestSlot(now time.Time) time.Time {
	loc := s.cfg.Zone
	if loc == nil {
		loc = time.Local
	}
	t := now.In(loc)
	slot := time.Date(t.Year(), t.Month(), t.Day(), s.cfg.DigestHour, 0, 0, 0, loc)
	if slot.After(t) {
		slot = slot.AddDate(0, 0, -1)
	}
	return slot
}

// digestSince is when the list's next digest starts: its last one, or its creation.
func digestSince(l db.List) time.Time {
	if l.DigestAt.IsZero() {
		return l.CreatedAt
	}
	return l.DigestAt
}

// digest queues one list's digest to its digest readers, in the transaction that moves its mark
// (read again there, so that two runs at once cannot both send it): a digest is neither lost nor
// sent twice.
func (s *Service) digest(ctx context.Context, listID int64, slot, until time.Time) (int, error) {
	queued := 0
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		r := tx.R()
		l, err := r.ListByID(listID)
		if err != nil || !digestSince(l).Before(slot) {
			return err
		}
		msgs, err := r.ListMessagesDistributed(l.ID, digestSince(l), until)
		if err != nil {
			return err
		}
		if len(msgs) > 0 {
			g, err := r.GroupByID(l.GroupID)
			if err != nil {
				return err
			}
			readers, err := s.digestReaders(tx, l)
			if err != nil {
				return err
			}
			text := s.digestBody(g, l, msgs)
			for _, p := range readers {
				n := access.Notice{To: p, Template: "list.digest", Group: g, Title: l.Name, Message: text, Until: until,
					Path: s.archivePath(g, l)}
				if err := s.notify.Queue(tx, n); err != nil {
					return err
				}
				queued++
			}
		}
		return tx.SetListDigestAt(l.ID, until)
	})
	return queued, err
}

// digestReaders are the people who receive the list now and chose its digest.
func (s *Service) digestReaders(tx *db.Tx, l db.List) ([]db.Person, error) {
	people, err := s.access.ListRecipients(tx.R(), l)
	if err != nil {
		return nil, err
	}
	prefs, err := tx.R().ListPrefs(l.ID)
	if err != nil {
		return nil, err
	}
	var out []db.Person
	for _, p := range people {
		if prefs[p.ID] == "digest" {
			out = append(out, p)
		}
	}
	return out, nil
}

// digestBody is the messages one after the other, each with its subject, author, time and link.
func (s *Service) digestBody(g db.Group, l db.List, msgs []db.ListMessage) string {
	loc := s.cfg.Zone
	if loc == nil {
		loc = time.Local
	}
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 {
			b.WriteString("\n")
		}
		author := m.Sender
		if m.SenderName != "" {
			author = m.SenderName + " <" + m.Sender + ">"
		}
		text := strings.TrimSpace(m.Text)
		if r := []rune(text); len(r) > digestText {
			text = string(r[:digestText]) + " […]"
		}
		at := m.ReceivedAt
		if m.DecidedAt.After(at) {
			at = m.DecidedAt
		}
		fmt.Fprintf(&b, "%d. %s\n%s · %s\n\n%s\n\n%s\n", i+1, m.Subject, author, at.In(loc).Format("2006-01-02 15:04"), text,
			s.archiveURL(g, l)+"/messages/"+strconv.FormatInt(m.ID, 10))
	}
	return b.String()
}
