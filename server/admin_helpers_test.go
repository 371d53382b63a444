package server

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"

	"parvis/access"
)

// Helpers of the administration tests.

const dsi = "dsi@example.org"

// withAdmin adds the administrator dsi to a test instance and returns a browser signed in as them,
// with a CSRF token for the forms.
func withAdmin(t *testing.T, ts *testServer) (*browser, string) {
	t.Helper()
	_, err := ts.srv.in.access.CreatePerson(context.Background(), access.CLI, access.NewPerson{Email: dsi, Password: pw, Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	return signInBrowser(t, ts, dsi)
}

// post sends a form with the CSRF token.
func (b *browser) post(path, csrf string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", csrf)
	return b.do("POST", path, form)
}

// upload sends a multipart form with one file, as a browser's file input does.
func (b *browser) upload(path, csrf, field, name string, content []byte) (int, string) {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", csrf)
	fw, _ := w.CreateFormFile(field, name)
	fw.Write(content)
	w.Close()
	r, _ := http.NewRequest("POST", b.base+path, &body)
	r.Header.Set("Content-Type", w.FormDataContentType())
	r.Header.Set("Accept-Language", b.lang)
	resp, err := b.c.Do(r)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// davReply answers the status and body of a Depth 0 PROPFIND of path with these credentials.
func davReply(t *testing.T, ts *testServer, path, user, password string) (int, string) {
	t.Helper()
	hr, _ := http.NewRequest("PROPFIND", ts.URL+path, nil)
	hr.Header.Set("Depth", "0")
	hr.SetBasicAuth(user, password)
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
