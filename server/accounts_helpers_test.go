package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Helpers of the account tests (two-factor, sessions, GDPR).

// api sends a JSON API request from the browser, with its session and CSRF token.
func (b *browser) api(method, path, csrf, body string) (int, string) {
	b.t.Helper()
	r, _ := http.NewRequest(method, b.base+path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-CSRF-Token", csrf)
	resp, err := b.c.Do(r)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// mustGet fetches a page that must answer 200 and returns its body.
func mustGet(t *testing.T, b *browser, path string) string {
	t.Helper()
	status, body, _ := b.do("GET", path, nil)
	if status != 200 {
		t.Fatalf("GET %s: %d", path, status)
	}
	return body
}

// jsonField reads one string field of a JSON object.
func jsonField(t *testing.T, body, field string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	s, _ := m[field].(string)
	return s
}

// apiJSONAs is apiJSON with another password than the test one (an app password).
func (ts *testServer) apiJSONAs(t *testing.T, want int, method, path, user, password, body string, out any) {
	t.Helper()
	hr, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	hr.SetBasicAuth(user, password)
	if body != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", method, path, resp.StatusCode, want, got)
	}
	if out != nil {
		if err := json.Unmarshal(got, out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, got)
		}
	}
}

// auditActions returns the recent audit log, one "action target detail" per line.
func (ts *testServer) auditActions(t *testing.T) string {
	t.Helper()
	log, err := ts.srv.in.db.R(context.Background()).AuditLog(200)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range log {
		b.WriteString(e.Actor + " " + e.Action + " " + e.Target + " " + e.Detail + "\n")
	}
	return b.String()
}
