package server

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Helpers of the agenda, tasks and contacts page scenarios: what the pages wrote is read back the
// way clients read it, over CalDAV and CardDAV.

var hrefRE = regexp.MustCompile(`<(?:[A-Za-z]+:)?href>([^<]+\.(?:ics|vcf))</(?:[A-Za-z]+:)?href>`)

// davObjects lists a group collection over DAV as user (PROPFIND Depth 1) and GETs every object:
// href → body, with line folding undone so that tests can look for whole properties.
func davObjects(t *testing.T, ts *testServer, user, space, coll string) map[string]string {
	t.Helper()
	base := fmt.Sprintf("/dav/%s/%d/atelier~%s/", space, personID(t, ts, user), coll)
	body, _ := ts.must(t, 207, req{method: "PROPFIND", path: base, user: user, headers: []string{"Depth", "1"}})
	out := map[string]string{}
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		got, _ := ts.must(t, 200, req{method: "GET", path: m[1], user: user})
		out[m[1]] = strings.ReplaceAll(got, "\r\n ", "")
	}
	return out
}

// onlyObject is the single object of a collection that contains marker.
func onlyObject(t *testing.T, objs map[string]string, marker string) (string, string) {
	t.Helper()
	var href, body string
	for h, b := range objs {
		if strings.Contains(b, marker) {
			if href != "" {
				t.Fatalf("two objects contain %q", marker)
			}
			href, body = h, b
		}
	}
	if href == "" {
		t.Fatalf("no object contains %q among %d", marker, len(objs))
	}
	return href, body
}

// postForm is submit without the headers.
func (b *browser) postForm(getPath, path string, form url.Values) (int, string) {
	b.t.Helper()
	code, body, _ := b.submit(getPath, path, form)
	return code, body
}

// wants fails unless body holds every one of the strings.
func wants(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s lacks %q:\n%s", what, s, body)
		}
	}
}

// regexp1 is the first submatch of pattern in s.
func regexp1(t *testing.T, pattern, s string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in:\n%s", pattern, s)
	}
	return m[1]
}
