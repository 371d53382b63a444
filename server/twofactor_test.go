package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// enrolTwoFactor turns two-factor on for user over the API and returns the secret and the
// recovery codes. The enrolment's code is the one of the time step of the returned clock.
func (ts *testServer) enrolTwoFactor(t *testing.T, user string) (totpClock, []string) {
	t.Helper()
	var start struct{ Secret, URI string }
	ts.apiJSON(t, 201, "POST", "/api/me/2fa", user, "", &start)
	if start.Secret == "" || !strings.HasPrefix(start.URI, "otpauth://totp/") || !strings.Contains(start.URI, "secret="+start.Secret) {
		t.Fatalf("enrolment: %+v", start)
	}
	ts.apiJSON(t, 400, "POST", "/api/me/2fa/confirm", user, `{"code": "000000"}`, nil)
	var done struct {
		Enabled       bool
		RecoveryCodes []string `json:"recovery_codes"`
	}
	clock := totpClock{secret: start.Secret, base: time.Now()}
	ts.apiJSON(t, 200, "POST", "/api/me/2fa/confirm", user, `{"code": "`+clock.code(t, 0)+`"}`, &done)
	if !done.Enabled || len(done.RecoveryCodes) != 10 {
		t.Fatalf("confirmation: %+v", done)
	}
	return clock, done.RecoveryCodes
}

// totpClock makes an authenticator app's codes from one instant, so that "the same code" and "the
// next code" stay so even when a test crosses a 30-second boundary.
type totpClock struct {
	secret string
	base   time.Time
}

// code returns the TOTP code of the time step steps away from the base.
func (k totpClock) code(t *testing.T, steps int) string {
	c, err := totp.GenerateCode(k.secret, k.base.Add(time.Duration(steps)*30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signInWithCode signs b in with the password and then code; it returns the final status.
func signInWithCode(t *testing.T, b *browser, email, code string) (int, string) {
	t.Helper()
	tok := b.form("/login")
	status, _, h := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {pw}})
	if status != 303 || h.Get("Location") != "/login/code" {
		t.Fatalf("password step: %d → %s", status, h.Get("Location"))
	}
	if status, _, _ := b.do("GET", "/", nil); status != 303 {
		t.Fatalf("the password alone opened a session: %d", status)
	}
	tok = b.form("/login/code")
	status, body, _ := b.do("POST", "/login/code", url.Values{"_csrf": {tok}, "code": {code}})
	return status, body
}

// TestTwoFactor: enrolment, sign-in with a code, a wrong or replayed code refused, a recovery code
// working once, and DAV refusing the account password once two-factor is on while an app password
// works.
func TestTwoFactor(t *testing.T) {
	ts := newTestServer(t)
	clock, recovery := ts.enrolTwoFactor(t, alice)

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
	if c := propfind(pw); c != 401 {
		t.Fatalf("DAV with the account password and two-factor on: %d", c)
	}
	ts.must(t, 401, req{method: "GET", path: "/api/me/app-passwords", user: alice})

	b := newBrowser(t, ts.URL, "fr")
	if status, body := signInWithCode(t, b, alice, "123456"); status != 401 || !strings.Contains(body, "Code incorrect") {
		t.Fatalf("wrong code: %d\n%s", status, body)
	}
	tok := b.form("/login/code")
	if status, _, _ := b.do("POST", "/login/code", url.Values{"_csrf": {tok}, "code": {clock.code(t, 0)}}); status != 401 {
		t.Fatalf("the enrolment's code replayed: %d", status)
	}
	next := clock.code(t, 1)
	if status, _, _ := b.do("POST", "/login/code", url.Values{"_csrf": {tok}, "code": {next}}); status != 303 {
		t.Fatalf("sign-in with a fresh code: %d", status)
	}
	if status, _, _ := b.do("GET", "/", nil); status != 200 {
		t.Fatalf("home after the code: %d", status)
	}
	other := newBrowser(t, ts.URL, "fr")
	if status, _ := signInWithCode(t, other, alice, next); status != 401 {
		t.Fatalf("the same code in another browser: %d", status)
	}

	// An app password made from the signed-in browser opens DAV.
	csrf := csrfRE.FindStringSubmatch(mustGet(t, b, "/"))[1]
	status, body := b.api("POST", "/api/me/app-passwords", csrf, `{"name": "Téléphone"}`)
	if status != 201 {
		t.Fatalf("app password: %d %s", status, body)
	}
	app := jsonField(t, body, "password")
	if c := propfind(app); c != 207 {
		t.Fatalf("DAV with an app password and two-factor on: %d", c)
	}

	// A recovery code works once, typed in capitals and without dashes too.
	r0 := strings.ToUpper(strings.ReplaceAll(recovery[0], "-", ""))
	if status, _ := signInWithCode(t, newBrowser(t, ts.URL, "fr"), alice, r0); status != 303 {
		t.Fatalf("recovery code: %d", status)
	}
	if status, _ := signInWithCode(t, newBrowser(t, ts.URL, "fr"), alice, recovery[0]); status != 401 {
		t.Fatalf("recovery code used twice: %d", status)
	}
	var st struct {
		Enabled bool
		Left    int `json:"recovery_codes_left"`
	}
	ts.apiJSONAs(t, 200, "GET", "/api/me/2fa", alice, app, "", &st)
	if !st.Enabled || st.Left != 9 {
		t.Fatalf("status: %+v", st)
	}
	ts.apiJSONAs(t, 409, "POST", "/api/me/2fa", alice, app, "", nil) // would replace the secret in force

	// Turning it off needs a code; then the account password opens DAV again.
	ts.apiJSONAs(t, 400, "DELETE", "/api/me/2fa", alice, app, `{"code": "000000"}`, nil)
	ts.apiJSONAs(t, 204, "DELETE", "/api/me/2fa", alice, app, `{"code": "`+recovery[1]+`"}`, nil)
	if c := propfind(pw); c != 207 {
		t.Fatalf("DAV with the account password once two-factor is off: %d", c)
	}
	audit := ts.auditActions(t)
	for _, a := range []string{"2fa.enable", "auth.second_factor", "2fa.disable"} {
		if !strings.Contains(audit, a) {
			t.Errorf("audit log lacks %s:\n%s", a, audit)
		}
	}
}

// TestWebSignInRefusesAppPasswords: a device password is not a way into the web pages.
func TestWebSignInRefusesAppPasswords(t *testing.T) {
	ts := newTestServer(t)
	var made struct{ Password string }
	ts.apiJSON(t, 201, "POST", "/api/me/app-passwords", alice, `{"name": "portable"}`, &made)
	b := newBrowser(t, ts.URL, "en")
	tok := b.form("/login")
	if status, _, _ := b.do("POST", "/login", url.Values{"_csrf": {tok}, "email": {alice}, "password": {made.Password}}); status != 401 {
		t.Fatalf("web sign-in with an app password: %d", status)
	}
}

// TestTwoFactorCodeAsAppsShowIt: the confirmation of a new authenticator takes the code as apps
// display it, "336 642" (with a no-break space too), as the sign-in does.
func TestTwoFactorCodeAsAppsShowIt(t *testing.T) {
	ts := newTestServer(t)
	var start struct{ Secret string }
	ts.apiJSON(t, 201, "POST", "/api/me/2fa", alice, "", &start)
	clock := totpClock{secret: start.Secret, base: time.Now()}
	code := clock.code(t, 0)
	ts.apiJSON(t, 200, "POST", "/api/me/2fa/confirm", alice, `{"code": "`+code[:3]+"\u00a0"+code[3:]+`"}`, nil)
}
