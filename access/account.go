package access

import (
	"context"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"parvis/storage/db"
)

// What a person changes about their own account from the account pages: their name, their
// password, and the two-factor enrolment they have started.

// Rename changes the name p is shown under.
func (s *Service) Rename(ctx context.Context, p db.Person, name string) (db.Person, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 {
		return p, fmt.Errorf("%w: a name of 1 to 100 characters", ErrInvalid)
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.SetName(p.ID, name); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("person.rename", p.Email, name))
	})
	p.Name = name
	return p, err
}

// ChangePassword replaces p's password after checking the current one, which a browser left
// signed in does not know. Wrong guesses count towards the sign-in throttle. Every other browser is
// signed out (keepCookie is the one asking), and devices using the old password stop at once.
func (s *Service) ChangePassword(ctx context.Context, p db.Person, current, next, keepCookie, remote string) error {
	if !s.cache.admit(p.Email, remote) {
		return ErrThrottled
	}
	fresh, err := s.db.R(ctx).PersonByID(p.ID)
	if err != nil {
		return err
	}
	if ok, _ := CheckPassword(fresh.PasswordHash, current); !ok {
		return ErrBadCredentials
	}
	s.cache.forgive(p.Email, remote)
	if err := ValidatePassword(next); err != nil {
		return err
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.SetPassword(p.ID, hash); err != nil {
			return err
		}
		if _, err := tx.DeleteOtherSessions(p.ID, HashSecret(keepCookie)); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("person.password_change", p.Email, ""))
	})
	if err == nil {
		s.cache.forgetPerson(p.ID)
	}
	return err
}

// PendingTwoFactor returns the secret and otpauth:// URI of the enrolment p started and has not
// confirmed yet, so that the page showing its QR code can be shown again; ErrNoPendingEnrol
// without one, ErrTwoFactorOn once confirmed (the secret is never shown again then).
func (s *Service) PendingTwoFactor(ctx context.Context, p db.Person) (secret, uri string, err error) {
	t, err := s.db.R(ctx).TOTP(p.ID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return "", "", ErrNoPendingEnrol
	case err != nil:
		return "", "", err
	case t.On():
		return "", "", ErrTwoFactorOn
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(t.Secret)
	if err != nil {
		return "", "", fmt.Errorf("access: totp secret: %w", err)
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: TwoFactorIssuer, AccountName: p.Email, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, Secret: raw})
	if err != nil {
		return "", "", err
	}
	return t.Secret, k.URL(), nil
}
