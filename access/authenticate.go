package access

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"strings"
	"sync"
	"time"

	"parvis/storage/db"
)

// ErrThrottled is returned while an account or an address is locked out after repeated failures.
var ErrThrottled = errors.New("access: too many failed attempts, try again later")

// Authenticate checks an e-mail and password. DAV clients send them with every request, and an
// argon2id check costs tens of milliseconds, so a successful check is remembered for a few minutes
// (keyed by an HMAC of the credentials, never the password itself) as long as the stored hash is
// unchanged. remote is the client's address, for rate limiting.
func (s *Service) Authenticate(ctx context.Context, email, password, remote string) (db.Person, error) {
	email = strings.TrimSpace(email)
	key := s.cache.key(email, password)
	if id, hash, ok := s.cache.get(key); ok {
		p, err := s.db.R(ctx).PersonByID(id)
		if err == nil && p.PasswordHash == hash && !p.Suspended {
			return p, nil
		}
		s.cache.drop(key)
	}
	if s.cache.throttled(email, remote) {
		return db.Person{}, ErrThrottled
	}
	p, err := s.db.R(ctx).PersonByEmail(email)
	if errors.Is(err, db.ErrNotFound) || err == nil && p.PasswordHash == "" {
		CheckPassword(dummyHash, password)
		s.cache.fail(email, remote)
		return db.Person{}, ErrBadCredentials
	} else if err != nil {
		return db.Person{}, err
	}
	ok, err := CheckPassword(p.PasswordHash, password)
	if err != nil {
		return db.Person{}, err
	}
	if !ok || p.Suspended {
		s.cache.fail(email, remote)
		return db.Person{}, ErrBadCredentials
	}
	s.cache.succeed(email, key, p.ID, p.PasswordHash)
	return p, nil
}

// Limits of the login throttle: after this many failures within the window, refuse for the window.
const (
	maxFailuresPerAccount = 10
	maxFailuresPerAddress = 30
	failureWindow         = 15 * time.Minute
	authCacheTTL          = 5 * time.Minute
)

// authCache remembers recent successful logins and counts recent failures.
type authCache struct {
	secret []byte
	mu     sync.Mutex
	ok     map[string]cached
	fails  map[string]*failures
}

type cached struct {
	id      int64
	hash    string
	expires time.Time
}

type failures struct {
	n     int
	first time.Time
}

func newAuthCache() *authCache {
	secret := make([]byte, 32)
	rand.Read(secret)
	return &authCache{secret: secret, ok: map[string]cached{}, fails: map[string]*failures{}}
}

func (c *authCache) key(email, password string) string {
	m := hmac.New(sha256.New, c.secret)
	m.Write([]byte(strings.ToLower(email)))
	m.Write([]byte{0})
	m.Write([]byte(password))
	return string(m.Sum(nil))
}

func (c *authCache) get(key string) (int64, string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.ok[key]
	if !ok || time.Now().After(e.expires) {
		return 0, "", false
	}
	return e.id, e.hash, true
}

func (c *authCache) drop(key string) {
	c.mu.Lock()
	delete(c.ok, key)
	c.mu.Unlock()
}

func (c *authCache) succeed(email, key string, id int64, hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ok) > 10000 { // bound memory: forget everything rather than track ages
		c.ok = map[string]cached{}
	}
	c.ok[key] = cached{id: id, hash: hash, expires: time.Now().Add(authCacheTTL)}
	delete(c.fails, "a:"+strings.ToLower(email))
}

func (c *authCache) fail(email, remote string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range []string{"a:" + strings.ToLower(email), "r:" + remote} {
		f := c.fails[k]
		if f == nil || time.Since(f.first) > failureWindow {
			f = &failures{first: time.Now()}
			c.fails[k] = f
		}
		f.n++
	}
}

func (c *authCache) throttled(email, remote string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	over := func(k string, max int) bool {
		f := c.fails[k]
		return f != nil && time.Since(f.first) <= failureWindow && f.n >= max
	}
	return over("a:"+strings.ToLower(email), maxFailuresPerAccount) || over("r:"+remote, maxFailuresPerAddress)
}
