package server

import (
	"context"
	"fmt"
	"testing"
	"time"

	"parvis/access"
	"parvis/config"
	"parvis/storage/db"
)

// BenchmarkListDistribution measures one message to a list of 1,000 members, from the relay's
// LMTP DATA to its answer: the message is parsed and stored, its 1,000 recipients computed by
// access (each member in force, dues checked) and 1,000 copies queued, in one transaction, before
// the listener answers. The "limit" sub-benchmark is the floor under it: the same message row and
// 1,000 delivery rows written bare in one transaction. Run with
// go test -run '^$' -bench ListDistribution -benchtime 20x -count 3 ./server.
func BenchmarkListDistribution(b *testing.B) {
	t := &testing.T{}
	ts, _, lmtp := listServer(t, func(c *config.Config) { c.SMTP.Host, c.Lists.MaxPerHour = "", 1<<30 })
	defer ts.srv.Close()
	ctx := context.Background()
	acc := ts.srv.in.access
	year := db.Now().Year()
	for i := range 1000 {
		email := fmt.Sprintf("adherent%04d@example.org", i)
		if _, err := acc.CreatePerson(ctx, access.CLI, access.NewPerson{Email: email}); err != nil {
			b.Fatal(err)
		}
		if err := acc.Grant(ctx, access.CLI, "atelier", email, db.RoleMember, time.Time{}); err != nil {
			b.Fatal(err)
		}
		if err := acc.RecordDues(ctx, access.CLI, email, year, 1500, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	if err := acc.SetRequiresMembership(ctx, access.CLI, "atelier", true); err != nil {
		b.Fatal(err)
	}
	l, err := acc.CreateList(ctx, access.CLI, "atelier", access.NewList{Address: "atelier", Name: "Atelier", Audience: "members",
		Posters: "audience", Others: "moderate", ReplyTo: "list"})
	if err != nil {
		b.Fatal(err)
	}
	people, err := acc.ListRecipients(ts.srv.in.db.R(ctx), l)
	if err != nil || len(people) < 1000 {
		b.Fatalf("%d recipients, %v", len(people), err)
	}
	n := 0 // messages of every run so far: each iteration sends a new one, whatever -count says
	b.Run("parvis", func(b *testing.B) {
		for b.Loop() {
			n++
			got := lmtpSend(t, lmtp, anna, []string{"atelier@" + listsDomain}, message(anna, fmt.Sprintf("Nouvelles %d", n), "Bonjour à toutes et à tous."))
			if err := got["atelier@"+listsDomain]; err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(people)), "copies/op")
	})
	raw := []byte(message(anna, "Nouvelles", "Bonjour à toutes et à tous."))
	b.Run("limit", func(b *testing.B) {
		for b.Loop() {
			n++
			err := ts.srv.in.db.Write(ctx, func(tx *db.Tx) error {
				m := db.ListMessage{ListID: l.ID, MessageID: fmt.Sprintf("floor-%d@example.org", n), Sender: anna, Subject: "Nouvelles",
					Status: db.MessageDistributed, Raw: raw}
				if err := tx.AddListMessage(&m); err != nil {
					return err
				}
				return tx.AddListDeliveries(m.ID, people)
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
