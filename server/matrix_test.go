package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

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
