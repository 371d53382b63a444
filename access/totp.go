package access

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"parvis/storage/db"
)

// Two-factor sign-in: after the password, a six-digit code from an authenticator app (TOTP), or
// one of ten single-use recovery codes for the day the phone is lost. With it on, devices (DAV,
// scripts) need an app password: they cannot type a code.

// Errors of two-factor sign-in.
var (
	ErrBadCode         = errors.New("access: wrong or already used code")
	ErrTwoFactorOn     = errors.New("access: two-factor sign-in is on already")
	ErrTwoFactorOff    = errors.New("access: two-factor sign-in is off")
	ErrNoPendingEnrol  = errors.New("access: start the two-factor enrolment first")
	ErrAppPasswordOnly = fmt.Errorf("%w: two-factor sign-in is on, devices need an app password", ErrBadCredentials)
)

// RecoveryCodeCount is how many recovery codes enrolment gives.
const RecoveryCodeCount = 10

// TwoFactorIssuer names the service in authenticator apps.
const TwoFactorIssuer = "Parvis"

// StartTwoFactor makes a new secret for p, shown once as an otpauth:// URI and as text; it is not
// in force until ConfirmTwoFactor receives a first code made from it.
func (s *Service) StartTwoFactor(ctx context.Context, p db.Person) (secret, uri string, err error) {
	secret, uri, err = newTOTPKey(TwoFactorIssuer, p.Email)
	if err != nil {
		return "", "", err
	}
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.StartTOTP(p.ID, secret); errors.Is(err, db.ErrConflict) {
			return ErrTwoFactorOn
		} else if err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("2fa.start", p.Email, ""))
	})
	return secret, uri, err
}

// ConfirmTwoFactor turns two-factor on with a first code, and returns the recovery codes: they
// are shown this once and only their hashes are kept.
func (s *Service) ConfirmTwoFactor(ctx context.Context, p db.Person, code string) ([]string, error) {
	codes, hashes := newRecoveryCodes()
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		t, err := tx.R().TOTP(p.ID)
		if errors.Is(err, db.ErrNotFound) {
			return ErrNoPendingEnrol
		} else if err != nil {
			return err
		}
		if t.On() {
			return ErrTwoFactorOn
		}
		if err := useTOTP(tx, t, code); err != nil {
			return err
		}
		if err := tx.SetRecoveryCodes(p.ID, hashes); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("2fa.enable", p.Email, ""))
	})
	if err != nil {
		return nil, err
	}
	s.cache.forgetPerson(p.ID)
	return codes, nil
}

// DisableTwoFactor turns two-factor off; it needs a code (or a recovery code), so a browser left
// signed in is not enough.
func (s *Service) DisableTwoFactor(ctx context.Context, p db.Person, code string) error {
	if s.cache.codeThrottled(p.Email, "") {
		return ErrThrottled
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		how, err := useSecondFactor(tx, p, code)
		if err != nil {
			return err
		}
		if err := tx.DeleteTOTP(p.ID); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("2fa.disable", p.Email, how))
	})
	switch {
	case errors.Is(err, ErrBadCode):
		s.cache.codeFailed(p.Email, "")
	case err == nil:
		s.cache.forgetPerson(p.ID)
	}
	return err
}

// TwoFactorStatus tells whether p signs in with a second factor, and how many recovery codes remain.
func (s *Service) TwoFactorStatus(ctx context.Context, p db.Person) (on bool, recoveryLeft int, err error) {
	r := s.db.R(ctx)
	if on, err = r.TwoFactorOn(p.ID); err != nil || !on {
		return false, 0, err
	}
	recoveryLeft, err = r.RecoveryCodesLeft(p.ID)
	return on, recoveryLeft, err
}

// useSecondFactor spends a code of p's: a TOTP code (once per time step) or a recovery code (once).
// It returns which kind, for the audit log.
func useSecondFactor(tx *db.Tx, p db.Person, code string) (string, error) {
	t, err := tx.R().TOTP(p.ID)
	if errors.Is(err, db.ErrNotFound) || err == nil && !t.On() {
		return "", ErrTwoFactorOff
	} else if err != nil {
		return "", err
	}
	code = strings.Join(strings.Fields(code), "")
	if len(code) == 6 {
		return "totp", useTOTP(tx, t, code)
	}
	err = tx.UseRecoveryCode(p.ID, HashSecret(normalizeRecoveryCode(code)))
	if errors.Is(err, db.ErrNotFound) {
		return "", ErrBadCode
	}
	return "recovery code", err
}

// useTOTP checks a code against the secret and records its time step, refusing a replay.
func useTOTP(tx *db.Tx, t db.TOTP, code string) error {
	step, ok := matchTOTP(t.Secret, strings.Join(strings.Fields(code), ""), db.Now()) // "336 642", as apps show it
	if !ok {
		return ErrBadCode
	}
	err := tx.UseTOTPStep(t.PersonID, step)
	if errors.Is(err, db.ErrConflict) {
		return ErrBadCode
	}
	return err
}

// newRecoveryCodes returns fresh codes like "abcd-efgh-ijkl-mnop" (80 random bits each) and the
// hashes to store.
func newRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		b := make([]byte, 10)
		rand.Read(b)
		s := appEncoding.EncodeToString(b) // 16 characters
		codes = append(codes, s[0:4]+"-"+s[4:8]+"-"+s[8:12]+"-"+s[12:16])
		hashes = append(hashes, HashSecret(s))
	}
	return codes, hashes
}

// normalizeRecoveryCode accepts a code typed with or without dashes, in either case.
func normalizeRecoveryCode(code string) string {
	return strings.ToLower(strings.ReplaceAll(code, "-", ""))
}

// secondFactorLifetime is how long the code page waits after a correct password.
const secondFactorLifetime = 5 * time.Minute
