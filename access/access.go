// Package access holds people, groups and roles, and is the one place that answers "may this person
// do this in this group?". Every protocol front (WebDAV, CalDAV, the web pages) asks it, and every
// grant it makes is written to the audit log in the same transaction.
package access

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	"parvis/storage/db"

	"golang.org/x/sync/singleflight"
)

// Errors callers map to messages and statuses.
var (
	ErrBadCredentials = errors.New("access: wrong e-mail or password")
	ErrNoAccess       = errors.New("access: no such group for this person") // shown as 404: never reveal a group
	ErrForbidden      = errors.New("access: not allowed")
	ErrInvalid        = errors.New("access: invalid value")
	ErrWeakPassword   = errors.New("access: password too weak")
	ErrExists         = errors.New("access: already exists")
)

// FieldError is an error the person can correct in one field of what they sent: the pages show it
// next to the field, the JSON API names the field beside the error's code.
type FieldError struct {
	Field string // the form's or the JSON body's name: email, path, audience, role…
	Err   error  // what is wrong, wrapping one of the errors above
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// inField marks err as concerning field.
func inField(field string, err error) error { return &FieldError{Field: field, Err: err} }

// Service is the access service.
type Service struct {
	db     *db.DB
	cache  *authCache
	checks singleflight.Group // concurrent checks of the same credentials
	grants grantCache
	policy Policy
	// notifier queues the mails that actions owe people (notice.go).
	notifier Notifier
	// feedPassword opens the lists' member feeds to a list server (listfeed.go).
	feedPassword string
}

// New returns the service over a database.
func New(d *db.DB) *Service {
	return &Service{db: d, cache: newAuthCache(), policy: Policy{AdminActivates: true, DuesRequired: true}}
}

// Actor is who performs an administrative action, for authorization and the audit log.
type Actor struct {
	Person db.Person // zero for the command line
	Label  string    // "cli" when Person is zero
}

// CLI is the actor of `parvis admin`, which has the machine's trust.
var CLI = Actor{Label: "cli"}

func (a Actor) audit(action, target, detail string) db.AuditEntry {
	label := a.Label
	if a.Person.ID != 0 {
		label = a.Person.Email
	}
	return db.AuditEntry{ActorID: a.Person.ID, Actor: label, Action: action, Target: target, Detail: detail}
}

func (a Actor) isAdmin() bool { return a.isCLI() || Administers(a.Person) }

// isCLI tells whether the actor is `parvis admin`, which has the machine's trust.
func (a Actor) isCLI() bool { return a.Person.ID == 0 && a.Label == "cli" }

// NormalizeEmail checks an e-mail address and returns it trimmed; the domain is lower-cased.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "", inField("email", fmt.Errorf("%w: %q is not an e-mail address", ErrInvalid, s))
	}
	at := strings.LastIndexByte(s, '@')
	return s[:at] + strings.ToLower(s[at:]), nil
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidateSlug checks a group's short name: it appears in URLs and folder names.
func ValidateSlug(s string) error {
	if !slugRE.MatchString(s) {
		return fmt.Errorf("%w: %q: a group name uses lowercase letters, digits and dashes, up to 63", ErrInvalid, s)
	}
	return nil
}

// NewPerson describes an account to create.
type NewPerson struct {
	Email, Name, Password string
	Admin                 bool
}

// CreatePerson creates an account. An empty password leaves the account without one until its owner
// sets it from a link.
func (s *Service) CreatePerson(ctx context.Context, by Actor, np NewPerson) (db.Person, error) {
	if !by.isAdmin() {
		return db.Person{}, ErrForbidden
	}
	email, err := NormalizeEmail(np.Email)
	if err != nil {
		return db.Person{}, err
	}
	p := db.Person{Email: email, Name: strings.TrimSpace(np.Name), IsAdmin: np.Admin}
	if np.Password != "" {
		if err := ValidatePassword(np.Password); err != nil {
			return db.Person{}, err
		}
		if p.PasswordHash, err = HashPassword(np.Password); err != nil {
			return db.Person{}, err
		}
	}
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.CreatePerson(&p); err != nil {
			return err
		}
		detail := ""
		if p.IsAdmin {
			detail = "administrator"
		}
		return tx.Audit(by.audit("person.create", p.Email, detail))
	})
	if errors.Is(err, db.ErrConflict) {
		return p, fmt.Errorf("%w: an account with the e-mail %s exists already", ErrExists, email)
	}
	return p, err
}

// GroupOption sets something of a group being created.
type GroupOption func(*groupSettings)

type groupSettings struct{ open bool }

// Open makes a group that validation by its animators alone lets people into, without the
// membership (administrator's activation, dues) that groups require by default.
func Open() GroupOption { return func(g *groupSettings) { g.open = true } }

// CreateGroup creates a group and its shared folder.
func (s *Service) CreateGroup(ctx context.Context, by Actor, slug, name string, opts ...GroupOption) (db.Group, error) {
	if !by.isAdmin() {
		return db.Group{}, ErrForbidden
	}
	if err := ValidateSlug(slug); err != nil {
		return db.Group{}, err
	}
	if name = strings.TrimSpace(name); name == "" {
		name = slug
	}
	var set groupSettings
	for _, o := range opts {
		o(&set)
	}
	g := db.Group{Slug: slug, Name: name}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.CreateGroup(&g); err != nil {
			return err
		}
		detail := name
		if set.open {
			detail += " (open: no membership required)"
			if err := tx.SetRequiresMembership(g.ID, false); err != nil {
				return err
			}
		}
		return tx.Audit(by.audit("group.create", slug, detail))
	})
	if errors.Is(err, db.ErrConflict) {
		return g, fmt.Errorf("%w: a group named %s exists already", ErrExists, slug)
	}
	return g, err
}

// ParseRole reads a role name.
func ParseRole(s string) (db.Role, error) {
	switch r := db.Role(s); r {
	case db.RoleAnimator, db.RoleMember, db.RoleGuest:
		return r, nil
	}
	return "", fmt.Errorf("%w: role %q is not animator, member or guest", ErrInvalid, s)
}

// Grant gives a person a role in a group (replacing any previous role). Administrators and the
// group's animators may grant; expires is for guests (zero: never). The last animator keeps the role:
// someone must be able to let people in.
func (s *Service) Grant(ctx context.Context, by Actor, slug, email string, role db.Role, expires time.Time) error {
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		g, err := s.allowed(tx.R(), by, slug, RolesGrant)
		if err != nil {
			return err
		}
		p, err := tx.R().PersonByEmail(strings.TrimSpace(email))
		if errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("%w: no account with the e-mail %s", ErrInvalid, email)
		} else if err != nil {
			return err
		}
		if m, err := tx.R().Membership(g.ID, p.ID); err == nil && role != db.RoleAnimator {
			if last, err := lastAnimator(tx.R(), m); err != nil {
				return err
			} else if last {
				return ErrLastKeyRole
			}
		}
		if err := tx.SetMembership(g.ID, p.ID, role, by.Person.ID, expires); err != nil {
			return err
		}
		if err := closeRequests(tx, g.ID, p.ID, by.Person.ID); err != nil {
			return err
		}
		detail := string(role)
		if !expires.IsZero() {
			detail += " until " + expires.Format(time.DateOnly)
		}
		return tx.Audit(by.audit("group.grant", slug+" "+p.Email, detail))
	})
	s.grants.clear()
	return err
}

// Audit records an action done elsewhere (restoring from the trash, sharing) in the audit log.
func (s *Service) Audit(ctx context.Context, by Actor, action, target, detail string) error {
	return s.db.Write(ctx, func(tx *db.Tx) error { return tx.Audit(by.audit(action, target, detail)) })
}

// SetQuota sets the storage quota of a group (0: none); administrators only.
func (s *Service) SetQuota(ctx context.Context, by Actor, slug string, bytes int64) error {
	if bytes < 0 {
		return fmt.Errorf("%w: a quota cannot be negative", ErrInvalid)
	}
	return s.changeGroup(ctx, by, slug, "group.quota", strconv.FormatInt(bytes, 10), func(tx *db.Tx, g db.Group) error {
		return tx.SetQuota(g.ID, bytes)
	})
}

// changeGroup applies an administrator's change to a group, audited with action and detail, and
// forgets the cached grants (a group's settings take part in access decisions).
func (s *Service) changeGroup(ctx context.Context, by Actor, slug, action, detail string, change func(*db.Tx, db.Group) error) error {
	if !by.isAdmin() {
		return ErrForbidden
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		g, err := tx.R().GroupBySlug(slug)
		if errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("%w: no group named %s", ErrInvalid, slug)
		} else if err != nil {
			return err
		}
		if err := change(tx, g); err != nil {
			return err
		}
		return tx.Audit(by.audit(action, slug, detail))
	})
	s.grants.clear()
	return err
}

// ErrLastKeyRole refuses to leave a group without an animator: someone must be able to let people
// in (governance wants two; check warns below that).
var ErrLastKeyRole = errors.New("access: this is the group's last animator")

// Remove takes a person out of a group. Animators of the group and administrators may; the last
// animator cannot be removed.
func (s *Service) Remove(ctx context.Context, by Actor, slug, email string) error {
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		g, err := s.allowed(tx.R(), by, slug, RolesGrant)
		if err != nil {
			return err
		}
		p, err := tx.R().PersonByEmail(strings.TrimSpace(email))
		if err != nil {
			return fmt.Errorf("%w: no account with the e-mail %s", ErrInvalid, email)
		}
		m, err := tx.R().Membership(g.ID, p.ID)
		if err != nil {
			return fmt.Errorf("%w: %s is not in %s", ErrInvalid, email, slug)
		}
		if last, err := lastAnimator(tx.R(), m); err != nil {
			return err
		} else if last {
			return ErrLastKeyRole
		}
		if err := tx.DeleteMembership(g.ID, p.ID); err != nil {
			return err
		}
		return tx.Audit(by.audit("group.remove", slug+" "+p.Email, string(m.Role)))
	})
	s.grants.clear()
	return err
}

// lastAnimator tells whether m is the only animator of its group.
func lastAnimator(r db.Read, m db.Membership) (bool, error) {
	if m.Role != db.RoleAnimator {
		return false, nil
	}
	animators, err := animatorsOf(r, m.Group.ID)
	return len(animators) <= 1, err
}

// Suspend suspends (or restores) an account; administrators only. The last administrator cannot be
// suspended.
func (s *Service) Suspend(ctx context.Context, by Actor, email string, suspended bool) error {
	if !by.isAdmin() {
		return ErrForbidden
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		p, err := tx.R().PersonByEmail(strings.TrimSpace(email))
		if err != nil {
			return fmt.Errorf("%w: no account with the e-mail %s", ErrInvalid, email)
		}
		if suspended && p.IsAdmin && !p.Suspended {
			if n, err := tx.R().CountAdmins(); err != nil {
				return err
			} else if n <= 1 {
				return fmt.Errorf("%w: the last administrator", ErrLastKeyRole)
			}
		}
		if err := tx.SetSuspended(p.ID, suspended); err != nil {
			return err
		}
		action := "person.suspend"
		if !suspended {
			action = "person.restore"
		}
		return tx.Audit(by.audit(action, p.Email, ""))
	})
	s.grants.clear()
	if p, err := s.db.R(ctx).PersonByEmail(strings.TrimSpace(email)); err == nil {
		s.cache.forgetPerson(p.ID)
	}
	return err
}
