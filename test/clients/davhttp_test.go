package clients

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"
)

// These helpers look at the server's state with plain HTTP, independently
// of the client under test: a client that reports success is not proof
// that the server stored what it was given.

var httpClient = &http.Client{Timeout: 30 * time.Second}

// do sends one request as user and returns the status code and body.
func (s *server) do(t *testing.T, user, method, rawURL string, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, passwords[user])
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, rawURL, err)
	}
	return resp.StatusCode, string(b)
}

// davResponse is one <D:response> of a 207 Multi-Status, reduced to what
// the tests look at.
type davResponse struct {
	Href     string `xml:"href"`
	Propstat []struct {
		Status string `xml:"status"`
		Prop   struct {
			Props []struct {
				XMLName xml.Name
				Value   string `xml:",innerxml"`
			} `xml:",any"`
		} `xml:"prop"`
	} `xml:"propstat"`
}

// propfind sends PROPFIND with the given depth and body (allprop if
// empty) and returns the responses. Any status other than 207 fails.
func (s *server) propfind(t *testing.T, user, rawURL, depth, body string) []davResponse {
	t.Helper()
	if body == "" {
		body = `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>`
	}
	code, resp := s.do(t, user, "PROPFIND", rawURL, body, map[string]string{
		"Depth": depth, "Content-Type": "application/xml; charset=utf-8"})
	if code != http.StatusMultiStatus {
		t.Fatalf("PROPFIND %s as %s: status %d, want 207\n%s", rawURL, user, code, resp)
	}
	var ms struct {
		Responses []davResponse `xml:"response"`
	}
	if err := xml.Unmarshal([]byte(resp), &ms); err != nil {
		t.Fatalf("PROPFIND %s: unparsable multistatus: %v\n%s", rawURL, err, resp)
	}
	return ms.Responses
}

// children returns the names of a collection's members (PROPFIND Depth:
// 1): the decoded last segment of each href, without trailing slash.
func (s *server) children(t *testing.T, user, collURL string) map[string]bool {
	t.Helper()
	self, err := url.Parse(collURL)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, r := range s.propfind(t, user, collURL, "1", "") {
		u, err := url.Parse(strings.TrimSpace(r.Href))
		if err != nil {
			t.Fatalf("bad href %q: %v", r.Href, err)
		}
		if strings.TrimSuffix(u.Path, "/") == strings.TrimSuffix(self.Path, "/") {
			continue // the collection itself
		}
		names[path.Base(strings.TrimSuffix(u.Path, "/"))] = true
	}
	return names
}

// prop returns the value of one property of a resource (Depth: 0) and
// whether the server returned it with a 200 propstat.
func (s *server) prop(t *testing.T, user, rawURL, space, local string) (string, bool) {
	t.Helper()
	body := `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><x:` + local +
		` xmlns:x="` + space + `"/></D:prop></D:propfind>`
	for _, r := range s.propfind(t, user, rawURL, "0", body) {
		for _, ps := range r.Propstat {
			if !strings.Contains(ps.Status, " 200 ") {
				continue
			}
			for _, p := range ps.Prop.Props {
				if p.XMLName.Space == space && p.XMLName.Local == local {
					return p.Value, true
				}
			}
		}
	}
	return "", false
}
