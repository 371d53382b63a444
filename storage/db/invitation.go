package db

import (
	"fmt"
	"math"
	"time"
)

// Invitation is what an attendee of an event was told: the event (its collection and UID), their
// address, the SEQUENCE last sent, their answer, and until when its links answer.
type Invitation struct {
	ID           int64
	CollectionID int64
	UID          string
	Address      string // the ATTENDEE's calendar address, as written
	Email        string // where its mails go, lower case
	Name         string
	Via          string // the group address through which they are invited; "" when named themselves
	PersonID     int64  // the attendee's account; 0 for someone outside
	OrganizerID  int64
	Summary      string
	StartsAt     time.Time
	EndsAt       time.Time // the end of the last occurrence; far away for a repetition without end
	Sequence     int
	PartStat     string
	AnsweredAt   time.Time
	CancelledAt  time.Time // zero while the attendee is invited
	CreatedAt    time.Time
}

// Open tells whether the invitation still takes an answer at t.
func (i Invitation) Open(t time.Time) bool { return i.CancelledAt.IsZero() && t.Before(i.EndsAt) }

const invitationColumns = `id, collection_id, uid, address, email, name, via, coalesce(person_id, 0), coalesce(organizer_id, 0),
	summary, starts_at, ends_at, sequence, partstat, answered_at, cancelled_at, created_at`

func scanInvitation(row interface{ Scan(...any) error }) (Invitation, error) {
	var i Invitation
	var starts, ends, answered, cancelled, created int64
	err := row.Scan(&i.ID, &i.CollectionID, &i.UID, &i.Address, &i.Email, &i.Name, &i.Via, &i.PersonID, &i.OrganizerID,
		&i.Summary, &starts, &ends, &i.Sequence, &i.PartStat, &answered, &cancelled, &created)
	i.StartsAt, i.EndsAt, i.AnsweredAt, i.CancelledAt, i.CreatedAt = unixTime(starts), unixTime(ends), unixTime(answered),
		unixTime(cancelled), unixTime(created)
	return i, err
}

// WindowTimes turns an object's time-range window (seconds) into the start and end an invitation
// keeps; an unbounded one ends as late as a time can.
func WindowTimes(w Window) (start, end time.Time) {
	start = time.Unix(w.Start, 0)
	if w.Unbounded || w.End == math.MaxInt64 {
		return start, time.Unix(0, math.MaxInt64)
	}
	return start, time.Unix(w.End, 0)
}

// SaveInvitation creates or updates the invitation of (collection, UID, address), setting its id.
func (tx *Tx) SaveInvitation(i *Invitation) error {
	row := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO invitation (collection_id, uid, address, email, name, via, person_id, organizer_id,
		summary, starts_at, ends_at, sequence, partstat, answered_at, cancelled_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (collection_id, uid, address) DO UPDATE SET email = excluded.email, name = excluded.name, via = excluded.via,
		person_id = excluded.person_id, organizer_id = excluded.organizer_id, summary = excluded.summary,
		starts_at = excluded.starts_at, ends_at = excluded.ends_at, sequence = excluded.sequence,
		partstat = excluded.partstat, answered_at = excluded.answered_at, cancelled_at = excluded.cancelled_at
		RETURNING id`,
		i.CollectionID, i.UID, i.Address, i.Email, i.Name, i.Via, nullID(i.PersonID), nullID(i.OrganizerID), i.Summary,
		i.StartsAt.UnixNano(), i.EndsAt.UnixNano(), i.Sequence, i.PartStat, nanos(i.AnsweredAt), nanos(i.CancelledAt), now())
	if err := row.Scan(&i.ID); err != nil {
		return fmt.Errorf("db: save invitation: %w", err)
	}
	return nil
}

// Invitations lists the invitations of an event, by address.
func (r Read) Invitations(collectionID int64, uid string) ([]Invitation, error) {
	return r.invitations(`WHERE collection_id = ? AND uid = ? ORDER BY address`, collectionID, uid)
}

// InvitationsOf lists a person's invitations still open, soonest first.
func (r Read) InvitationsOf(personID int64) ([]Invitation, error) {
	return r.invitations(`WHERE person_id = ? AND cancelled_at = 0 AND ends_at > ? ORDER BY starts_at, id`, personID, now())
}

// InvitationByID returns an invitation; ErrNotFound when there is none.
func (r Read) InvitationByID(id int64) (Invitation, error) {
	i, err := scanInvitation(r.q.QueryRowContext(r.ctx, `SELECT `+invitationColumns+` FROM invitation WHERE id = ?`, id))
	if err != nil {
		return i, notFound(err, "invitation")
	}
	return i, nil
}

// InvitationByLink returns the invitation of an answer link's hash; ErrNotFound when none.
func (r Read) InvitationByLink(hash string) (Invitation, error) {
	i, err := scanInvitation(r.q.QueryRowContext(r.ctx, `SELECT `+invitationColumns+` FROM invitation
		WHERE id = (SELECT invitation_id FROM invitation_link WHERE hash = ?)`, hash))
	if err != nil {
		return i, notFound(err, "invitation link")
	}
	return i, nil
}

func (r Read) invitations(where string, args ...any) ([]Invitation, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+invitationColumns+` FROM invitation `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: invitations: %w", err)
	}
	defer rows.Close()
	var out []Invitation
	for rows.Next() {
		i, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// AddInvitationLink stores the hash of an answer link mailed for an invitation.
func (tx *Tx) AddInvitationLink(invitationID int64, hash string) error {
	if _, err := tx.exec(`INSERT INTO invitation_link (hash, invitation_id) VALUES (?, ?)`, hash, invitationID); err != nil {
		return fmt.Errorf("db: add invitation link: %w", err)
	}
	return nil
}

// SetInvitationAnswer records an attendee's answer.
func (tx *Tx) SetInvitationAnswer(id int64, partstat string) error {
	_, err := tx.exec(`UPDATE invitation SET partstat = ?, answered_at = ? WHERE id = ?`, partstat, now(), id)
	return err
}

// InvitationsByMail tells whether a person takes invitations by mail.
func (r Read) InvitationsByMail(personID int64) (bool, error) {
	var on bool
	if err := r.q.QueryRowContext(r.ctx, `SELECT invitations_by_mail FROM person WHERE id = ?`, personID).Scan(&on); err != nil {
		return false, notFound(err, "person")
	}
	return on, nil
}

// SetInvitationsByMail sets whether a person takes invitations by mail.
func (tx *Tx) SetInvitationsByMail(personID int64, on bool) error {
	_, err := tx.exec(`UPDATE person SET invitations_by_mail = ? WHERE id = ?`, on, personID)
	return err
}
