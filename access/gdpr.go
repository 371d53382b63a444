package access

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"parvis/storage/db"
)

// PersonalData is everything Parvis holds about a person, for the GDPR export. Secrets (password
// hash, two-factor secret, device password hashes, session cookies) are left out: they protect the
// account, they are not information about the person.
type PersonalData struct {
	Person         db.Person
	TwoFactor      bool
	Memberships    []db.Membership
	Requests       []db.AccessRequest
	Dues           []db.Dues
	AppPasswords   []db.AppPassword
	Sessions       []db.Session
	Audit          []db.AuditEntry
	GrantedByEmail map[int64]string // who granted each membership, by person id
}

// Export gathers p's data.
func (s *Service) Export(ctx context.Context, p db.Person) (PersonalData, error) {
	r := s.db.R(ctx)
	d := PersonalData{Person: p, GrantedByEmail: map[int64]string{}}
	var err error
	steps := []func() error{
		func() (err error) { d.TwoFactor, err = r.TwoFactorOn(p.ID); return },
		func() (err error) { d.Memberships, err = r.MembershipsOf(p.ID); return },
		func() (err error) { d.Requests, err = r.RequestsOf(p.ID); return },
		func() (err error) { d.Dues, err = r.DuesOf(p.ID); return },
		func() (err error) { d.AppPasswords, err = r.AppPasswords(p.ID); return },
		func() (err error) { d.Sessions, err = r.Sessions(p.ID); return },
		func() (err error) { d.Audit, err = r.AuditAbout(p.ID, p.Email); return },
	}
	for _, step := range steps {
		if err = step(); err != nil {
			return d, err
		}
	}
	for _, m := range d.Memberships {
		if g, err := r.PersonByID(m.GrantedBy); err == nil {
			d.GrantedByEmail[m.GrantedBy] = g.Email
		}
	}
	return d, s.Audit(ctx, Actor{Person: p}, "person.export", p.Email, "")
}

// RequestErasure records p's request to be erased, for an administrator to carry out (`parvis
// admin person erase`): erasing has consequences (a group's last animator) a person cannot weigh.
func (s *Service) RequestErasure(ctx context.Context, p db.Person) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.CreateErasureRequest(p.ID, p.Email); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("person.erasure_request", p.Email, ""))
	})
}

// ErasureRequests lists the requests for administrators.
func (s *Service) ErasureRequests(ctx context.Context, by Actor) ([]db.ErasureRequest, error) {
	if !by.isAdmin() {
		return nil, ErrForbidden
	}
	return s.db.R(ctx).ErasureRequests()
}

// ErrLastAdmin refuses to erase the instance's last administrator.
var ErrLastAdmin = errors.New("access: this is the last administrator")

// ErasePerson removes a person and their memberships; the audit log keeps its text. It refuses the
// last administrator and a group's last animator: name someone else first.
func (s *Service) ErasePerson(ctx context.Context, by Actor, email string) error {
	if !by.isAdmin() {
		return ErrForbidden
	}
	var id int64
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		r := tx.R()
		p, err := r.PersonByEmail(strings.TrimSpace(email))
		id = p.ID
		if err != nil {
			return fmt.Errorf("%w: no account with the e-mail %s", ErrInvalid, email)
		}
		if err := s.mayErase(r, p); err != nil {
			return err
		}
		if err := tx.DeletePerson(p.ID); err != nil {
			return err
		}
		return tx.Audit(by.audit("person.erase", p.Email, ""))
	})
	s.grants.clear()
	s.cache.forgetPerson(id) // remembered DAV sign-ins end now, not at the next revalidation
	return err
}

// mayErase refuses when p holds a key role alone.
func (s *Service) mayErase(r db.Read, p db.Person) error {
	if Administers(p) {
		if n, err := r.CountAdmins(); err != nil || n <= 1 {
			return ErrLastAdmin
		}
	}
	ms, err := r.MembershipsOf(p.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if last, err := lastAnimator(r, m); err != nil {
			return err
		} else if last {
			return fmt.Errorf("%w (%s)", ErrLastKeyRole, m.Group.Slug)
		}
	}
	return nil
}
