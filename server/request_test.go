package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"parvis/access"
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
