package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"parvis/storage/db"
)

// Forced password renewal: after a leak, or to retire passwords handed over at creation or kept for
// years, an administrator requires a new password at the next sign-in. The web sign-in then goes
// through the set-password step before anything else; a DAV client sending the account password is
// refused (ErrPasswordExpired) until it is done.
//
// App passwords keep working: they are random secrets made by the server for one device, never
// chosen by a person nor reused on another site, and revocable one by one, so the reasons to retire
// an account password do not apply to them. Refusing them would stop every phone's agenda sync until
// its owner signs in on the web, which is what the renewal asks anyway.

// ErrPasswordExpired refuses the account password of a device while a renewal is pending; it is an
// ErrBadCredentials, with a reason the front door tells the client.
var ErrPasswordExpired = fmt.Errorf("%w: a new password must be chosen on the web site first", ErrBadCredentials)

// ErrReusedPassword refuses the old password as the new one of a renewal; it is an ErrWeakPassword.
var ErrReusedPassword = fmt.Errorf("%w: the new password must differ from the old one", ErrWeakPassword)

// RenewalRule says whose passwords to renew: those never changed since the account was made, those
// older than OlderThan (0: any age), or one account by e-mail.
type RenewalRule struct {
	OlderThan    time.Duration
	NeverChanged bool
	Email        string
}

func (r RenewalRule) String() string {
	var parts []string
	if r.Email != "" {
		parts = append(parts, "asked for this account")
	}
	if r.NeverChanged {
		parts = append(parts, "never changed")
	}
	if r.OlderThan > 0 {
		parts = append(parts, fmt.Sprintf("older than %d days", int(r.OlderThan.Hours()/24)))
	}
	return strings.Join(parts, ", ")
}

// ForceRenewal requires a new password at the next sign-in from the accounts the rule selects, and
// returns them. Accounts without a password yet have nothing to renew.
func (s *Service) ForceRenewal(ctx context.Context, by Actor, rule RenewalRule) ([]db.Person, error) {
	if !by.isAdmin() {
		return nil, ErrForbidden
	}
	if rule.Email == "" && !rule.NeverChanged && rule.OlderThan <= 0 {
		return nil, fmt.Errorf("%w: say whose passwords to renew (never changed, older than some days, or one account)", ErrInvalid)
	}
	var chosen []db.Person
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		if chosen, err = renewalTargets(tx.R(), rule); err != nil {
			return err
		}
		for _, p := range chosen {
			if err := tx.RequirePasswordChange(p.ID, true); err != nil {
				return err
			}
			if err := tx.Audit(by.audit("person.force_renewal", p.Email, rule.String())); err != nil {
				return err
			}
		}
		return nil
	})
	for _, p := range chosen {
		s.cache.forgetPerson(p.ID) // remembered DAV sign-ins with the old password end now
	}
	return chosen, err
}

// renewalTargets reads the accounts a rule selects.
func renewalTargets(r db.Read, rule RenewalRule) ([]db.Person, error) {
	if rule.Email != "" {
		p, err := r.PersonByEmail(strings.TrimSpace(rule.Email))
		if errors.Is(err, db.ErrNotFound) {
			return nil, fmt.Errorf("%w: no account with the e-mail %s", ErrInvalid, rule.Email)
		} else if err != nil {
			return nil, err
		}
		if p.PasswordHash == "" {
			return nil, nil
		}
		return []db.Person{p}, nil
	}
	var before time.Time
	if rule.OlderThan > 0 {
		before = db.Now().Add(-rule.OlderThan)
	}
	return r.PasswordsToRenew(before, rule.NeverChanged)
}

// PendingRenewals lists the people asked for a new password who have not chosen it yet.
func (s *Service) PendingRenewals(ctx context.Context, by Actor) ([]db.Person, error) {
	if !by.isAdmin() {
		return nil, ErrForbidden
	}
	return s.db.R(ctx).PendingRenewals()
}

// renewalLinkLifetime is short: the link is made at sign-in and used at once, by the browser that
// signed in.
const renewalLinkLifetime = 30 * time.Minute

// RenewalLink makes the set-password link through which a person asked for a new password goes at
// sign-in (after the second factor, when on): the same page and checks as any set-password link.
func (s *Service) RenewalLink(ctx context.Context, p db.Person) (string, error) {
	raw, hash := NewSecret()
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.DeletePersonTokens(p.ID, purposeSetPassword); err != nil {
			return err
		}
		return tx.CreateToken(db.Token{Hash: hash, Purpose: purposeSetPassword, PersonID: p.ID, ExpiresAt: db.Now().Add(renewalLinkLifetime)})
	})
	return raw, err
}

// checkRenewal refuses the old password as the new one when a renewal was asked for.
func checkRenewal(p db.Person, password string) error {
	if !p.MustChangePassword || p.PasswordHash == "" {
		return nil
	}
	if same, err := CheckPassword(p.PasswordHash, password); err != nil {
		return err
	} else if same {
		return ErrReusedPassword
	}
	return nil
}
