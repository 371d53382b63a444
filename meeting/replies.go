package meeting

import (
	"strings"
	"time"

	"parvis/calendar"
	"parvis/storage/db"
)

// Answers (iTIP REPLY, RFC 6638 §3.2.2): an attendee answers from the invitation mail, from their
// home page, or from their calendar client by changing their PARTSTAT in their copy of the event
// or deleting it. Each way ends in recordAnswer: the organizer's copy carries the answer, the
// organizer's inbox gets the REPLY, and the attendee's own copy says what they answered.

// attendeeChange is a write to a person's own copy of an event someone else organizes here: an
// answer when their PARTSTAT changed; a decline when they deleted the copy they had; and, when
// they filed a new copy in another of their calendars, the one left behind goes, as a person keeps
// one copy of each meeting (RFC 6638 §3.2.4.2 asks for one scheduling object per UID).
func (s *Service) attendeeChange(tx *db.Tx, ch calendar.Change, before calendar.Scheduled, had bool, after calendar.Scheduled, has bool) error {
	if ch.Collection.PersonID == 0 || ch.By.ID != ch.Collection.PersonID {
		return nil
	}
	ev := after
	if !has {
		ev = before
	}
	r := tx.R()
	invs, err := r.InvitationsOfAttendee(ch.By.ID, ev.UID)
	if err != nil || len(invs) == 0 {
		return err
	}
	copies, err := r.PersonalCopies(ch.By.ID, ev.UID)
	if err != nil {
		return err
	}
	if has && !had {
		for _, c := range copies {
			if c.Collection.ID != ch.Collection.ID {
				if err := tx.DeleteObject(c.Collection.ID, c.Object.Name); err != nil {
					return err
				}
			}
		}
	}
	now := time.Now()
	for _, inv := range invs {
		if !inv.Open(now) {
			continue
		}
		partstat := calendar.PartDeclined
		if has {
			a, ok := listed(after, inv.Address)
			if !ok {
				continue
			}
			partstat = a.PartStat
		} else if len(copies) > 0 {
			continue // moved to another calendar (PUT there, then DELETE here): not a decline
		}
		if partstat == inv.PartStat || partstat == calendar.PartNeeds {
			continue
		}
		if _, err := s.recordAnswer(tx, inv, partstat, false); err != nil {
			return err
		}
	}
	return nil
}

// listed finds the ATTENDEE line of an address.
func listed(ev calendar.Scheduled, address string) (calendar.Party, bool) {
	for _, a := range ev.Listed {
		if strings.EqualFold(a.Address, address) {
			return a, true
		}
	}
	return calendar.Party{}, false
}

// recordAnswer records an attendee's answer: in the organizer's copy (the one truth of who comes), in the
// invitation, in the organizer's inbox as a REPLY and, with ownCopy, in the attendee's copy of
// the event when they answered elsewhere than their calendar. It tells whether anything changed.
func (s *Service) recordAnswer(tx *db.Tx, inv db.Invitation, partstat string, ownCopy bool) (bool, error) {
	r := tx.R()
	coll, err := r.CollectionByID(inv.CollectionID)
	if err != nil {
		return false, err
	}
	o, err := eventOf(r, inv)
	if err != nil {
		return false, err
	}
	data, edited, err := calendar.SetPartStat(o.Data, calendar.Party{Address: inv.Address, Name: inv.Name, Member: inv.Via}, partstat)
	if err != nil {
		return false, err
	}
	if edited {
		if _, err := calendar.PutIn(tx, coll, o.Name, data, calendar.Edit{}); err != nil {
			return false, err
		}
	}
	changed := edited || inv.PartStat != partstat
	if !changed {
		return false, nil
	}
	if err := tx.SetInvitationAnswer(inv.ID, partstat); err != nil {
		return false, err
	}
	inv.PartStat = partstat
	if ownCopy && inv.PersonID != 0 {
		if err := answerInCopies(tx, inv, partstat); err != nil {
			return false, err
		}
	}
	return true, s.deliverReply(tx, inv, data)
}

// answerInCopies writes an answer given on a page into the attendee's own copies of the event.
func answerInCopies(tx *db.Tx, inv db.Invitation, partstat string) error {
	copies, err := tx.R().PersonalCopies(inv.PersonID, inv.UID)
	if err != nil {
		return err
	}
	for _, c := range copies {
		data, edited, err := calendar.SetPartStat(c.Object.Data, calendar.Party{Address: inv.Address, Name: inv.Name, Member: inv.Via}, partstat)
		if err != nil || !edited {
			continue // a copy the attendee made unreadable is theirs
		}
		if _, err := calendar.PutIn(tx, c.Collection, c.Object.Name, data, calendar.Edit{}); err != nil {
			return err
		}
	}
	return nil
}

// deliverReply puts an attendee's answer, as it stands in data, in the organizer's inbox.
func (s *Service) deliverReply(tx *db.Tx, inv db.Invitation, data []byte) error {
	if inv.OrganizerID == 0 {
		return nil
	}
	msg, err := calendar.Reply(data, calendar.Party{Address: inv.Address, Name: inv.Name}, inv.PartStat, time.Now())
	if err != nil {
		return err
	}
	return calendar.Deliver(tx, inv.OrganizerID, inv.UID+" "+inv.Address, msg)
}
