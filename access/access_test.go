package access

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"parvis/storage/db"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("cheval batterie agrafe")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := CheckPassword(h, "cheval batterie agrafe"); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := CheckPassword(h, "cheval batterie agrafE"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := HashPassword("cheval batterie agrafe")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if _, err := CheckPassword("$2y$10$bcrypt", "x"); err == nil {
		t.Fatal("a non-argon2id hash must be an error")
	}
}

func TestNormalizeEmail(t *testing.T) {
	good := map[string]string{" Anne.Martin@Exemple.FR ": "Anne.Martin@exemple.fr", "a@b.c": "a@b.c"}
	for in, want := range good {
		if got, err := NormalizeEmail(in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "anne", "Anne <a@b.c>", "a@", "a b@c.d"} {
		if _, err := NormalizeEmail(in); err == nil {
			t.Errorf("NormalizeEmail(%q) accepted", in)
		}
	}
}

func newService(t *testing.T) *Service {
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return New(d)
}

// TestGrantsAndAccess covers who may grant, what each role may do, expiry and the audit trail.
func TestGrantsAndAccess(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	mk := func(email string) db.Person {
		p, err := s.CreatePerson(ctx, CLI, NewPerson{Email: email, Password: "un mot de passe long"})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	anna, bea, cleo := mk("anna@example.org"), mk("bea@example.org"), mk("cleo@example.org")
	if _, err := s.CreatePerson(ctx, CLI, NewPerson{Email: "ANNA@example.org"}); !errors.Is(err, ErrExists) {
		t.Fatalf("same e-mail twice: %v", err)
	}
	if _, err := s.CreatePerson(ctx, CLI, NewPerson{Email: "x@example.org", Password: "court"}); !errors.Is(err, ErrWeakPassword) {
		t.Fatalf("short password: %v", err)
	}
	if _, err := s.CreateGroup(ctx, CLI, "Mauvais Nom", ""); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad slug: %v", err)
	}
	if _, err := s.CreateGroup(ctx, CLI, "collectif", "Collectif"); err != nil {
		t.Fatal(err)
	}
	if err := s.Grant(ctx, CLI, "collectif", anna.Email, db.RoleAnimator, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Grant(ctx, Actor{Person: bea}, "collectif", cleo.Email, db.RoleMember, time.Time{}); !errors.Is(err, ErrNoAccess) {
		t.Fatalf("an outsider granted: %v", err)
	}
	if err := s.Grant(ctx, Actor{Person: anna}, "collectif", bea.Email, db.RoleGuest, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GroupAccess(ctx, bea, "collectif"); !errors.Is(err, ErrNoAccess) {
		t.Fatalf("an expired guest has access: %v", err)
	}
	if _, err := s.GroupAccess(ctx, cleo, "collectif"); !errors.Is(err, ErrNoAccess) {
		t.Fatalf("a non-member has access: %v", err)
	}
	if _, err := s.GroupAccess(ctx, anna, "nulle-part"); !errors.Is(err, ErrNoAccess) {
		t.Fatalf("unknown group: %v", err)
	}
	g, err := s.GroupAccess(ctx, anna, "collectif")
	if err != nil || !g.Allows(RolesGrant, "") || !g.Allows(FilesWrite, "/") {
		t.Fatalf("animator: %+v %v", g, err)
	}
	if err := s.Grant(ctx, Actor{Person: anna}, "collectif", bea.Email, db.RoleGuest, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	g, err = s.GroupAccess(ctx, bea, "collectif")
	if err != nil || !g.Allows(FilesRead, "/") || g.Allow(FilesWrite, "/") != ErrForbidden {
		t.Fatalf("guest: %+v %v", g, err)
	}
	log, err := s.db.R(ctx).AuditLog(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 || log[0].Action != "group.grant" || log[0].Actor != anna.Email || log[0].Target != "collectif bea@example.org" {
		t.Fatalf("audit trail: %+v", log)
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if _, err := s.CreatePerson(ctx, CLI, NewPerson{Email: "anna@example.org", Password: "un mot de passe long"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "Anna@Example.org", "un mot de passe long", "127.0.0.1"); err != nil {
		t.Fatalf("right credentials, other case: %v", err)
	}
	if _, err := s.Authenticate(ctx, "anna@example.org", "faux", "127.0.0.1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := s.Authenticate(ctx, "personne@example.org", "faux", "127.0.0.1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("unknown account: %v", err)
	}
}
