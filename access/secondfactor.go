package access

import (
	"context"
	"errors"
	"strings"
	"time"

	"parvis/storage/db"
)

// purposeSecondFactor is the short-lived token a browser holds between a correct password and the
// code: the password alone never yields a session when two-factor is on.
const purposeSecondFactor = "second-factor"

// maxCodeFailuresPerAccount is lower than for passwords: a code has only a million values.
const maxCodeFailuresPerAccount = 5

// BeginSecondFactor returns the token with which the code page finishes p's sign-in.
func (s *Service) BeginSecondFactor(ctx context.Context, p db.Person) (string, error) {
	raw, hash := NewSecret()
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		return tx.CreateToken(db.Token{Hash: hash, Purpose: purposeSecondFactor, PersonID: p.ID, ExpiresAt: time.Now().Add(secondFactorLifetime)})
	})
	return raw, err
}

// FinishSecondFactor checks the code typed after the password and returns the person to sign in.
// Failures are counted per account and per address like passwords, and throttled sooner.
func (s *Service) FinishSecondFactor(ctx context.Context, raw, code, remote string) (db.Person, error) {
	r := s.db.R(ctx)
	tok, err := r.TokenByHash(HashSecret(raw), purposeSecondFactor)
	if err != nil {
		return db.Person{}, ErrInvalidLink
	}
	p, err := r.PersonByID(tok.PersonID)
	if err != nil || p.Suspended {
		return db.Person{}, ErrBadCredentials
	}
	if s.cache.codeThrottled(p.Email, remote) {
		return db.Person{}, ErrThrottled
	}
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		how, err := useSecondFactor(tx, p, code)
		if err != nil {
			return err
		}
		if _, err := tx.ConsumeToken(HashSecret(raw), purposeSecondFactor); err != nil {
			return ErrInvalidLink
		}
		return tx.Audit(Actor{Person: p}.audit("auth.second_factor", p.Email, how))
	})
	switch {
	case errors.Is(err, ErrBadCode):
		s.cache.codeFailed(p.Email, remote)
		return db.Person{}, err
	case err != nil:
		return db.Person{}, err
	}
	s.cache.codeSucceeded(p.Email)
	return p, nil
}

// TwoFactorOn tells whether p's sign-in needs a code after the password.
func (s *Service) TwoFactorOn(ctx context.Context, p db.Person) (bool, error) {
	return s.db.R(ctx).TwoFactorOn(p.ID)
}

// codeThrottled tells whether codes are refused for a while for this account or address (""
// when the caller has none to give).
func (c *authCache) codeThrottled(email, remote string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.over("t:"+strings.ToLower(email), maxCodeFailuresPerAccount) || remote != "" && c.over("r:"+remote, maxFailuresPerAddress)
}

// codeFailed counts a wrong code. Its counter is apart from the password's, which a correct
// password resets: knowing the password must not reset the count of guessed codes.
func (c *authCache) codeFailed(email, remote string) {
	if remote == "" {
		c.count("t:" + strings.ToLower(email))
		return
	}
	c.count("t:"+strings.ToLower(email), "r:"+remote)
}

func (c *authCache) codeSucceeded(email string) {
	c.mu.Lock()
	delete(c.fails, "t:"+strings.ToLower(email))
	c.mu.Unlock()
}
