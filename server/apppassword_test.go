package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"parvis/access"
)

// TestAppPasswords: a device password made through the API opens DAV, shows when it was used, and
// stops working the moment it is revoked; a made-up one in the same shape is refused.
func TestAppPasswords(t *testing.T) {
	ts := newTestServer(t)
	var made struct {
		ID       int64
		Password string
	}
	ts.apiJSON(t, 201, "POST", "/api/me/app-passwords", alice, `{"name": "Téléphone (DAVx⁵)"}`, &made)
	if len(made.Password) != 27 {
		t.Fatalf("app password %q", made.Password)
	}
	propfind := func(password string) int {
		hr, _ := http.NewRequest("PROPFIND", ts.URL+"/dav/files/atelier/", nil)
		hr.Header.Set("Depth", "0")
		hr.SetBasicAuth(alice, password)
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := propfind(made.Password); c != 207 {
		t.Fatalf("DAV with the app password: %d", c)
	}
	if c := propfind("aaaaaa-bbbbbb-cccccc-dddddd"); c != 401 {
		t.Fatalf("a made-up app password: %d", c)
	}
	body, _ := ts.must(t, 200, req{method: "GET", path: "/api/me/app-passwords", user: alice})
	if !strings.Contains(body, "Téléphone (DAVx⁵)") || !strings.Contains(body, "last_used_at") || strings.Contains(body, made.Password) {
		t.Fatalf("list: %s", body)
	}
	ts.must(t, 404, req{method: "DELETE", path: "/api/me/app-passwords/" + strconv.FormatInt(made.ID, 10), user: bob})
	ts.must(t, 204, req{method: "DELETE", path: "/api/me/app-passwords/" + strconv.FormatInt(made.ID, 10), user: alice})
	if c := propfind(made.Password); c != 401 {
		t.Fatalf("DAV with a revoked app password: %d", c)
	}
	if c := propfind(pw); c != 207 {
		t.Fatalf("the account password still works: %d", c)
	}
}

// TestAppPasswordNotLockedOutByOthers: someone's wrong passwords hold the account, and its owner's
// new device with an app password (never seen, so not remembered) signs in and syncs; the account
// password, which signed in before, goes on working, while further guesses are refused.
func TestAppPasswordNotLockedOutByOthers(t *testing.T) {
	ts := newTestServer(t)
	var app struct{ Password string }
	ts.apiJSON(t, 201, "POST", "/api/me/app-passwords", alice, `{"name": "téléphone"}`, &app)
	for range 12 { // from the attacker
		davSignIn(t, ts, alice, "devinette")
	}
	if _, err := ts.srv.in.access.SignIn(context.Background(), alice, "encore-une", "127.0.0.3"); !errors.Is(err, access.ErrThrottled) {
		t.Fatalf("a guess while the account is held: %v, want ErrThrottled", err)
	}
	if _, err := ts.srv.in.access.SignIn(context.Background(), alice, pw, "127.0.0.3"); err != nil {
		t.Fatalf("the account password, which signed in before, while the account is held: %v", err)
	}
	ts.apiJSONAs(t, 200, "GET", "/api/me/2fa", alice, app.Password, "", nil)
	if c := davSignIn(t, ts, alice, app.Password); c != 207 {
		t.Fatalf("the device's app password while the account is held: %d", c)
	}
}
