package server

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"parvis/access"
	"parvis/locale"
	"parvis/storage/db"
)

// TestGuestExpiryMail: a guest whose access ends within seven days gets one mail through the real
// SMTP server, and the group's animator a note, however often housekeeping runs; a guest whose end
// is further away gets nothing yet; once the end date is past, the guest's DAV client is refused.
func TestGuestExpiryMail(t *testing.T) {
	ts, box := mailServer(t)
	ctx := context.Background()
	acc := ts.srv.in.access
	soon := time.Now().Add(3 * 24 * time.Hour)
	if err := acc.Grant(ctx, access.CLI, "atelier", gus, db.RoleGuest, soon); err != nil {
		t.Fatal(err)
	}
	if err := acc.Grant(ctx, access.CLI, "bureau", alice, db.RoleGuest, time.Now().Add(30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		ts.srv.adminChores(ctx)
	}
	if body := box.body(t, gus); !strings.Contains(body, "Atelier") || !strings.Contains(body, locale.Day("fr", soon)) || !strings.Contains(body, locale.Day("en", soon)) {
		t.Fatalf("the guest's mail does not say which group and when:\n%s", body)
	}
	if body := box.body(t, anna); !strings.Contains(body, gus) || !strings.Contains(body, "/groups/atelier/people") {
		t.Fatalf("the animator's note does not name the guest:\n%s", body)
	}
	time.Sleep(300 * time.Millisecond) // room for a duplicate to arrive, if one were queued
	ts.srv.adminChores(ctx)
	time.Sleep(300 * time.Millisecond)
	if n := box.count(gus); n != 1 {
		t.Fatalf("the guest got %d mails, want 1", n)
	}
	if n := box.count(alice); n != 0 {
		t.Fatalf("a guest with 30 days left was warned (%d mails)", n)
	}

	if code, _ := davReply(t, ts, "/dav/files/atelier/", gus, pw); code != 207 {
		t.Fatalf("before the end: %d", code)
	}
	if err := acc.Grant(ctx, access.CLI, "atelier", gus, db.RoleGuest, time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if code, _ := davReply(t, ts, "/dav/files/atelier/", gus, pw); code != 404 {
		t.Fatalf("after the end: %d, want 404", code)
	}
}

// TestGroupWithoutMembership: in a group that requires no membership, the animators' validation
// alone opens the group, without activation nor dues; the administrators' page sets the flag.
func TestGroupWithoutMembership(t *testing.T) {
	ts := newTestServer(t)
	admin, csrf := withAdmin(t, ts)
	ctx := context.Background()
	if _, err := ts.srv.in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: "carla@example.org", Password: pw}); err != nil {
		t.Fatal(err)
	}
	join := func(slug string) string {
		t.Helper()
		var r struct {
			ID     int64
			Status string
		}
		ts.apiJSON(t, 201, "POST", "/api/groups/"+slug+"/requests", "carla@example.org", `{}`, &r)
		ts.apiJSON(t, 200, "POST", fmt.Sprintf("/api/requests/%d/decision", r.ID), anna, `{"accept": true}`, &r)
		return r.Status
	}
	if st := join("atelier"); st != "validated" {
		t.Fatalf("membership required: %s, want validated (waiting for activation)", st)
	}
	if code, _ := davReply(t, ts, "/dav/files/atelier/", "carla@example.org", pw); code != 404 {
		t.Fatalf("validated only: DAV %d", code)
	}
	if body := mustGet(t, admin, "/admin/requests"); !strings.Contains(body, "carla@example.org") {
		t.Fatal("the activation queue lacks carla")
	}
	ts.srv.in.access.Grant(ctx, access.CLI, "commun", anna, db.RoleAnimator, time.Time{})
	if code, _, _ := admin.post("/admin/groups/commun/membership", csrf, url.Values{"requires": {"0"}}); code != 303 {
		t.Fatalf("flag: %d", code)
	}
	if st := join("commun"); st != "active" {
		t.Fatalf("no membership required: %s, want active", st)
	}
	if code, _ := davReply(t, ts, "/dav/files/commun/", "carla@example.org", pw); code != 207 {
		t.Fatalf("validation alone must open the group: DAV %d", code)
	}
	if !strings.Contains(ts.auditActions(t), "group.requires_membership commun false") {
		t.Fatal("the flag's change is not audited")
	}
}

// TestAdminActivationPage: activating from the page is refused without dues, with the reason on the
// request's line, and works once they are recorded.
func TestAdminActivationPage(t *testing.T) {
	ts := newTestServer(t)
	admin, csrf := withAdmin(t, ts)
	ctx := context.Background()
	ts.srv.in.access.CreatePerson(ctx, access.CLI, access.NewPerson{Email: "carla@example.org", Password: pw})
	var r struct{ ID int64 }
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/requests", "carla@example.org", `{"message": "<b>bonjour</b>"}`, &r)
	ts.apiJSON(t, 200, "POST", fmt.Sprintf("/api/requests/%d/decision", r.ID), anna, `{"accept": true}`, nil)
	activate := fmt.Sprintf("/admin/requests/%d/activate", r.ID)
	code, body, _ := admin.post(activate, csrf, nil)
	if code != 409 || !strings.Contains(body, "cotisation de cette année") || !strings.Contains(body, "&lt;b&gt;bonjour") {
		t.Fatalf("activation without dues: %d\n%s", code, body)
	}
	admin.post("/admin/dues", csrf, url.Values{"email": {"carla@example.org"}, "year": {fmt.Sprint(time.Now().Year())}, "amount": {"15"}})
	if code, _, _ := admin.post(activate, csrf, nil); code != 303 {
		t.Fatalf("activation with dues: %d", code)
	}
	if code, _ := davReply(t, ts, "/dav/files/atelier/", "carla@example.org", pw); code != 207 {
		t.Fatalf("activated: DAV %d", code)
	}
}
