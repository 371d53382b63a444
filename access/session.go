package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"parvis/storage/db"
)

// SessionCookie names the cookie of a signed-in browser: the pages read it, and so does the DAV
// endpoint, where the pages send uploads and fetch downloads.
const SessionCookie = "parvis_session"

// SessionLifetime is how long a web sign-in lasts.
const SessionLifetime = 30 * 24 * time.Hour

// ErrInvalidLink is returned for a one-time link that is unknown, used or expired.
var ErrInvalidLink = errors.New("access: this link is invalid, expired or already used")

// NewSecret returns a random URL-safe secret for a link or a cookie, and the hash under which it is
// stored: the secret itself is only ever in the link, so a copy of the database opens nothing.
func NewSecret() (raw, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	raw = base64.RawURLEncoding.EncodeToString(b)
	return raw, HashSecret(raw)
}

// HashSecret is the hash under which the secret raw is stored.
func HashSecret(raw string) string {
	h := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(h[:])
}

// NewSession signs a person in and returns the cookie value.
func (s *Service) NewSession(ctx context.Context, p db.Person, userAgent string) (string, error) {
	raw, hash := NewSecret()
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		return tx.CreateSession(db.Session{Hash: hash, PersonID: p.ID, ExpiresAt: time.Now().Add(SessionLifetime), UserAgent: userAgent})
	})
	return raw, err
}

// SessionPerson returns the person signed in with a cookie value.
func (s *Service) SessionPerson(ctx context.Context, cookie string) (db.Person, error) {
	r := s.db.R(ctx)
	sess, err := r.SessionByHash(HashSecret(cookie))
	if err != nil {
		return db.Person{}, ErrBadCredentials
	}
	p, err := r.PersonByID(sess.PersonID)
	if err != nil || p.Suspended {
		return db.Person{}, ErrBadCredentials
	}
	s.touchSession(ctx, sess)
	return p, nil
}

// EndSession signs a browser out.
func (s *Service) EndSession(ctx context.Context, cookie string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error { return tx.DeleteSession(HashSecret(cookie)) })
}

// purposeFirstAdmin is the one-time link that creates the first administrator.
const purposeFirstAdmin = "first-admin"

// FirstAdminLink returns a fresh one-time secret for creating the first administrator, or "" when an
// administrator exists. Each call invalidates the previous secret, so only the last printed link works.
func (s *Service) FirstAdminLink(ctx context.Context) (string, error) {
	n, err := s.db.R(ctx).CountAdmins()
	if err != nil || n > 0 {
		return "", err
	}
	raw, hash := NewSecret()
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.DeleteTokens(purposeFirstAdmin); err != nil {
			return err
		}
		return tx.CreateToken(db.Token{Hash: hash, Purpose: purposeFirstAdmin, ExpiresAt: time.Now().Add(24 * time.Hour)})
	})
	return raw, err
}

// CheckFirstAdminLink tells whether a first-administrator secret is still valid: ErrExists once an
// administrator exists (the link has done its work; restarting prints none), ErrInvalidLink when it
// expired or a newer one replaced it.
func (s *Service) CheckFirstAdminLink(ctx context.Context, raw string) error {
	r := s.db.R(ctx)
	if n, err := r.CountAdmins(); err != nil {
		return err
	} else if n > 0 {
		return ErrExists
	}
	if _, err := r.TokenByHash(HashSecret(raw), purposeFirstAdmin); err != nil {
		return ErrInvalidLink
	}
	return nil
}

// CreateFirstAdmin uses the one-time secret to create the first administrator.
func (s *Service) CreateFirstAdmin(ctx context.Context, raw string, np NewPerson) (db.Person, error) {
	email, err := NormalizeEmail(np.Email)
	if err != nil {
		return db.Person{}, err
	}
	if err := ValidatePassword(np.Password); err != nil {
		return db.Person{}, err
	}
	hash, err := HashPassword(np.Password)
	if err != nil {
		return db.Person{}, err
	}
	p := db.Person{Email: email, Name: strings.TrimSpace(np.Name), PasswordHash: hash, IsAdmin: true}
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		if _, err := tx.ConsumeToken(HashSecret(raw), purposeFirstAdmin); err != nil {
			return ErrInvalidLink
		}
		if n, err := tx.R().CountAdmins(); err != nil || n > 0 {
			return ErrInvalidLink
		}
		if err := tx.CreatePerson(&p); err != nil {
			return err
		}
		return tx.Audit(db.AuditEntry{ActorID: p.ID, Actor: p.Email, Action: "person.create", Target: p.Email, Detail: "first administrator"})
	})
	if errors.Is(err, db.ErrConflict) {
		return p, fmt.Errorf("%w: an account with the e-mail %s exists already", ErrExists, email)
	}
	return p, err
}
