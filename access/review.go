package access

import (
	"context"
	"errors"
	"fmt"
	"time"

	"parvis/storage/db"
)

// ReviewRow is one line of a group's access review: who holds which role, granted by whom and
// when, until when, and whether their dues for the year are paid. Governance reads it once a year
// to check that every access is still wanted.
type ReviewRow struct {
	Email, Name string
	Role        db.Role
	GrantedBy   string // e-mail; "" when unknown or by the command line
	GrantedAt   time.Time
	ExpiresAt   time.Time // zero: never
	DuesPaid    bool
	Dues        Dues // what the review shows: guests owe none
}

// Dues is a review line's dues column.
type Dues string

// The values of Dues.
const (
	DuesNone   Dues = "none" // guests need no membership
	DuesPaid   Dues = "paid"
	DuesUnpaid Dues = "unpaid"
)

// AccessReview lists a group's members for an administrator, with the dues of year.
func (s *Service) AccessReview(ctx context.Context, by Actor, slug string, year int) ([]ReviewRow, error) {
	if !by.isAdmin() {
		return nil, ErrForbidden
	}
	r := s.db.R(ctx)
	g, err := r.GroupBySlug(slug)
	if errors.Is(err, db.ErrNotFound) {
		return nil, ErrNoAccess
	} else if err != nil {
		return nil, err
	}
	ms, err := r.MembersOf(g.ID)
	if err != nil {
		return nil, err
	}
	out := make([]ReviewRow, 0, len(ms))
	for _, m := range ms {
		row, err := reviewRow(r, m, year)
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, s.Audit(ctx, by, "group.access_review", slug, fmt.Sprint(year))
}

func reviewRow(r db.Read, m db.Membership, year int) (ReviewRow, error) {
	p, err := r.PersonByID(m.PersonID)
	if err != nil {
		return ReviewRow{}, err
	}
	row := ReviewRow{Email: p.Email, Name: p.Name, Role: m.Role, GrantedAt: m.GrantedAt, ExpiresAt: m.ExpiresAt}
	if g, err := r.PersonByID(m.GrantedBy); err == nil {
		row.GrantedBy = g.Email
	}
	row.DuesPaid, err = r.DuesPaid(p.ID, year)
	switch {
	case m.Role == db.RoleGuest:
		row.Dues = DuesNone
	case row.DuesPaid:
		row.Dues = DuesPaid
	default:
		row.Dues = DuesUnpaid
	}
	return row, err
}
