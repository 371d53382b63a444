package access

import (
	"context"
	"errors"
	"fmt"
	"time"

	"parvis/storage/db"
)

// Policy says what joining a group that requires membership takes, after its animators said yes.
type Policy struct {
	AdminActivates bool // an administrator activates each validated request
	DuesRequired   bool // the person's dues for the current year must be paid
	// SuspendMonth and SuspendDay (e.g. April 30), when set, suspend from that day on the access of
	// members and animators of groups that require membership who have not paid the year's dues:
	// reversibly, nothing deleted; recording the dues restores it.
	SuspendMonth time.Month
	SuspendDay   int
	// Zone is the association's time zone (the time_zone setting): the suspension day and the dates
	// of a dues file are its days. Nil means Europe/Paris.
	Zone *time.Location
}

// year is the association's current year, that of the dues owed now.
func (p Policy) year() int { return db.Now().In(p.zone()).Year() }

// zone is the policy's time zone.
func (p Policy) zone() *time.Location {
	if p.Zone != nil {
		return p.Zone
	}
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}

// suspended tells whether the dues rule takes a membership's access away now.
func (s *Service) suspended(r db.Read, p db.Person, m db.Membership) (bool, error) {
	if s.policy.SuspendMonth == 0 || m.Role == db.RoleGuest {
		return false, nil
	}
	now := db.Now().In(s.policy.zone())
	if now.Before(time.Date(now.Year(), s.policy.SuspendMonth, s.policy.SuspendDay, 0, 0, 0, 0, now.Location()).AddDate(0, 0, 1)) {
		return false, nil
	}
	requires, err := r.RequiresMembership(m.Group.ID)
	if err != nil || !requires {
		return false, err
	}
	paid, err := r.DuesPaid(p.ID, now.Year())
	return !paid, err
}

// SetPolicy sets the instance's activation policy (config: access.activation).
func (s *Service) SetPolicy(p Policy) { s.policy = p }

// ErrDuesMissing refuses an activation while the person's dues are not paid.
var ErrDuesMissing = errors.New("access: the membership dues of this year are not paid")

// Request asks to join group slug as a member, with a message for its animators, who are mailed.
func (s *Service) Request(ctx context.Context, p db.Person, slug, message string) (db.AccessRequest, error) {
	var req db.AccessRequest
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		g, err := tx.R().GroupBySlug(slug)
		if err != nil {
			return ErrNoAccess
		}
		if m, err := tx.R().Membership(g.ID, p.ID); err == nil && active(p, m) {
			return fmt.Errorf("%w: already in %s", ErrExists, slug)
		}
		req = db.AccessRequest{GroupID: g.ID, PersonID: p.ID, Message: message}
		if err := tx.CreateRequest(&req); errors.Is(err, db.ErrConflict) {
			return fmt.Errorf("%w: a request to join %s is already open", ErrExists, slug)
		} else if err != nil {
			return err
		}
		if err := s.animatorsNotice(tx, g, req, p); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("request.create", slug+" "+p.Email, ""))
	})
	s.queued(err)
	return req, err
}

// Animated tells whether someone in the group can answer a request to join it now: an animator
// in force. The page that sends a request says the truth when nobody can.
func (s *Service) Animated(ctx context.Context, slug string) (bool, error) {
	r := s.db.R(ctx)
	g, err := r.GroupBySlug(slug)
	if err != nil {
		return false, err
	}
	people, err := s.PeopleAllowed(r, g, RequestsDecide)
	return len(people) > 0, err
}

// animators lists the people who hold the animator role in a group, to tell them of a request.
func (s *Service) animators(r db.Read, groupID int64) ([]db.Person, error) {
	ms, err := animatorsOf(r, groupID)
	if err != nil {
		return nil, err
	}
	out := make([]db.Person, len(ms))
	for i, m := range ms {
		if out[i], err = r.PersonByID(m.PersonID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// animatorsOf lists a group's memberships with the animator role, whether in force or not: the
// key-role rules (two per group, never none) count who holds the role.
func animatorsOf(r db.Read, groupID int64) ([]db.Membership, error) {
	ms, err := r.MembersOf(groupID)
	var out []db.Membership
	for _, m := range ms {
		if m.Role == db.RoleAnimator {
			out = append(out, m)
		}
	}
	return out, err
}

// Decide is the animators' answer: validate, or refuse with a reason. A validated request becomes
// membership at once when the group requires no membership, or when the policy lets dues alone
// decide and they are paid; otherwise it waits for activation.
func (s *Service) Decide(ctx context.Context, by Actor, id int64, accept bool, reason string) (db.AccessRequest, error) {
	var req db.AccessRequest
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		if req, err = tx.R().Request(id); err != nil {
			return ErrNoAccess
		}
		g, err := tx.R().GroupByID(req.GroupID)
		if err != nil {
			return err
		}
		if _, err := s.allowed(tx.R(), by, g.Slug, RequestsDecide); err != nil {
			return err
		}
		if req.Status != db.RequestPending {
			return fmt.Errorf("%w: this request was already answered", ErrInvalid)
		}
		status := db.RequestRefused
		if accept {
			status = db.RequestValidated
		}
		if err := tx.DecideRequest(id, status, by.Person.ID, reason); err != nil {
			return err
		}
		if err := tx.Audit(by.audit("request."+status, g.Slug+" "+fmt.Sprint(req.PersonID), reason)); err != nil {
			return err
		}
		if accept {
			if _, err := s.activateIfAllowed(tx, g, id, false); err != nil {
				return err
			}
		}
		if req, err = tx.R().Request(id); err != nil {
			return err
		}
		return s.requestNotice(tx, req)
	})
	s.grants.clear()
	s.queued(err)
	return req, err
}

// activateIfAllowed activates a validated request when nothing more is needed.
func (s *Service) activateIfAllowed(tx *db.Tx, g db.Group, id int64, byAdmin bool) (bool, error) {
	req, err := tx.R().Request(id)
	if err != nil {
		return false, err
	}
	requires, err := tx.R().RequiresMembership(g.ID)
	if err != nil {
		return false, err
	}
	if requires {
		if s.policy.AdminActivates && !byAdmin {
			return false, nil
		}
		if s.policy.DuesRequired {
			paid, err := tx.R().DuesPaid(req.PersonID, s.policy.year())
			if err != nil {
				return false, err
			}
			if !paid {
				if byAdmin {
					return false, ErrDuesMissing
				}
				return false, nil
			}
		}
	}
	if err := tx.ActivateRequest(id, 0); err != nil {
		return false, err
	}
	// An activation never lowers a role: someone made a member or an animator another way since
	// they asked keeps that role (a guest becomes a member, as they asked).
	if m, err := tx.R().Membership(g.ID, req.PersonID); err == nil && rank[m.Role] >= rank[db.RoleMember] {
		return true, nil
	} else if err != nil && !errors.Is(err, db.ErrNotFound) {
		return false, err
	}
	return true, tx.SetMembership(g.ID, req.PersonID, db.RoleMember, req.DecidedBy, time.Time{})
}

// closeRequests ends the open requests (pending or validated) of a person to a group that gave
// them a role another way: answering an old request later must not change what they have now.
func closeRequests(tx *db.Tx, groupID, personID, by int64) error {
	reqs, err := tx.R().PersonRequests(personID)
	if err != nil {
		return err
	}
	for _, r := range reqs {
		if r.GroupID == groupID && (r.Status == db.RequestPending || r.Status == db.RequestValidated) {
			if err := tx.ActivateRequest(r.ID, by); err != nil {
				return err
			}
		}
	}
	return nil
}

// Activate is an administrator's activation of a validated request; it needs the dues when the
// policy says so.
func (s *Service) Activate(ctx context.Context, by Actor, id int64) (db.AccessRequest, error) {
	if !by.isAdmin() {
		return db.AccessRequest{}, ErrForbidden
	}
	var req db.AccessRequest
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		if req, err = tx.R().Request(id); err != nil {
			return ErrNoAccess
		}
		if req.Status != db.RequestValidated {
			return fmt.Errorf("%w: only a validated request can be activated", ErrInvalid)
		}
		g, err := tx.R().GroupByID(req.GroupID)
		if err != nil {
			return err
		}
		if _, err := s.activateIfAllowed(tx, g, id, true); err != nil {
			return err
		}
		if err := tx.Audit(by.audit("request.activate", g.Slug+" "+fmt.Sprint(req.PersonID), "")); err != nil {
			return err
		}
		if req, err = tx.R().Request(id); err != nil {
			return err
		}
		return s.requestNotice(tx, req)
	})
	s.grants.clear()
	s.queued(err)
	return req, err
}

// RecordDues records a person's dues for a year (administrators). When dues alone decide, the
// person's validated requests become membership now.
func (s *Service) RecordDues(ctx context.Context, by Actor, email string, year int, cents int64, source string) error {
	if !by.isAdmin() {
		return ErrForbidden
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		p, err := tx.R().PersonByEmail(email)
		if err != nil {
			return fmt.Errorf("%w: no account with the e-mail %s", ErrInvalid, email)
		}
		if err := tx.RecordDues(db.Dues{PersonID: p.ID, Year: year, AmountCents: cents, PaidAt: db.Now(), Source: source}); err != nil {
			return err
		}
		if err := tx.Audit(by.audit("dues.record", p.Email, fmt.Sprintf("%d: %d.%02d €", year, cents/100, cents%100))); err != nil {
			return err
		}
		return s.activateWaiting(tx, p.ID, year)
	})
	s.grants.clear()
	s.queued(err)
	return err
}

// activateWaiting turns a person's validated requests into membership once their dues of the
// current year are recorded, when dues alone decide (no administrator in the policy).
func (s *Service) activateWaiting(tx *db.Tx, personID int64, year int) error {
	if s.policy.AdminActivates || year != s.policy.year() {
		return nil
	}
	waiting, err := tx.R().RequestsInStatus(db.RequestValidated)
	if err != nil {
		return err
	}
	for _, req := range waiting {
		if req.PersonID != personID {
			continue
		}
		g, err := tx.R().GroupByID(req.GroupID)
		if err != nil {
			return err
		}
		activated, err := s.activateIfAllowed(tx, g, req.ID, false)
		if err != nil || !activated {
			return err
		}
		if req, err = tx.R().Request(req.ID); err != nil {
			return err
		}
		if err := s.requestNotice(tx, req); err != nil {
			return err
		}
	}
	return nil
}

// GroupRequests lists a group's pending requests, for its animators.
func (s *Service) GroupRequests(ctx context.Context, groupID int64) ([]db.AccessRequest, error) {
	return s.db.R(ctx).GroupRequests(groupID, db.RequestPending)
}

// ActivationQueue lists the validated requests waiting for an administrator.
func (s *Service) ActivationQueue(ctx context.Context) ([]db.AccessRequest, error) {
	return s.db.R(ctx).RequestsInStatus(db.RequestValidated)
}

// PersonByID returns an account.
func (s *Service) PersonByID(ctx context.Context, id int64) (db.Person, error) {
	return s.db.R(ctx).PersonByID(id)
}
