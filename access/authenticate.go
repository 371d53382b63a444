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
	if c, ok := s.cache.get(key); ok {
		if time.Since(c.checked) < revalidateAfter {
			return c.person, nil
		}
		p, err := s.db.R(ctx).PersonByID(c.person.ID)
		valid := err == nil && !p.Suspended
		if c.appID != 0 {
			_, still := s.checkAppPassword(ctx, p, password)
			valid = valid && still
		} else {
			valid = valid && p.PasswordHash == c.person.PasswordHash
		}
		if valid {
			s.cache.succeed(email, key, p, c.appID)
			return p, nil
		}
		s.cache.drop(key)
	}
	if s.cache.throttled(email, remote) {
		return db.Person{}, ErrThrottled
	}
	// A client that opens several connections at once sends the same credentials on each: one check
	// answers them all.
	v, err, _ := s.checks.Do(key, func() (any, error) { return s.check(ctx, email, password, remote, key) })
	p, _ := v.(db.Person)
	return p, err
}

// check verifies credentials against the database.
func (s *Service) check(ctx context.Context, email, password, remote, key string) (db.Person, error) {
	p, err := s.db.R(ctx).PersonByEmail(email)
	if err == nil && !p.Suspended && isAppSecret(password) {
		if a, ok := s.checkAppPassword(ctx, p, password); ok {
			s.cache.succeed(email, key, p, a.ID)
			return p, nil
		}
	}
	if errors.Is(err, db.ErrNotFound) || err == nil && p.PasswordHash == "" {
		CheckPassword(dummyHash(), password)
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
	s.cache.succeed(email, key, p, 0)
	return p, nil
}

// Limits of the login throttle: after this many failures within the window, refuse for the window.
const (
	maxFailuresPerAccount = 10
	maxFailuresPerAddress = 30
	failureWindow         = 15 * time.Minute
	authCacheTTL          = 5 * time.Minute
	// revalidateAfter is how long a remembered sign-in is trusted without reading the account again:
	// a password change or a suspension made by another process (parvis admin) takes effect within it.
	revalidateAfter = 3 * time.Second
)

// authCache remembers recent successful logins and counts recent failures.
type authCache struct {
	secret []byte
	mu     sync.Mutex
	ok     map[string]cached
	fails  map[string]*failures
}

type cached struct {
	person  db.Person
	appID   int64     // the device password used, 0 for the account password
	checked time.Time // when the account was last read
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

func (c *authCache) get(key string) (cached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.ok[key]
	if !ok || time.Now().After(e.expires) {
		return cached{}, false
	}
	return e, true
}

// forgetApp drops the remembered sign-ins made with a revoked device password.
func (c *authCache) forgetApp(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.ok {
		if e.appID == id {
			delete(c.ok, k)
		}
	}
}

func (c *authCache) drop(key string) {
	c.mu.Lock()
	delete(c.ok, key)
	c.mu.Unlock()
}

func (c *authCache) succeed(email, key string, p db.Person, appID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ok) > 10000 { // bound memory: forget everything rather than track ages
		c.ok = map[string]cached{}
	}
	now := time.Now()
	expires := now.Add(authCacheTTL)
	if e, ok := c.ok[key]; ok {
		expires = e.expires // revalidation does not extend the life of a remembered password
	}
	c.ok[key] = cached{person: p, appID: appID, checked: now, expires: expires}
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
