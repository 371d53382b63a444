package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"parvis/storage/db"
)

// purposeSetPassword is the one-time link with which someone chooses a password: after an
// invitation, an account created without one, or a forgotten password.
const purposeSetPassword = "set-password"

// PasswordLinkLifetime is how long such a link works.
const PasswordLinkLifetime = 7 * 24 * time.Hour

// passwordLink makes a fresh set-password secret for p, voiding the previous ones.
func passwordLink(tx *db.Tx, p db.Person) (string, error) {
	raw, hash := NewSecret()
	if err := tx.DeletePersonTokens(p.ID, purposeSetPassword); err != nil {
		return "", err
	}
	return raw, tx.CreateToken(db.Token{Hash: hash, Purpose: purposeSetPassword, PersonID: p.ID, ExpiresAt: db.Now().Add(PasswordLinkLifetime)}) // checked against the store's clock
}

// PasswordLink makes a set-password link for an account, for an administrator to hand over to a
// member who reads no mail at the address (earlier links stop working).
func (s *Service) PasswordLink(ctx context.Context, by Actor, email string) (db.Person, string, error) {
	return s.adminPasswordLink(ctx, by, email, false)
}

// MailPasswordLink makes a set-password link for an account and mails it, in one transaction; the
// caller never sees the secret.
func (s *Service) MailPasswordLink(ctx context.Context, by Actor, email string) (db.Person, error) {
	p, _, err := s.adminPasswordLink(ctx, by, email, true)
	return p, err
}

func (s *Service) adminPasswordLink(ctx context.Context, by Actor, email string, mail bool) (db.Person, string, error) {
	if !by.isAdmin() {
		return db.Person{}, "", ErrForbidden
	}
	var p db.Person
	var raw string
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		if p, err = tx.R().PersonByEmail(strings.TrimSpace(email)); errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("%w: no account with the e-mail %s", ErrInvalid, email)
		} else if err != nil {
			return err
		}
		if raw, err = passwordLink(tx, p); err != nil {
			return err
		}
		detail := "handed over"
		if mail {
			detail = "mailed"
			// An account that never had a password is a new one: its mail says who opened it, where.
			n := Notice{To: p, Template: "password"}
			if p.PasswordHash == "" {
				n.Template, n.About = "account.created", by.Person
			}
			if err := s.linkNotice(tx, n, raw); err != nil {
				return err
			}
			raw = ""
		}
		return tx.Audit(by.audit("person.password_link", p.Email, detail))
	})
	s.queued(err)
	return p, raw, err
}

// ForgottenPassword mails a set-password link, in lang, to the account of email if there is one;
// the caller tells the person the same thing either way, so nobody learns who has an account.
func (s *Service) ForgottenPassword(ctx context.Context, email, lang string) error {
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		p, err := tx.R().PersonByEmail(strings.TrimSpace(email))
		if errors.Is(err, db.ErrNotFound) || err == nil && p.Suspended {
			return nil
		} else if err != nil {
			return err
		}
		raw, err := passwordLink(tx, p)
		if err != nil {
			return err
		}
		return s.linkNotice(tx, Notice{To: p, Template: "password", Lang: lang}, raw)
	})
	s.queued(err)
	return err
}

// CheckPasswordLink tells whether a set-password link works, and for whom.
func (s *Service) CheckPasswordLink(ctx context.Context, raw string) (db.Person, error) {
	t, err := s.db.R(ctx).TokenByHash(HashSecret(raw), purposeSetPassword)
	if err != nil {
		return db.Person{}, ErrInvalidLink
	}
	return s.db.R(ctx).PersonByID(t.PersonID)
}

// SetPasswordWithLink uses a set-password link: once. After a forced renewal, the old password is
// refused as the new one.
func (s *Service) SetPasswordWithLink(ctx context.Context, raw, password string) (db.Person, error) {
	if err := ValidatePassword(password); err != nil {
		return db.Person{}, err
	}
	if who, err := s.CheckPasswordLink(ctx, raw); err == nil {
		if err := checkRenewal(who, password); err != nil {
			return db.Person{}, err
		}
	}
	hash, err := HashPassword(password)
	if err != nil {
		return db.Person{}, err
	}
	var p db.Person
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		t, err := tx.ConsumeToken(HashSecret(raw), purposeSetPassword)
		if err != nil {
			return ErrInvalidLink
		}
		if err := tx.SetPassword(t.PersonID, hash); err != nil {
			return err
		}
		if p, err = tx.R().PersonByID(t.PersonID); err != nil {
			return err
		}
		return tx.Audit(Actor{Person: p}.audit("person.password_set", p.Email, "with a one-time link"))
	})
	return p, err
}

// Invitee is whom Invite adds to a group, and how.
type Invitee struct {
	Email, Name string
	Role        db.Role
	Expires     time.Time // a guest's end of access; zero for none
	// Handover asks for the set-password link instead of a mail, for someone who reads no mail at
	// the address; only administrators may, since the link opens the account.
	Handover bool
	// Unsent says the server sends no mail: the link of an account this invitation creates goes to
	// whoever invites, to hand over, rather than wait in an outbox only administrators read. Only
	// for a new account: it holds nothing but this group, so its link gives nothing else away.
	Unsent bool
}

// Invitation is what Invite did.
type Invitation struct {
	Person  db.Person
	Group   db.Group
	Created bool   // the account is new
	Again   bool   // they were invited before and had not chosen a password: the link is sent anew
	Mailed  bool   // the person had no password yet and was mailed a set-password link
	Link    string // that link's secret instead, when it is handed over
}

// Invite gives an invitee a role in group slug, creating the account when there is none. An
// account without a password gets a set-password link, mailed in the transaction of the grant, or
// returned for an administrator to hand over. Animators of the group and administrators invite; the
// grant is in the audit log like any other.
func (s *Service) Invite(ctx context.Context, by Actor, slug string, who Invitee) (Invitation, error) {
	email, err := NormalizeEmail(who.Email)
	if err != nil {
		return Invitation{}, err
	}
	if !who.Expires.IsZero() && !who.Expires.After(db.Now()) {
		return Invitation{}, inField("expires", fmt.Errorf("%w: an end of access in the past", ErrInvalid))
	}
	var inv Invitation
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		g, err := s.allowed(tx.R(), by, slug, PeopleInvite)
		if err != nil {
			return err
		}
		inv.Group = g
		p, err := tx.R().PersonByEmail(email)
		if errors.Is(err, db.ErrNotFound) {
			p = db.Person{Email: email, Name: strings.TrimSpace(who.Name)}
			if err := tx.CreatePerson(&p); err != nil {
				return err
			}
			inv.Created = true
			if err := tx.Audit(by.audit("person.create", email, "invited to "+slug)); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		inv.Person = p
		if _, err := tx.R().Membership(g.ID, p.ID); err == nil {
			// Already in the group: an invitation changes no role (that is Grant's, with its
			// checks); it only sends again the link of someone who has not chosen a password.
			if p.PasswordHash != "" {
				return inField("email", fmt.Errorf("%w: %s is in %s already", ErrExists, email, slug))
			}
			inv.Again = true
		} else if !errors.Is(err, db.ErrNotFound) {
			return err
		} else if err := tx.SetMembership(g.ID, p.ID, who.Role, by.Person.ID, who.Expires); err != nil {
			return err
		} else if err := closeRequests(tx, g.ID, p.ID, by.Person.ID); err != nil {
			return err
		} else if err := tx.Audit(by.audit("group.invite", slug+" "+email, string(who.Role))); err != nil {
			return err
		}
		if p.PasswordHash != "" {
			return nil
		}
		raw, err := passwordLink(tx, p)
		if err != nil {
			return err
		}
		if (who.Handover && by.isAdmin()) || (who.Unsent && inv.Created) {
			inv.Link = raw
			return tx.Audit(by.audit("person.link.handover", email, "invited to "+slug))
		}
		inv.Mailed = true
		return s.linkNotice(tx, Notice{To: p, Template: "invitation", Group: g, Role: who.Role}, raw)
	})
	s.grants.clear()
	s.queued(err)
	return inv, err
}

// SignUp creates an account for someone who asks for one on the sign-in page, without a password:
// the link mailed (in lang) to the address, in the same transaction, proves it is theirs. An
// address that has an account already gets ErrExists: one e-mail is one account, and the page says
// so.
func (s *Service) SignUp(ctx context.Context, email, name, lang string) (db.Person, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return db.Person{}, err
	}
	p := db.Person{Email: email, Name: strings.TrimSpace(name)}
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.CreatePerson(&p); errors.Is(err, db.ErrConflict) {
			return fmt.Errorf("%w: an account with the e-mail %s exists already", ErrExists, email)
		} else if err != nil {
			return err
		}
		raw, err := passwordLink(tx, p)
		if err != nil {
			return err
		}
		if err := s.linkNotice(tx, Notice{To: p, Template: "account.signup", Lang: lang}, raw); err != nil {
			return err
		}
		return tx.Audit(Actor{Label: "sign-up"}.audit("person.create", email, "self sign-up"))
	})
	s.queued(err)
	return p, err
}
