package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"parvis/access"
	"parvis/config"
	"parvis/storage/db"
)

// TestJoiningWorkflow: a person asks to join; only the group's animators decide; validation alone
// does not open the group that requires membership; activation is refused without dues and works
// once they are recorded; the person's DAV client then opens the folder. A refused request opens
// nothing, and the refused person is told why. Every step's mail reaches the SMTP server.
func TestJoiningWorkflow(t *testing.T) {
	ts, box := mailServer(t)
	ctx := context.Background()
	acc := ts.srv.in.access
	for _, p := range []access.NewPerson{{Email: "dsi@example.org", Password: pw, Admin: true}, {Email: "carla@example.org", Password: pw}, {Email: "denis@example.org", Password: pw}} {
		if _, err := acc.CreatePerson(ctx, access.CLI, p); err != nil {
			t.Fatal(err)
		}
	}
	davStatus := func(user string) int {
		hr, _ := http.NewRequest("PROPFIND", ts.URL+"/dav/files/atelier/", nil)
		hr.Header.Set("Depth", "0")
		hr.SetBasicAuth(user, pw)
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var req struct {
		ID     int64
		Status string
	}
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/requests", "carla@example.org", `{"message": "Je voudrais aider à l'atelier vélo."}`, &req)
	ts.apiJSON(t, 409, "POST", "/api/groups/atelier/requests", "carla@example.org", `{}`, nil)
	waitMail(t, box, anna)
	decision := fmt.Sprintf("/api/requests/%d/decision", req.ID)
	ts.apiJSON(t, 403, "POST", decision, alice, `{"accept": true}`, nil)
	ts.apiJSON(t, 200, "POST", decision, anna, `{"accept": true}`, &req)
	if req.Status != "validated" || davStatus("carla@example.org") != 404 {
		t.Fatalf("after validation: %s, DAV %d; want validated and still no access", req.Status, davStatus("carla@example.org"))
	}
	activate := fmt.Sprintf("/api/admin/requests/%d/activate", req.ID)
	ts.apiJSON(t, 403, "POST", activate, anna, "", nil)
	ts.apiJSON(t, 409, "POST", activate, "dsi@example.org", "", nil)
	ts.apiJSON(t, 204, "POST", "/api/admin/dues", "dsi@example.org", fmt.Sprintf(`{"email": "carla@example.org", "year": %d, "amount": 15}`, time.Now().Year()), nil)
	ts.apiJSON(t, 200, "POST", activate, "dsi@example.org", "", &req)
	if req.Status != "active" || davStatus("carla@example.org") != 207 {
		t.Fatalf("after activation: %s, DAV %d", req.Status, davStatus("carla@example.org"))
	}
	for deadline := time.Now().Add(10 * time.Second); box.count("carla@example.org") < 2; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("carla was told %d times, want at validation and at activation", box.count("carla@example.org"))
		}
	}

	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/requests", "denis@example.org", `{}`, &req)
	ts.apiJSON(t, 200, "POST", fmt.Sprintf("/api/requests/%d/decision", req.ID), anna, `{"accept": false, "reason": "groupe complet cette année"}`, &req)
	if req.Status != "refused" || davStatus("denis@example.org") != 404 {
		t.Fatalf("refused request: %s, DAV %d", req.Status, davStatus("denis@example.org"))
	}
	if body := waitMail(t, box, "denis@example.org"); !strings.Contains(body, "groupe complet") {
		t.Fatalf("the refusal's reason is not in the mail:\n%s", body)
	}
	ts.apiJSON(t, 404, "POST", "/api/groups/nulle-part/requests", "denis@example.org", `{}`, nil)
}

func waitMail(t *testing.T, b *smtpBox, to string) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b.mu.Lock()
		for _, m := range b.msgs {
			if m.to == to {
				b.mu.Unlock()
				return m.data
			}
		}
		b.mu.Unlock()
	}
	t.Fatalf("no mail to %s", to)
	return ""
}

// TestDuesActivationMails: where dues alone decide, the requester is mailed at each step whichever
// surface moved the request: validated by an animator on the API, then made a member by dues
// recorded from the command line, which mails "welcome" in the same transaction. Nobody else is
// mailed, and nothing twice.
func TestDuesActivationMails(t *testing.T) {
	ts, box := mailServer(t, func(c *config.Config) { c.Activation = "dues" })
	ctx := context.Background()
	acc := ts.srv.in.access
	if _, err := acc.CreatePerson(ctx, access.CLI, access.NewPerson{Email: "cleo@example.org", Name: "Cléo", Password: pw}); err != nil {
		t.Fatal(err)
	}
	var made struct{ ID int64 }
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/requests", "cleo@example.org", `{"message": "Je voudrais aider"}`, &made)
	if got := box.subjects(t, anna, 1); len(got) != 1 || !strings.Contains(got[0], "Atelier") {
		t.Fatalf("the animator was told %q", got)
	}
	ts.apiJSON(t, 200, "POST", fmt.Sprintf("/api/requests/%d/decision", made.ID), anna, `{"accept": true}`, nil)
	if got := box.subjects(t, "cleo@example.org", 1); len(got) != 1 || !strings.Contains(got[0], "acceptée") {
		t.Fatalf("after validation, cleo got %q", got)
	}
	ts.must(t, 404, req{method: "PROPFIND", path: "/dav/files/atelier/", user: "cleo@example.org", headers: []string{"Depth", "0"}})

	if err := acc.RecordDues(ctx, access.CLI, "cleo@example.org", db.Now().Year(), 1500, "cli"); err != nil {
		t.Fatal(err)
	}
	got := box.subjects(t, "cleo@example.org", 2)
	if len(got) != 2 || !strings.Contains(got[1], "Bienvenue dans Atelier") {
		t.Fatalf("after the dues, cleo got %q", got)
	}
	ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/", user: "cleo@example.org", headers: []string{"Depth", "0"}})
	time.Sleep(200 * time.Millisecond) // a duplicate would have arrived by now
	if n := box.count("cleo@example.org"); n != 2 {
		t.Fatalf("cleo got %d mails, want 2", n)
	}
}
