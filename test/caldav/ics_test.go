package caldav

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"parvis/test/harness"
)

// TestICSLink publishes a group agenda through the real front door, reads the link without any
// credentials, and revokes it. Publishing is the group's animators' decision: alice animates.
func TestICSLink(t *testing.T) {
	s := startServer(t)
	harness.Admin(t, s.DataDir, "", "group", "grant", "atelier", alice, "--role", "animator")
	c := davClient{base: s.Base, user: alice, password: alicePassword}
	agenda := "/dav/calendars/" + c.principalID(t) + "/atelier~agenda/"
	c.putAll(t, agenda, map[string]string{"collectif.ics": collectif, "ag.ics": assemblee}, "text/calendar")

	resp, out, err := c.do(http.MethodPost, agenda, "application/xml", `<CS:publish-calendar xmlns:CS="http://calendarserver.org/ns/"/>`)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("publish: %v %v %s", err, resp, out)
	}
	link := resp.Header.Get("Location")
	if !strings.HasPrefix(link, s.Base+"/ics/") {
		t.Fatalf("link %q is not on this server", link)
	}
	status, feed := publicGet(t, link)
	if status != http.StatusOK || strings.Count(feed, "BEGIN:VEVENT") != 3 || strings.Count(feed, "BEGIN:VTIMEZONE") != 1 ||
		!strings.Contains(feed, "SUMMARY:Assemblée générale\r\n") {
		t.Errorf("public feed: %d\n%s", status, feed)
	}
	resp, out, err = c.do(http.MethodPost, agenda, "application/xml", `<CS:unpublish-calendar xmlns:CS="http://calendarserver.org/ns/"/>`)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("unpublish: %v %v %s", err, resp, out)
	}
	if status, _ := publicGet(t, link); status != http.StatusNotFound {
		t.Errorf("revoked link answers %d", status)
	}
}

// publicGet reads a URL as someone outside the association: no credentials, no cookie.
func publicGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}
