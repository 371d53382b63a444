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

// Authenticate checks the credentials a device sends (DAV clients, scripts using HTTP Basic): an
// app password, or the account password while two-factor sign-in is off. A device cannot type a
// code, so once two-factor is on only app passwords open it (ErrAppPasswordOnly); while an
// administrator asks for a new password, the account password opens nothing (ErrPasswordExpired).
//
// DAV clients send the credentials with every request, and an argon2id check costs tens of
// milliseconds, so a successful check is remembered for a few minutes (keyed by an HMAC of the
// credentials, never the password itself) as long as the stored hash is unchanged. remote is the
// client's address, for rate limiting.
func (s *Service) Authenticate(ctx context.Context, email, password, remote string) (db.Person, error) {
	c, err := s.authenticate(ctx, email, password, remote)
	if err != nil {
		return db.Person{}, err
	}
	if c.appID == 0 && c.twoFactor {
		return db.Person{}, ErrAppPasswordOnly
	}
	if c.appID == 0 && c.person.MustChangePassword {
		return db.Person{}, ErrPasswordExpired // see renewal.go for why app passwords still work
	}
	return c.person, nil
}

// SignIn checks the e-mail and account password typed into the sign-in page. App passwords are
// refused there: they are for devices, and must not become a browser session that could make more.
// The caller asks for the second factor when TwoFactorOn says so.
func (s *Service) SignIn(ctx context.Context, email, password, remote string) (db.Person, error) {
	email = strings.TrimSpace(email)
	key := s.cache.key(email, password)
	known := s.cache.isKnown(key)
	if !known && !s.cache.admit(email, remote) {
		return db.Person{}, ErrThrottled
	}
	c, err := s.checkAccount(ctx, email, password, remote, "")
	s.cache.settle(email, remote, key, known, err == nil)
	return c.person, err
}

// authenticate answers from the remembered sign-ins, else checks the database.
func (s *Service) authenticate(ctx context.Context, email, password, remote string) (cached, error) {
	email = strings.TrimSpace(email)
	key := s.cache.key(email, password)
	if c, ok := s.cache.get(key); ok {
		if time.Since(c.checked) < revalidateAfter {
			return c, nil
		}
		if c, ok := s.revalidate(ctx, email, password, key, c); ok {
			return c, nil
		}
		s.cache.drop(key)
	}
	// An app password is a long random secret, checked by one indexed lookup: nobody guesses it,
	// so the throttle, there to slow guessing, does not stand in its way. A device set up with one
	// keeps working while someone else's wrong passwords hold the account.
	if c, ok := s.appSignIn(ctx, email, password, key); ok {
		return c, nil
	}
	// A client that opens several connections at once sends the same credentials on each: one check
	// answers them all, and counts as one attempt.
	v, err, _ := s.checks.Do(key, func() (any, error) {
		known := s.cache.isKnown(key)
		if !known && !s.cache.admit(email, remote) {
			return cached{}, ErrThrottled
		}
		c, err := s.checkAccount(ctx, email, password, remote, key)
		s.cache.settle(email, remote, key, known, err == nil)
		return c, err
	})
	c, _ := v.(cached)
	return c, err
}

// revalidate reads the account again behind a remembered sign-in: a password change, a revoked
// device password, a suspension or two-factor turned on take effect within revalidateAfter.
func (s *Service) revalidate(ctx context.Context, email, password, key string, c cached) (cached, bool) {
	r := s.db.R(ctx)
	p, err := r.PersonByID(c.person.ID)
	valid := err == nil && !p.Suspended
	if c.appID != 0 {
		_, still := s.checkAppPassword(ctx, p, password)
		valid = valid && still
	} else {
		valid = valid && p.PasswordHash == c.person.PasswordHash
	}
	twoFactor, err := r.TwoFactorOn(p.ID)
	if !valid || err != nil {
		return cached{}, false
	}
	return s.cache.succeed(email, key, p, c.appID, twoFactor), true
}

// appSignIn checks password as one of the account's app passwords, if it has their shape.
func (s *Service) appSignIn(ctx context.Context, email, password, key string) (cached, bool) {
	if !isAppSecret(password) {
		return cached{}, false
	}
	p, err := s.db.R(ctx).PersonByEmail(email)
	if err != nil || p.Suspended {
		return cached{}, false
	}
	a, ok := s.checkAppPassword(ctx, p, password)
	if !ok {
		return cached{}, false
	}
	return s.cache.succeed(email, key, p, a.ID, false), true
}

// checkAccount verifies the account password; key, when set, remembers the success.
func (s *Service) checkAccount(ctx context.Context, email, password, remote, key string) (cached, error) {
	r := s.db.R(ctx)
	p, err := r.PersonByEmail(email)
	if errors.Is(err, db.ErrNotFound) || err == nil && p.PasswordHash == "" {
		CheckPassword(dummyHash(), password)
		return cached{}, ErrBadCredentials
	} else if err != nil {
		return cached{}, err
	}
	ok, err := CheckPassword(p.PasswordHash, password)
	if err != nil {
		return cached{}, err
	}
	if !ok || p.Suspended {
		return cached{}, ErrBadCredentials
	}
	twoFactor, err := r.TwoFactorOn(p.ID)
	if err != nil {
		return cached{}, err
	}
	if key == "" {
		return cached{person: p, twoFactor: twoFactor}, nil
	}
	return s.cache.succeed(email, key, p, 0, twoFactor), nil
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
	// known are the credentials (as keys) that signed in within knownFor: a member's devices. They
	// pass the throttle, which is there against guesses: someone hammering an account with wrong
	// passwords must not lock its owner's phone out. Only the exact password that succeeded passes.
	known map[string]time.Time
}

// knownFor is how long credentials that signed in pass the throttle: longer than any device's
// pause between syncs, shorter than a password should live unseen.
const knownFor = 30 * 24 * time.Hour

// isKnown tells whether these credentials signed in within knownFor.
func (c *authCache) isKnown(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	at, ok := c.known[key]
	return ok && time.Since(at) < knownFor
}

// settle ends a checked attempt: a success gives back the attempt counted (not counted at all for
// known credentials) and makes the credentials known; known credentials that fail (the password
// changed since) are forgotten.
func (c *authCache) settle(email, remote, key string, known, ok bool) {
	switch {
	case ok && !known:
		c.forgive(email, remote)
		fallthrough
	case ok:
		c.mu.Lock()
		if len(c.known) > 100_000 { // bound memory: forget everything rather than track ages
			c.known = map[string]time.Time{}
		}
		c.known[key] = time.Now()
		c.mu.Unlock()
	case known:
		c.mu.Lock()
		delete(c.known, key)
		c.mu.Unlock()
	}
}

type cached struct {
	person    db.Person
	appID     int64     // the device password used, 0 for the account password
	twoFactor bool      // the account had two-factor sign-in on when last read
	checked   time.Time // when the account was last read
	expires   time.Time
}

type failures struct {
	n     int
	first time.Time
}

func newAuthCache() *authCache {
	secret := make([]byte, 32)
	rand.Read(secret)
	return &authCache{secret: secret, ok: map[string]cached{}, fails: map[string]*failures{}, known: map[string]time.Time{}}
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

// forgetPerson drops the remembered sign-ins of a person, e.g. when two-factor is turned on.
func (c *authCache) forgetPerson(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.ok {
		if e.person.ID == id {
			delete(c.ok, k)
		}
	}
}

func (c *authCache) succeed(email, key string, p db.Person, appID int64, twoFactor bool) cached {
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
	e := cached{person: p, appID: appID, twoFactor: twoFactor, checked: now, expires: expires}
	c.ok[key] = e
	return e
}

// admit counts a sign-in attempt against the account and the address, unless one of them reached
// its limit within the window. Counting before the password is checked is what keeps parallel
// requests to the limit: each is counted before any is answered. A right password gives its
// attempt back (forgive); a success never clears the others', so that a device syncing every few
// seconds does not reopen the window for someone guessing.
func (c *authCache) admit(email, remote string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, r := "a:"+strings.ToLower(email), "r:"+remote
	if c.over(a, maxFailuresPerAccount) || c.over(r, maxFailuresPerAddress) {
		return false
	}
	c.countLocked(a, r)
	return true
}

// forgive takes back the attempt admit counted for a sign-in that succeeded.
func (c *authCache) forgive(email, remote string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range []string{"a:" + strings.ToLower(email), "r:" + remote} {
		if f := c.fails[k]; f != nil && f.n > 0 {
			f.n--
		}
	}
}

// count records a failure under each key, starting a new window when the last one is over.
func (c *authCache) count(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.countLocked(keys...)
}

// countLocked is count with c.mu held.
func (c *authCache) countLocked(keys ...string) {
	for _, k := range keys {
		f := c.fails[k]
		if f == nil || time.Since(f.first) > failureWindow {
			f = &failures{first: time.Now()}
			c.fails[k] = f
		}
		f.n++
	}
}

// over tells whether a key reached max failures within the window; c.mu is held.
func (c *authCache) over(k string, max int) bool {
	f := c.fails[k]
	return f != nil && time.Since(f.first) <= failureWindow && f.n >= max
}
