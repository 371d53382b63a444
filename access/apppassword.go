package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"parvis/storage/db"
)

// App passwords are what devices use: "abcdef-ghijkl-mnopqr-stuvwx", 120 random bits, readable
// enough to type on a phone. A device that is lost is revoked alone, and the account password never
// sits in a sync client's configuration.

var appEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newAppSecret returns a fresh app password.
func newAppSecret() string {
	b := make([]byte, 15)
	rand.Read(b)
	s := appEncoding.EncodeToString(b) // 24 characters
	return s[0:6] + "-" + s[6:12] + "-" + s[12:18] + "-" + s[18:24]
}

// isAppSecret tells whether a password has the shape of an app password.
func isAppSecret(s string) bool {
	if len(s) != 27 || s[6] != '-' || s[13] != '-' || s[20] != '-' {
		return false
	}
	_, err := appEncoding.DecodeString(strings.ReplaceAll(s, "-", ""))
	return err == nil
}

func appHash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// CreateAppPassword makes a password for one of p's devices and returns it: it is shown once.
func (s *Service) CreateAppPassword(ctx context.Context, p db.Person, name string) (db.AppPassword, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return db.AppPassword{}, "", fmt.Errorf("%w: name the device (up to 100 characters)", ErrInvalid)
	}
	secret := newAppSecret()
	a := db.AppPassword{PersonID: p.ID, Name: name}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.CreateAppPassword(&a, appHash(secret)); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("app_password.create", p.Email, name))
	})
	return a, secret, err
}

// AppPasswords lists p's device passwords.
func (s *Service) AppPasswords(ctx context.Context, p db.Person) ([]db.AppPassword, error) {
	return s.db.R(ctx).AppPasswords(p.ID)
}

// RevokeAppPassword ends one of p's device passwords at once, remembered sign-ins included.
func (s *Service) RevokeAppPassword(ctx context.Context, p db.Person, id int64) error {
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.DeleteAppPassword(p.ID, id); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("app_password.revoke", p.Email, fmt.Sprint(id)))
	})
	if err == nil {
		s.cache.forgetApp(id)
	}
	return err
}

// touchEvery bounds how often a device password's last use is written: once in a while is enough
// to show "used today", and a write per request is not.
const touchEvery = 10 * time.Minute

// checkAppPassword tells whether secret is one of p's device passwords, and records the use.
func (s *Service) checkAppPassword(ctx context.Context, p db.Person, secret string) (db.AppPassword, bool) {
	a, err := s.db.R(ctx).AppPasswordByHash(p.ID, appHash(secret))
	if err != nil {
		return a, false
	}
	if time.Since(a.LastUsedAt) > touchEvery {
		s.db.Write(ctx, func(tx *db.Tx) error { return tx.TouchAppPassword(a.ID) })
	}
	return a, true
}
