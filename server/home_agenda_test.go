package server

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// TestHomeAgenda: the home page gathers the coming meetings of all the person's groups, the open
// tasks assigned to them or to nobody, and the requests waiting for them as animator or
// administrator.
func TestHomeAgenda(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	for _, p := range []access.NewPerson{{Email: "dsi@example.org", Password: pw, Admin: true}, {Email: "carla@example.org", Password: pw},
		{Email: "denis@example.org", Password: pw}} {
		if _, err := ts.srv.in.access.CreatePerson(ctx, access.CLI, p); err != nil {
			t.Fatal(err)
		}
	}
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format("20060102") }
	put := func(group, coll, name, body string) {
		path := fmt.Sprintf("/dav/calendars/%d/%s~%s/%s", personID(t, ts, alice), group, coll, name)
		ts.must(t, 201, req{method: "PUT", path: path, user: alice, body: ical(body), headers: []string{"Content-Type", "text/calendar"}})
	}
	put("atelier", "agenda", "soon.ics", "BEGIN:VEVENT\nUID:soon\nDTSTAMP:20261121T100000Z\nDTSTART;VALUE=DATE:"+day(2)+"\nSUMMARY:Atelier réparation\nEND:VEVENT\n")
	put("commun", "agenda", "commun.ics", "BEGIN:VEVENT\nUID:c\nDTSTAMP:20261121T100000Z\nDTSTART;TZID=Europe/Paris:"+day(5)+"T180000\nDTEND;TZID=Europe/Paris:"+day(5)+"T200000\nSUMMARY:Réunion <b>commune</b>\nEND:VEVENT\n")
	put("atelier", "agenda", "far.ics", "BEGIN:VEVENT\nUID:far\nDTSTAMP:20261121T100000Z\nDTSTART;VALUE=DATE:"+day(40)+"\nSUMMARY:Trop loin\nEND:VEVENT\n")
	put("atelier", "taches", "mine.ics", "BEGIN:VTODO\nUID:mine\nDTSTAMP:20261121T100000Z\nDUE;VALUE=DATE:"+day(3)+"\nSUMMARY:Ma tâche\nATTENDEE:mailto:alice@example.org\nEND:VTODO\n")
	put("atelier", "taches", "nobody.ics", "BEGIN:VTODO\nUID:nobody\nDTSTAMP:20261121T100000Z\nSUMMARY:Tâche libre\nEND:VTODO\n")
	put("atelier", "taches", "annas.ics", "BEGIN:VTODO\nUID:annas\nDTSTAMP:20261121T100000Z\nSUMMARY:Tâche d'Anna\nATTENDEE:mailto:anna@example.org\nEND:VTODO\n")
	put("atelier", "taches", "done.ics", "BEGIN:VTODO\nUID:done\nDTSTAMP:20261121T100000Z\nSUMMARY:Déjà faite\nSTATUS:COMPLETED\nEND:VTODO\n")

	_, home, _ := signedIn(t, ts, alice).do("GET", "/", nil)
	wants(t, "alice's home", home, "Atelier réparation", "Réunion &lt;b&gt;commune&lt;/b&gt;", "Ma tâche", "Tâche libre", "/groups/atelier/files")
	for _, absent := range []string{"Trop loin", "Tâche d&#39;Anna", "Déjà faite", "/groups/atelier/people"} {
		if strings.Contains(home, absent) {
			t.Errorf("alice's home shows %q", absent)
		}
	}
	if strings.Index(home, "Ma tâche") > strings.Index(home, "Tâche libre") {
		t.Error("a task due first is not listed first")
	}

	var r1, r2 struct{ ID int64 }
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/requests", "carla@example.org", `{}`, &r1)
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/requests", "denis@example.org", `{}`, &r2)
	ts.apiJSON(t, 200, "POST", fmt.Sprintf("/api/requests/%d/decision", r2.ID), anna, `{"accept": true}`, nil)
	_, home, _ = signedIn(t, ts, anna).do("GET", "/", nil)
	wants(t, "anna's home", home, `href="/groups/atelier/people"`, "Atelier : 1 en attente", "Tâche d&#39;Anna")
	_, home, _ = signedIn(t, ts, "dsi@example.org").do("GET", "/", nil)
	wants(t, "the administrator's home", home, `href="/admin/requests"`)
}

// TestAgendaEventsFeedLarge: an agenda of 5,000 events answers FullCalendar's month and the page's
// list (no timing asserted here: the benchmarks measure).
func TestAgendaEventsFeedLarge(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	d := ts.srv.in.db
	g, err := d.R(ctx).GroupBySlug("atelier")
	if err != nil {
		t.Fatal(err)
	}
	coll, err := d.R(ctx).Collection(g.ID, 0, db.KindCalendar, "agenda")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2027, 1, 1, 8, 0, 0, 0, time.UTC)
	err = d.Write(ctx, func(tx *db.Tx) error {
		for i := range 5000 {
			s := start.Add(time.Duration(i) * 105 * time.Minute) // about a year of meetings
			body := ical(fmt.Sprintf("BEGIN:VEVENT\nUID:e%d\nDTSTAMP:20261121T100000Z\nDTSTART:%s\nDTEND:%s\nSUMMARY:Réunion %d\nCATEGORIES:collectif\nEND:VEVENT\n",
				i, s.Format("20060102T150405Z"), s.Add(time.Hour).Format("20060102T150405Z"), i))
			o, err := calendar.Prepare(coll, fmt.Sprintf("e%d.ics", i), []byte(body))
			if err != nil {
				return err
			}
			if _, err := tx.PutObject(&o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b := signedIn(t, ts, alice)
	q := url.Values{"start": {"2027-03-01T00:00:00"}, "end": {"2027-04-12T00:00:00"}, "timeZone": {"Europe/Paris"}}
	code, body, _ := b.do("GET", "/groups/atelier/agenda/events?"+q.Encode(), nil)
	if n := strings.Count(body, `"id":`); code != 200 || n < 500 || n > 600 {
		t.Fatalf("six weeks of a 5,000-event agenda: %d, %d events", code, n)
	}
	if code, _, _ := b.do("GET", "/groups/atelier/agenda", nil); code != 200 {
		t.Fatalf("the agenda page: %d", code)
	}
}

// TestHomeSaysWhatAGuestMayDo: a guest's home page says, beside the group, that they read only and
// until which day; a member's says neither.
func TestHomeSaysWhatAGuestMayDo(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	paris, _ := time.LoadLocation("Europe/Paris") // the association's zone
	end := time.Date(time.Now().Year()+1, time.June, 30, 0, 0, 0, 0, paris).AddDate(0, 0, 1)
	if _, err := ts.srv.in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: "visite@example.org", Password: pw}); err != nil {
		t.Fatal(err)
	}
	if err := ts.srv.in.access.Grant(ctx, access.CLI, "atelier", "visite@example.org", db.RoleGuest, end); err != nil {
		t.Fatal(err)
	}
	home := mustGet(t, signedIn(t, ts, "visite@example.org"), "/")
	if !strings.Contains(home, "lecture seule") || !strings.Contains(home, "jusqu&#39;au") || !strings.Contains(home, "30 juin") {
		t.Fatalf("the guest's home page does not say what they may do:\n%s", home)
	}
	if home := mustGet(t, signedIn(t, ts, alice), "/"); strings.Contains(home, "lecture seule") || strings.Contains(home, "jusqu&#39;au") {
		t.Fatal("a member's home page says read only or an end")
	}
}

// TestHomeOfSomeoneInNoGroup: joining a group is the first thing the home page offers a person in
// none, with what joining takes; a member's home offers it no more.
func TestHomeOfSomeoneInNoGroup(t *testing.T) {
	ts := newTestServer(t)
	if _, err := ts.srv.in.access.CreatePerson(context.Background(), access.CLI, access.NewPerson{Email: "nouvelle@example.org", Password: pw}); err != nil {
		t.Fatal(err)
	}
	home := mustGet(t, signedIn(t, ts, "nouvelle@example.org"), "/")
	wants(t, "the home of someone in no group", home, "Premier pas\u00a0: rejoindre un groupe", `<a class="button" href="/groups">Voir les groupes</a>`,
		"cotisation de l&#39;année")
	if strings.Index(home, "rejoindre un groupe") > strings.Index(home, "home-tasks-title") {
		t.Error("joining is not the first thing on the page")
	}
	if strings.Contains(mustGet(t, signedIn(t, ts, alice), "/"), "rejoindre un groupe") {
		t.Error("a member is still offered to join a first group")
	}
}
