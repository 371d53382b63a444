package db

import (
	"fmt"
	"strings"
	"time"
)

// Statuses of minutes.
const (
	MinutesDraft      = "draft"
	MinutesSubmitted  = "submitted"
	MinutesValidated  = "validated"
	MinutesSuperseded = "superseded" // validated, then replaced by a validated correction
)

// Minutes are the record of a meeting of a group: a Markdown text and the actions decided.
type Minutes struct {
	ID          int64
	GroupID     int64
	PollID      int64 // 0: not born of a poll
	EventUID    string
	Title       string
	HeldOn      time.Time
	Body        string
	Document    string // a file of the group's tree that is the minutes, "" for none
	DocBlob     string // the document's content when validated
	DocSize     int64
	Status      string
	Revises     int64  // the validated minutes this text corrects, 0 for none
	Perimeter   string // group, members, public
	PublicToken string
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedBy int64
	SubmittedAt time.Time
	ValidatedBy int64
	ValidatedAt time.Time
}

// MinutesAction is an action decided in a meeting; TaskUID is the task it became.
type MinutesAction struct {
	ID        int64
	MinutesID int64
	What      string
	Assignee  string
	Due       time.Time
	TaskUID   string
}

const minutesColumns = `id, group_id, coalesce(poll_id, 0), event_uid, title, held_on, body, document, document_blob, document_size, status, coalesce(revises, 0), perimeter,
	public_token, coalesce(created_by, 0), created_at, updated_at, coalesce(submitted_by, 0), submitted_at, coalesce(validated_by, 0), validated_at`

func scanMinutes(row interface{ Scan(...any) error }) (Minutes, error) {
	var m Minutes
	var held, created, updated, submitted, validated int64
	err := row.Scan(&m.ID, &m.GroupID, &m.PollID, &m.EventUID, &m.Title, &held, &m.Body, &m.Document, &m.DocBlob, &m.DocSize, &m.Status, &m.Revises, &m.Perimeter,
		&m.PublicToken, &m.CreatedBy, &created, &updated, &m.SubmittedBy, &submitted, &m.ValidatedBy, &validated)
	m.HeldOn, m.CreatedAt, m.UpdatedAt = unixTime(held), unixTime(created), unixTime(updated)
	m.SubmittedAt, m.ValidatedAt = unixTime(submitted), unixTime(validated)
	return m, err
}

// CreateMinutes stores new minutes (a draft) and sets their id.
func (tx *Tx) CreateMinutes(m *Minutes) error {
	t := now()
	res, err := tx.exec(`INSERT INTO minutes (group_id, poll_id, event_uid, title, held_on, body, document, status, revises, perimeter,
		created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.GroupID, nullID(m.PollID), m.EventUID, m.Title,
		m.HeldOn.UnixNano(), m.Body, m.Document, m.Status, nullID(m.Revises), m.Perimeter, nullID(m.CreatedBy), t, t)
	if err != nil {
		return fmt.Errorf("db: create minutes: %w", err)
	}
	m.ID, _ = res.LastInsertId()
	m.CreatedAt, m.UpdatedAt = unixTime(t), unixTime(t)
	return nil
}

// MinutesByID returns minutes of a group; ErrNotFound when the group has none of that id.
func (r Read) MinutesByID(groupID, id int64) (Minutes, error) {
	m, err := scanMinutes(r.q.QueryRowContext(r.ctx, `SELECT `+minutesColumns+` FROM minutes WHERE id = ? AND group_id = ?`, id, groupID))
	if err != nil {
		return m, notFound(err, "minutes")
	}
	return m, nil
}

// MinutesAnywhere returns minutes by id alone, for a reader outside the group (the decision is
// access's, from the perimeter).
func (r Read) MinutesAnywhere(id int64) (Minutes, error) {
	m, err := scanMinutes(r.q.QueryRowContext(r.ctx, `SELECT `+minutesColumns+` FROM minutes WHERE id = ?`, id))
	if err != nil {
		return m, notFound(err, "minutes")
	}
	return m, nil
}

// MinutesByToken returns the minutes of a public link.
func (r Read) MinutesByToken(token string) (Minutes, error) {
	m, err := scanMinutes(r.q.QueryRowContext(r.ctx, `SELECT `+minutesColumns+` FROM minutes WHERE public_token = ? AND public_token != ''`, token))
	if err != nil {
		return m, notFound(err, "minutes")
	}
	return m, nil
}

// GroupMinutes lists a group's minutes, newest meeting first.
func (r Read) GroupMinutes(groupID int64) ([]Minutes, error) {
	return r.minutesWhere(`WHERE group_id = ? ORDER BY held_on DESC, id DESC`, groupID)
}

// PublishedMinutes lists the validated minutes of every group published beyond it, newest first.
func (r Read) PublishedMinutes() ([]Minutes, error) {
	return r.minutesWhere(`WHERE status = 'validated' AND perimeter != 'group' ORDER BY held_on DESC, id DESC`)
}

// SubmittedMinutes lists the minutes waiting for validation in the groups groupIDs.
func (r Read) SubmittedMinutes(groupIDs []int64) ([]Minutes, error) {
	if len(groupIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(groupIDs))
	for i, id := range groupIDs {
		args[i] = id
	}
	return r.minutesWhere(`WHERE status = 'submitted' AND group_id IN (?`+strings.Repeat(", ?", len(groupIDs)-1)+`) ORDER BY submitted_at`, args...)
}

// MinutesOfPoll lists the minutes of the meeting a poll fixed.
func (r Read) MinutesOfPoll(pollID int64) ([]Minutes, error) {
	return r.minutesWhere(`WHERE poll_id = ? ORDER BY id`, pollID)
}

func (r Read) minutesWhere(where string, args ...any) ([]Minutes, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+minutesColumns+` FROM minutes `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: minutes: %w", err)
	}
	defer rows.Close()
	var out []Minutes
	for rows.Next() {
		m, err := scanMinutes(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// UpdateMinutesText changes the title, date and text of minutes not yet validated; ErrNotFound
// when they are validated (or gone): a validated text never changes.
func (tx *Tx) UpdateMinutesText(m Minutes) error {
	return affectOne(tx.exec(`UPDATE minutes SET title = ?, held_on = ?, body = ?, document = ?, status = 'draft', submitted_by = NULL,
		submitted_at = 0, updated_at = ? WHERE id = ? AND group_id = ? AND status IN ('draft', 'submitted')`,
		m.Title, m.HeldOn.UnixNano(), m.Body, m.Document, now(), m.ID, m.GroupID))
}

// SetMinutesStatus moves minutes from one status to another, recording who did it for submission
// and validation; ErrNotFound when they are not in status from.
func (tx *Tx) SetMinutesStatus(id int64, from, to string, by int64) error {
	switch to {
	case MinutesSubmitted:
		return affectOne(tx.exec(`UPDATE minutes SET status = ?, submitted_by = ?, submitted_at = ?, updated_at = ? WHERE id = ? AND status = ?`,
			to, nullID(by), now(), now(), id, from))
	case MinutesValidated:
		return affectOne(tx.exec(`UPDATE minutes SET status = ?, validated_by = ?, validated_at = ?, updated_at = ? WHERE id = ? AND status = ?`,
			to, nullID(by), now(), now(), id, from))
	}
	return affectOne(tx.exec(`UPDATE minutes SET status = ?, updated_at = ? WHERE id = ? AND status = ?`, to, now(), id, from))
}

// SetMinutesPerimeter sets how far validated minutes reach, and their public token ("" for none).
func (tx *Tx) SetMinutesPerimeter(id int64, perimeter, token string) error {
	return affectOne(tx.exec(`UPDATE minutes SET perimeter = ?, public_token = ? WHERE id = ? AND status = 'validated'`, perimeter, token, id))
}

// MinutesActions lists the actions of minutes, in their order.
func (r Read) MinutesActions(minutesID int64) ([]MinutesAction, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id, minutes_id, what, assignee, due, task_uid FROM minutes_action WHERE minutes_id = ? ORDER BY id`, minutesID)
	if err != nil {
		return nil, fmt.Errorf("db: minutes actions: %w", err)
	}
	defer rows.Close()
	var out []MinutesAction
	for rows.Next() {
		var a MinutesAction
		var due int64
		if err := rows.Scan(&a.ID, &a.MinutesID, &a.What, &a.Assignee, &due, &a.TaskUID); err != nil {
			return nil, err
		}
		a.Due = unixTime(due)
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetMinutesActions replaces the actions of minutes.
func (tx *Tx) SetMinutesActions(minutesID int64, actions []MinutesAction) error {
	if _, err := tx.exec(`DELETE FROM minutes_action WHERE minutes_id = ?`, minutesID); err != nil {
		return fmt.Errorf("db: minutes actions: %w", err)
	}
	for _, a := range actions {
		var due int64
		if !a.Due.IsZero() {
			due = a.Due.UnixNano()
		}
		if _, err := tx.exec(`INSERT INTO minutes_action (minutes_id, what, assignee, due, task_uid) VALUES (?, ?, ?, ?, ?)`,
			minutesID, a.What, a.Assignee, due, a.TaskUID); err != nil {
			return fmt.Errorf("db: minutes action: %w", err)
		}
	}
	return nil
}

// SetActionTask records the task an action became.
func (tx *Tx) SetActionTask(actionID int64, taskUID string) error {
	return affectOne(tx.exec(`UPDATE minutes_action SET task_uid = ? WHERE id = ?`, taskUID, actionID))
}

// KeepDocument records the content of the minutes' document as validated: the minutes reference it
// from now on, whatever becomes of the file.
func (tx *Tx) KeepDocument(id int64, blob string, size int64) error {
	return affectOne(tx.exec(`UPDATE minutes SET document_blob = ?, document_size = ? WHERE id = ?`, blob, size, id))
}
