package db

import (
	"fmt"
	"time"
)

// Request statuses.
const (
	RequestPending   = "pending"   // waiting for the group's animators
	RequestValidated = "validated" // animators said yes; waiting for activation
	RequestRefused   = "refused"
	RequestActive    = "active" // the person is a member
)

// AccessRequest is a person's request to join a group.
type AccessRequest struct {
	ID          int64
	GroupID     int64
	PersonID    int64
	Message     string
	Status      string
	CreatedAt   time.Time
	DecidedBy   int64
	DecidedAt   time.Time
	Reason      string
	ActivatedBy int64
	ActivatedAt time.Time
}

// CreateRequest stores a pending request; ErrConflict if one is already open for this group.
func (tx *Tx) CreateRequest(r *AccessRequest) error {
	t := now()
	res, err := tx.exec(`INSERT INTO access_request (group_id, person_id, message, status, created_at) VALUES (?, ?, ?, 'pending', ?)`,
		r.GroupID, r.PersonID, r.Message, t)
	if isUnique(err) {
		return fmt.Errorf("db: request: %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("db: request: %w", err)
	}
	r.ID, _ = res.LastInsertId()
	r.Status, r.CreatedAt = RequestPending, unixTime(t)
	return nil
}

// Request returns one request.
func (r Read) Request(id int64) (AccessRequest, error) {
	rs, err := r.requests(`WHERE id = ?`, id)
	if err == nil && len(rs) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return AccessRequest{}, fmt.Errorf("db: request %d: %w", id, err)
	}
	return rs[0], nil
}

// GroupRequests lists a group's requests in a status, oldest first.
func (r Read) GroupRequests(groupID int64, status string) ([]AccessRequest, error) {
	return r.requests(`WHERE group_id = ? AND status = ? ORDER BY created_at`, groupID, status)
}

// RequestsInStatus lists every request in a status, oldest first (the activation queue).
func (r Read) RequestsInStatus(status string) ([]AccessRequest, error) {
	return r.requests(`WHERE status = ? ORDER BY created_at`, status)
}

func (r Read) requests(where string, args ...any) ([]AccessRequest, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id, group_id, person_id, message, status, created_at, coalesce(decided_by, 0), decided_at,
		reason, coalesce(activated_by, 0), activated_at FROM access_request `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: requests: %w", err)
	}
	defer rows.Close()
	var out []AccessRequest
	for rows.Next() {
		var q AccessRequest
		var created, decided, activated int64
		if err := rows.Scan(&q.ID, &q.GroupID, &q.PersonID, &q.Message, &q.Status, &created, &q.DecidedBy, &decided, &q.Reason, &q.ActivatedBy, &activated); err != nil {
			return nil, err
		}
		q.CreatedAt, q.DecidedAt, q.ActivatedAt = unixTime(created), unixTime(decided), unixTime(activated)
		out = append(out, q)
	}
	return out, rows.Err()
}

// DecideRequest records the animators' answer to a pending request.
func (tx *Tx) DecideRequest(id int64, status string, by int64, reason string) error {
	return affectOne(tx.exec(`UPDATE access_request SET status = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ? AND status = 'pending'`,
		status, by, now(), reason, id))
}

// ActivateRequest marks a validated request active (by 0: done automatically).
func (tx *Tx) ActivateRequest(id int64, by int64) error {
	var byID any
	if by != 0 {
		byID = by
	}
	return affectOne(tx.exec(`UPDATE access_request SET status = 'active', activated_by = ?, activated_at = ? WHERE id = ? AND status IN ('pending', 'validated')`,
		byID, now(), id))
}

// SetRequiresMembership says whether joining a group needs an administrator's activation.
func (tx *Tx) SetRequiresMembership(groupID int64, requires bool) error {
	return affectOne(tx.exec(`UPDATE grp SET requires_membership = ? WHERE id = ?`, requires, groupID))
}

// RequiresMembership tells whether joining a group needs activation.
func (r Read) RequiresMembership(groupID int64) (bool, error) {
	var v bool
	err := r.q.QueryRowContext(r.ctx, `SELECT requires_membership FROM grp WHERE id = ?`, groupID).Scan(&v)
	return v, err
}

// PersonRequests lists a person's requests, newest first.
func (r Read) PersonRequests(personID int64) ([]AccessRequest, error) {
	return r.requests(`WHERE person_id = ? ORDER BY created_at DESC, id DESC`, personID)
}
