package access

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"parvis/storage/db"
)

// A HelloAsso-like export: semicolons, a BOM, French headers and amounts, and broken lines.
const helloAsso = "\ufeffNuméro de commande;Date de la commande;Statut de la commande;Nom adhérent;Prénom adhérent;Email payeur;Montant\n" +
	"1001;02/01/YEAR 14:05;Validé;Martin;Anne;anne@example.org;15,00\n" +
	"1002;03/01/YEAR 09:00;Validé;Durand;Paul;paul@example.org;abc\n" +
	"1003;04/01/YEAR 10:00;Validé;Inconnu;Ivan;ivan@example.org;20,00\n" +
	"1004;pas une date;Validé;Lee;Léa;lea@example.org;10\n" +
	"1005;05/01/YEAR 11:00;Validé;Lee;Léa;LEA@example.org;1 015,50 €\n"

// TestImportDues: good lines are recorded, each bad one is reported with its reason and changes
// nothing; with the "dues" policy, a validated request becomes membership once its dues arrive.
func TestImportDues(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	s.SetPolicy(Policy{DuesRequired: true})
	for _, e := range []string{"anne@example.org", "paul@example.org", "lea@example.org", "anim@example.org"} {
		if _, err := s.CreatePerson(ctx, CLI, NewPerson{Email: e, Password: "un mot de passe long"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateGroup(ctx, CLI, "atelier", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Grant(ctx, CLI, "atelier", "anim@example.org", db.RoleAnimator, time.Time{}); err != nil {
		t.Fatal(err)
	}
	anne, _ := s.db.R(ctx).PersonByEmail("anne@example.org")
	anim, _ := s.db.R(ctx).PersonByEmail("anim@example.org")
	req, err := s.Request(ctx, anne, "atelier", "")
	if err != nil {
		t.Fatal(err)
	}
	if req, err = s.Decide(ctx, Actor{Person: anim}, req.ID, true, ""); err != nil || req.Status != db.RequestValidated {
		t.Fatalf("validated without dues: %+v %v", req, err)
	}

	year := time.Now().Year()
	rep, err := s.ImportDues(ctx, CLI, strings.NewReader(strings.ReplaceAll(helloAsso, "YEAR", itoa(year))), "test")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 2 || len(rep.Lines) != 5 {
		t.Fatalf("report: %+v", rep)
	}
	want := map[int]string{3: "amount", 4: "no account", 5: "date"}
	for _, l := range rep.Lines {
		if w, bad := want[l.Line]; bad != !l.OK || bad && !strings.Contains(l.Reason, w) {
			t.Errorf("line %d: %+v", l.Line, l)
		}
	}
	lea, _ := s.db.R(ctx).PersonByEmail("lea@example.org")
	if paid, _ := s.db.R(ctx).DuesPaid(lea.ID, year); !paid {
		t.Fatal("Léa's dues (second line, e-mail in capitals) not recorded")
	}
	paul, _ := s.db.R(ctx).PersonByEmail("paul@example.org")
	if paid, _ := s.db.R(ctx).DuesPaid(paul.ID, year); paid {
		t.Fatal("a broken line was recorded")
	}
	if g, err := s.GroupAccess(ctx, anne, "atelier"); err != nil || !g.Allows(FilesWrite, "/") {
		t.Fatalf("Anne's validated request did not become membership with her dues: %v", err)
	}
	if _, err := s.ImportDues(ctx, CLI, strings.NewReader("nom;prenom\nx;y\n"), "bad"); err == nil || !strings.Contains(err.Error(), "email") {
		t.Fatalf("a file without an e-mail column: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestSuspensionAfterDate: after the suspension day, a member who has not paid the year's dues loses
// the group (nothing deleted), a guest keeps it, and recording the dues gives it back.
func TestSuspensionAfterDate(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	s.SetPolicy(Policy{AdminActivates: true, DuesRequired: true, SuspendMonth: time.April, SuspendDay: 30})
	for _, e := range []string{"membre@example.org", "invite@example.org"} {
		if _, err := s.CreatePerson(ctx, CLI, NewPerson{Email: e, Password: "un mot de passe long"}); err != nil {
			t.Fatal(err)
		}
	}
	s.CreateGroup(ctx, CLI, "bureau", "")
	s.Grant(ctx, CLI, "bureau", "membre@example.org", db.RoleMember, time.Time{})
	s.Grant(ctx, CLI, "bureau", "invite@example.org", db.RoleGuest, time.Date(2027, 12, 31, 0, 0, 0, 0, time.Local))
	membre, _ := s.db.R(ctx).PersonByEmail("membre@example.org")
	invite, _ := s.db.R(ctx).PersonByEmail("invite@example.org")
	has := func(p db.Person) bool {
		s.grants.clear()
		_, err := s.GroupAccess(ctx, p, "bureau")
		return err == nil
	}
	restore := db.SetClock(func() time.Time { return time.Date(2027, 4, 30, 12, 0, 0, 0, time.Local) })
	if !has(membre) {
		t.Fatal("suspended on the last day to pay")
	}
	restore()
	restore = db.SetClock(func() time.Time { return time.Date(2027, 5, 1, 9, 0, 0, 0, time.Local) })
	defer restore()
	if has(membre) || !has(invite) {
		t.Fatalf("on 1 May: member %v (want no access), guest %v (want access)", has(membre), has(invite))
	}
	if gs, _ := s.Groups(ctx, membre); len(gs) != 0 {
		t.Fatalf("a suspended member still lists %v", gs)
	}
	if err := s.RecordDues(ctx, CLI, "membre@example.org", 2027, 1500, "test"); err != nil {
		t.Fatal(err)
	}
	if !has(membre) {
		t.Fatal("paying did not restore the access")
	}
	if m, err := s.db.R(ctx).Membership(1, membre.ID); err != nil || m.Role != db.RoleMember {
		t.Fatalf("the membership itself must never have been deleted: %+v %v", m, err)
	}
}

// TestDuesFollowTheAssociationsDay: the suspension day starts at midnight where the association is,
// not where the server's clock is, and a dues file's dates are the association's days.
func TestDuesFollowTheAssociationsDay(t *testing.T) {
	ctx := context.Background()
	kiritimati, err := time.LoadLocation("Pacific/Kiritimati") // UTC+14: already May 1 at noon UTC on April 30
	if err != nil {
		t.Fatal(err)
	}
	s := newService(t)
	s.SetPolicy(Policy{AdminActivates: true, DuesRequired: true, SuspendMonth: time.April, SuspendDay: 30, Zone: kiritimati})
	if _, err := s.CreatePerson(ctx, CLI, NewPerson{Email: "membre@example.org", Password: "un mot de passe long"}); err != nil {
		t.Fatal(err)
	}
	s.CreateGroup(ctx, CLI, "bureau", "")
	s.Grant(ctx, CLI, "bureau", "membre@example.org", db.RoleMember, time.Time{})
	membre, _ := s.db.R(ctx).PersonByEmail("membre@example.org")
	restore := db.SetClock(func() time.Time { return time.Date(2027, 4, 30, 12, 0, 0, 0, time.UTC) })
	defer restore()
	if _, err := s.GroupAccess(ctx, membre, "bureau"); err == nil {
		t.Fatal("at noon UTC on April 30 it is May 1 in Kiritimati: the unpaid member must be suspended")
	}
	// Paid on the evening of December 31st, 2026, association time: that is already 2027 in UTC.
	rep, err := s.ImportDues(ctx, CLI, strings.NewReader("email;date;montant\nmembre@example.org;31/12/2026 23:30;15\n"), "test")
	if err != nil || rep.Imported != 1 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	if paid, _ := s.db.R(ctx).DuesPaid(membre.ID, 2026); !paid {
		t.Fatal("dues paid on December 31st association time were not counted for that year")
	}
}
