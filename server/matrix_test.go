package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"parvis/access"
	"parvis/storage/db"
)

// TestAuthorizationMatrix asks, for each kind of person, each kind of resource and each of read and
// write, what the server answers: nothing leaks, nothing legitimate is refused. A person outside a
// group gets 404 (the group's existence is not revealed); a reader who may not write gets 403.
func TestAuthorizationMatrix(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	acc := ts.srv.in.access
	for _, np := range []access.NewPerson{
		{Email: "admin@example.org", Password: pw, Admin: true},
		{Email: "admin2@example.org", Password: pw, Admin: true},
		{Email: "nobody@example.org", Password: pw},
		{Email: "suspended@example.org", Password: pw},
	} {
		if _, err := acc.CreatePerson(ctx, access.CLI, np); err != nil {
			t.Fatal(err)
		}
	}
	if err := acc.Grant(ctx, access.CLI, "atelier", "suspended@example.org", db.RoleMember, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := acc.Suspend(ctx, access.CLI, "suspended@example.org", true); err != nil {
		t.Fatal(err)
	}
	// Content to read in every collection of atelier, and one in bureau.
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/doc.txt", user: anna, body: "doc"})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/bureau/secret.txt", user: bob, body: "secret"})
	ts.fillCollections(t, anna, "atelier")

	type access struct{ read, write int }
	people := []struct {
		who              string
		files, cal, card access // atelier's folder, agenda (and tasks), address book
		bureau           access // another group's folder
		admin            int    // an administrators' page
	}{
		{"nobody@example.org", access{404, 404}, access{404, 404}, access{404, 404}, access{404, 404}, 403},
		{"suspended@example.org", access{401, 401}, access{401, 401}, access{401, 401}, access{401, 401}, 401},
		{gus, access{207, 403}, access{207, 403}, access{207, 403}, access{404, 404}, 403},
		{alice, access{207, 201}, access{207, 201}, access{207, 201}, access{404, 404}, 403},
		{anna, access{207, 201}, access{207, 201}, access{207, 201}, access{404, 404}, 403},
		{"admin@example.org", access{404, 404}, access{404, 404}, access{404, 404}, access{404, 404}, 200},
	}
	for _, p := range people {
		t.Run(p.who, func(t *testing.T) {
			id := personID(t, ts, p.who)
			n := 0
			check := func(what string, want int, r req) {
				t.Helper()
				n++
				r.user = p.who
				code, _, _ := ts.do(t, r)
				// A suspended account's right password counts as a failed sign-in: after ten, the
				// throttle answers 429 instead of 401 — refused all the same.
				if want == 401 && code == 429 {
					code = 401
				}
				if code != want {
					t.Errorf("%s: %s %s → %d, want %d", what, r.method, r.path, code, want)
				}
			}
			depth0 := []string{"Depth", "0"}
			check("folder read", p.files.read, req{method: "PROPFIND", path: "/dav/files/atelier/doc.txt", headers: depth0})
			check("folder write", p.files.write, req{method: "PUT", path: fmt.Sprintf("/dav/files/atelier/new-%d.txt", id), body: "x"})
			for _, coll := range []string{"agenda", "taches"} {
				base := fmt.Sprintf("/dav/calendars/%d/atelier~%s/", id, coll)
				check(coll+" read", p.cal.read, req{method: "PROPFIND", path: base + "item", headers: depth0})
				body := event(fmt.Sprintf("w%d", id))
				if coll == "taches" {
					body = todo(fmt.Sprintf("w%d", id))
				}
				check(coll+" write", p.cal.write, req{method: "PUT", path: base + fmt.Sprintf("new-%d", id), body: body,
					headers: []string{"Content-Type", contentTypeFor(coll)}})
			}
			book := fmt.Sprintf("/dav/addressbooks/%d/atelier~contacts/", id)
			check("contacts read", p.card.read, req{method: "PROPFIND", path: book + "item", headers: depth0})
			check("contacts write", p.card.write, req{method: "PUT", path: book + fmt.Sprintf("new-%d", id), body: vcard(fmt.Sprintf("w%d", id)),
				headers: []string{"Content-Type", "text/vcard"}})
			check("other group read", p.bureau.read, req{method: "GET", path: "/dav/files/bureau/secret.txt"})
			check("other group write", p.bureau.write, req{method: "PUT", path: "/dav/files/bureau/intrus.txt", body: "x"})
			check("admin page", p.admin, req{method: "GET", path: "/api/admin/requests"})
			if n != 11 {
				t.Fatalf("%d checks", n)
			}
		})
	}
	// Nothing of bureau changed, whatever was tried.
	if body, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/bureau/secret.txt", user: bob}); body != "secret" {
		t.Fatal("bureau's file changed")
	}
	ts.must(t, 404, req{method: "GET", path: "/dav/files/bureau/intrus.txt", user: bob})
}

// fillCollections puts an object named item in each of the group's collections: an event (UID ev)
// in its agenda, a task (td) in its task list, a contact (vc) in its address book.
func (ts *testServer) fillCollections(t *testing.T, user, slug string) {
	t.Helper()
	id := personID(t, ts, user)
	for coll, body := range map[string]string{"agenda": event("ev"), "taches": todo("td"), "contacts": vcard("vc")} {
		kind := "calendars"
		if coll == "contacts" {
			kind = "addressbooks"
		}
		ts.must(t, 201, req{method: "PUT", path: fmt.Sprintf("/dav/%s/%d/%s~%s/item", kind, id, slug, coll), user: user, body: body,
			headers: []string{"Content-Type", contentTypeFor(coll)}})
	}
}

func personID(t *testing.T, ts *testServer, email string) int64 {
	p, err := ts.srv.in.db.R(context.Background()).PersonByEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func contentTypeFor(coll string) string {
	if coll == "contacts" {
		return "text/vcard"
	}
	return "text/calendar"
}

func ical(body string) string {
	return strings.ReplaceAll("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Parvis//test//FR\n"+body+"END:VCALENDAR\n", "\n", "\r\n")
}

func event(uid string) string {
	return ical("BEGIN:VEVENT\nUID:" + uid + "\nDTSTAMP:20261121T100000Z\nDTSTART:20261201T180000Z\nDTEND:20261201T200000Z\nSUMMARY:Collectif\nEND:VEVENT\n")
}

func todo(uid string) string {
	return ical("BEGIN:VTODO\nUID:" + uid + "\nDTSTAMP:20261121T100000Z\nSUMMARY:Préparer l'AG\nEND:VTODO\n")
}

func vcard(uid string) string {
	return strings.ReplaceAll("BEGIN:VCARD\nVERSION:3.0\nUID:"+uid+"\nFN:Contact "+uid+"\nN:Contact;"+uid+";;;\nEND:VCARD\n", "\n", "\r\n")
}
