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

// BenchmarkConvocation measures an AG convocation: an animator's CalDAV PUT of an event that
// invites atelier's 200 members as one attendee, which queues 200 iMIP mails (rendered in French
// and English, each with its iTIP message and answer link) in the PUT's one transaction. The
// "limit" sub-benchmark is the floor under it: the same rows written directly in one transaction,
// 200 mails and the 200 iTIP messages delivered to the members' inboxes (RFC 6638). Run with go test -bench Convocation -run '^$' ./server.
func BenchmarkConvocation(b *testing.B) {
	t := &testing.T{}
	ts := newTestServer(t)
	defer ts.srv.Close()
	ctx := context.Background()
	for i := range 200 {
		email := fmt.Sprintf("adherent%03d@example.org", i)
		if _, err := ts.srv.in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: email}); err != nil {
			b.Fatal(err)
		}
		if err := ts.srv.in.access.Grant(ctx, access.CLI, "atelier", email, db.RoleMember, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	annaID := personID(t, ts, anna)
	audience := access.Audience{Group: "atelier", Least: db.RoleMember}.Address()
	made := 0 // events of every run so far: each iteration puts a new one, whatever -count says
	b.Run("parvis", func(b *testing.B) {
		before := mailCount(b, ts)
		for b.Loop() {
			made++
			uid := fmt.Sprintf("ag-%d", made)
			body := ical("BEGIN:VEVENT\nUID:" + uid + "\nDTSTAMP:20261121T100000Z\nDTSTART:20990601T160000Z\nDTEND:20990601T180000Z\n" +
				"SUMMARY:Assemblée générale\nORGANIZER:mailto:" + anna + "\nATTENDEE;CUTYPE=GROUP;CN=Atelier:" + audience + "\nEND:VEVENT\n")
			code, out, _ := ts.do(t, req{method: "PUT", path: fmt.Sprintf("/dav/calendars/%d/atelier~agenda/%s.ics", annaID, uid), user: anna, body: body,
				headers: []string{"Content-Type", "text/calendar"}})
			if code != 201 {
				b.Fatalf("PUT: %d %s", code, out)
			}
		}
		b.ReportMetric(float64(mailCount(b, ts)-before)/float64(b.N), "mails/op")
	})
	var members []int64
	for i := range 200 {
		p, err := ts.srv.in.db.R(ctx).PersonByEmail(fmt.Sprintf("adherent%03d@example.org", i))
		if err != nil {
			b.Fatal(err)
		}
		members = append(members, p.ID)
	}
	message := []byte(strings.Repeat("X", 900)) // an iTIP REQUEST's size
	b.Run("limit", func(b *testing.B) {
		for b.Loop() {
			made++
			err := ts.srv.in.db.Write(ctx, func(tx *db.Tx) error {
				for i, id := range members {
					if _, err := tx.QueueMail(fmt.Sprintf("adherent%03d@example.org", i), "Convocation", "Bonjour", "BEGIN:VCALENDAR"); err != nil {
						return err
					}
					inbox, err := tx.Inbox(id)
					if err != nil {
						return err
					}
					uid := fmt.Sprintf("floor-%d", made)
					if _, err := tx.PutObject(&db.Object{CollectionID: inbox.ID, Name: uid + ".ics", UID: uid, Component: "VEVENT", Data: message, Window: db.Everywhere}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

func mailCount(b *testing.B, ts *testServer) int {
	ms, err := ts.srv.in.db.R(context.Background()).Mails(1 << 30)
	if err != nil {
		b.Fatal(err)
	}
	return len(ms)
}
