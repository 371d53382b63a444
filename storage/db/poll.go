package db

import (
	"fmt"
	"time"
)

// Responses to a poll's slot, as iCalendar's VPOLL draft writes them (RESPONSE, 0 to 100).
const (
	ResponseNo       = 0
	ResponseIfNeedBe = 50
	ResponseYes      = 100
)

// Poll is a group's date poll: the slots it offers, until its deadline or until an animator
// closes it by choosing one, which becomes an event of the group's agenda.
type Poll struct {
	ID          int64
	GroupID     int64
	UID         string // the VPOLL's UID
	Title       string
	Description string
	Kind        string // the meeting's kind (calendar.Kind…)
	Location    string // where, when the slots do not say
	Visio       string // the visio address, if any
	Deadline    time.Time
	CreatedBy   int64
	CreatedAt   time.Time
	ClosedAt    time.Time // zero while open
	ClosedBy    int64
	ChosenSlot  int64  // 0: closed without a date
	EventUID    string // the event the chosen slot became
	RemindedAt  time.Time
}

// Open tells whether the poll still takes answers at t.
func (p Poll) Open(t time.Time) bool { return p.ClosedAt.IsZero() && t.Before(p.Deadline) }

// Slot is one date a poll offers (a VPOLL item, POLL-ITEM-ID being its ID).
type Slot struct {
	ID     int64
	PollID int64
	Start  time.Time
	End    time.Time
	Place  string // where, if this slot's place differs from the poll's
}

// Voter is a person asked to answer a poll.
type Voter struct {
	PersonID   int64
	Email      string
	Name       string
	AnsweredAt time.Time // zero: not yet
}

// Answer is one person's response to one slot.
type Answer struct {
	SlotID   int64
	PersonID int64
	Response int
}

const pollColumns = `id, group_id, uid, title, description, kind, location, visio, deadline, coalesce(created_by, 0),
	created_at, closed_at, coalesce(closed_by, 0), chosen_slot, event_uid, reminded_at`

func scanPoll(row interface{ Scan(...any) error }) (Poll, error) {
	var p Poll
	var deadline, created, closed, reminded int64
	err := row.Scan(&p.ID, &p.GroupID, &p.UID, &p.Title, &p.Description, &p.Kind, &p.Location, &p.Visio, &deadline,
		&p.CreatedBy, &created, &closed, &p.ClosedBy, &p.ChosenSlot, &p.EventUID, &reminded)
	p.Deadline, p.CreatedAt, p.ClosedAt, p.RemindedAt = unixTime(deadline), unixTime(created), unixTime(closed), unixTime(reminded)
	return p, err
}

// CreatePoll stores a poll and its slots, setting their ids.
func (tx *Tx) CreatePoll(p *Poll, slots []Slot) error {
	t := now()
	res, err := tx.exec(`INSERT INTO poll (group_id, uid, title, description, kind, location, visio, deadline, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.GroupID, p.UID, p.Title, p.Description, p.Kind, p.Location, p.Visio,
		p.Deadline.UnixNano(), nullID(p.CreatedBy), t)
	if err != nil {
		return fmt.Errorf("db: create poll: %w", err)
	}
	p.ID, _ = res.LastInsertId()
	p.CreatedAt = unixTime(t)
	for i := range slots {
		s := &slots[i]
		s.PollID = p.ID
		res, err := tx.exec(`INSERT INTO poll_slot (poll_id, start_at, end_at, place) VALUES (?, ?, ?, ?)`,
			p.ID, s.Start.UnixNano(), s.End.UnixNano(), s.Place)
		if err != nil {
			return fmt.Errorf("db: create poll slot: %w", err)
		}
		s.ID, _ = res.LastInsertId()
	}
	return nil
}

// PollByID returns a poll of a group; ErrNotFound when the group has none of that id.
func (r Read) PollByID(groupID, id int64) (Poll, error) {
	p, err := scanPoll(r.q.QueryRowContext(r.ctx, `SELECT `+pollColumns+` FROM poll WHERE id = ? AND group_id = ?`, id, groupID))
	if err != nil {
		return p, notFound(err, "poll")
	}
	return p, nil
}

// Polls lists a group's polls, the open ones first by deadline, then the closed ones, newest first.
func (r Read) Polls(groupID int64) ([]Poll, error) {
	return r.polls(`WHERE group_id = ? ORDER BY closed_at != 0, CASE WHEN closed_at = 0 THEN deadline ELSE -closed_at END`, groupID)
}

// PollsToRemind lists the open polls whose deadline is before t and whose late voters were not
// reminded yet.
func (r Read) PollsToRemind(t time.Time) ([]Poll, error) {
	return r.polls(`WHERE closed_at = 0 AND reminded_at = 0 AND deadline <= ? AND deadline > ?`, t.UnixNano(), now())
}

// PollsAwaiting lists the open polls, of any group, that person was asked and has not answered.
func (r Read) PollsAwaiting(personID int64) ([]Poll, error) {
	return r.polls(`WHERE closed_at = 0 AND deadline > ? AND id IN (SELECT poll_id FROM poll_voter WHERE person_id = ? AND answered_at = 0)
		ORDER BY deadline`, now(), personID)
}

func (r Read) polls(where string, args ...any) ([]Poll, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+pollColumns+` FROM poll `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: polls: %w", err)
	}
	defer rows.Close()
	var out []Poll
	for rows.Next() {
		p, err := scanPoll(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Slots lists a poll's slots in time order.
func (r Read) Slots(pollID int64) ([]Slot, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id, poll_id, start_at, end_at, place FROM poll_slot WHERE poll_id = ? ORDER BY start_at, id`, pollID)
	if err != nil {
		return nil, fmt.Errorf("db: poll slots: %w", err)
	}
	defer rows.Close()
	var out []Slot
	for rows.Next() {
		var s Slot
		var start, end int64
		if err := rows.Scan(&s.ID, &s.PollID, &start, &end, &s.Place); err != nil {
			return nil, err
		}
		s.Start, s.End = unixTime(start), unixTime(end)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Voters lists the people asked to answer a poll, by name.
func (r Read) Voters(pollID int64) ([]Voter, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT v.person_id, p.email, p.name, v.answered_at FROM poll_voter v
		JOIN person p ON p.id = v.person_id WHERE v.poll_id = ? ORDER BY coalesce(nullif(p.name, ''), p.email) COLLATE NOCASE`, pollID)
	if err != nil {
		return nil, fmt.Errorf("db: poll voters: %w", err)
	}
	defer rows.Close()
	var out []Voter
	for rows.Next() {
		var v Voter
		var at int64
		if err := rows.Scan(&v.PersonID, &v.Email, &v.Name, &at); err != nil {
			return nil, err
		}
		v.AnsweredAt = unixTime(at)
		out = append(out, v)
	}
	return out, rows.Err()
}

// Answers lists every answer to a poll's slots.
func (r Read) Answers(pollID int64) ([]Answer, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT a.slot_id, a.person_id, a.response FROM poll_answer a
		JOIN poll_slot s ON s.id = a.slot_id WHERE s.poll_id = ?`, pollID)
	if err != nil {
		return nil, fmt.Errorf("db: poll answers: %w", err)
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		var a Answer
		if err := rows.Scan(&a.SlotID, &a.PersonID, &a.Response); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddVoter asks a person to answer a poll (once: asking again changes nothing).
func (tx *Tx) AddVoter(pollID, personID int64) error {
	_, err := tx.exec(`INSERT INTO poll_voter (poll_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, pollID, personID)
	if err != nil {
		return fmt.Errorf("db: add poll voter: %w", err)
	}
	return nil
}

// AddPollLink stores the hash of a voter's personal answer link.
func (tx *Tx) AddPollLink(pollID, personID int64, hash string) error {
	_, err := tx.exec(`INSERT INTO poll_link (hash, poll_id, person_id) VALUES (?, ?, ?)`, hash, pollID, personID)
	if err != nil {
		return fmt.Errorf("db: add poll link: %w", err)
	}
	return nil
}

// VoterByLink finds the poll and person of an answer link's hash; ErrNotFound when none.
func (r Read) VoterByLink(hash string) (pollID, personID int64, err error) {
	err = r.q.QueryRowContext(r.ctx, `SELECT poll_id, person_id FROM poll_link WHERE hash = ?`, hash).Scan(&pollID, &personID)
	if err != nil {
		return 0, 0, notFound(err, "poll link")
	}
	return pollID, personID, nil
}

// PollGroup returns the group id of a poll.
func (r Read) PollGroup(pollID int64) (int64, error) {
	var g int64
	if err := r.q.QueryRowContext(r.ctx, `SELECT group_id FROM poll WHERE id = ?`, pollID).Scan(&g); err != nil {
		return 0, notFound(err, "poll")
	}
	return g, nil
}

// SetAnswers replaces a person's answers to a poll's slots and marks them as having answered.
func (tx *Tx) SetAnswers(pollID, personID int64, answers map[int64]int) error {
	if _, err := tx.exec(`DELETE FROM poll_answer WHERE person_id = ? AND slot_id IN (SELECT id FROM poll_slot WHERE poll_id = ?)`,
		personID, pollID); err != nil {
		return fmt.Errorf("db: poll answers: %w", err)
	}
	for slot, resp := range answers {
		if _, err := tx.exec(`INSERT INTO poll_answer (slot_id, person_id, response) VALUES (?, ?, ?)`, slot, personID, resp); err != nil {
			return fmt.Errorf("db: poll answer: %w", err)
		}
	}
	return affectOne(tx.exec(`UPDATE poll_voter SET answered_at = ? WHERE poll_id = ? AND person_id = ?`, now(), pollID, personID))
}

// ClosePoll records a poll's end: who closed it, the chosen slot (0 for none) and the event made.
func (tx *Tx) ClosePoll(p Poll) error {
	return affectOne(tx.exec(`UPDATE poll SET closed_at = ?, closed_by = ?, chosen_slot = ?, event_uid = ? WHERE id = ? AND closed_at = 0`,
		now(), nullID(p.ClosedBy), p.ChosenSlot, p.EventUID, p.ID))
}

// MarkPollReminded records that a poll's late voters were reminded.
func (tx *Tx) MarkPollReminded(pollID int64) error {
	return affectOne(tx.exec(`UPDATE poll SET reminded_at = ? WHERE id = ?`, now(), pollID))
}
