package calhttp

import (
	"net/http"
	"strings"
	"testing"
)

func principalSearch(test, match string) string {
	attr := ""
	if test != "" {
		attr = ` test="` + test + `"`
	}
	return `<?xml version="1.0"?><D:principal-property-search xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"` + attr + `>` +
		`<D:property-search><D:prop><D:displayname/></D:prop><D:match>` + match + `</D:match></D:property-search>` +
		`<D:property-search><D:prop><C:calendar-user-address-set/></D:prop><D:match>` + match + `</D:match></D:property-search>` +
		`<D:prop><D:displayname/><C:calendar-user-address-set/><C:calendar-home-set/></D:prop></D:principal-property-search>`
}

// TestPrincipalSearch: a client finds whom to invite among the requester's colleagues, by name or
// address, from the principal collection the principal names; nobody outside their groups is
// found, and a found person's homes are not told.
func TestPrincipalSearch(t *testing.T) {
	f := newFixture(t)
	principal := strings.TrimSuffix(f.home("alice", "calendars"), "/")
	principal = strings.Replace(principal, "/calendars/", "/principals/", 1) + "/"
	body := f.expect(f.do("alice", "PROPFIND", principal, `<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:principal-collection-set/>`+
		`<D:supported-report-set/></D:prop></D:propfind>`, "Depth", "0"), http.StatusMultiStatus, "<D:principal-collection-set><D:href>/dav/</D:href>",
		"principal-property-search")
	_ = body
	found := f.expect(f.do("alice", "REPORT", "/dav/", principalSearch("anyof", "ANN"), "Depth", "0"), http.StatusMultiStatus,
		"mailto:anna@example.org", "<D:displayname>anna</D:displayname>")
	if strings.Contains(found, "alice@") || strings.Contains(found, "calendar-home-set><D:href") {
		t.Fatalf("the search for ann:\n%s", found)
	}
	all := f.expect(f.do("alice", "REPORT", "/dav/", principalSearch("anyof", "example.org"), "Depth", "0"), http.StatusMultiStatus,
		"mailto:alice@", "mailto:anna@", "mailto:gaston@")
	if strings.Contains(all, "bob@") {
		t.Fatalf("bob, of another group, was found:\n%s", all)
	}
	if none := f.expect(f.do("alice", "REPORT", principal, principalSearch("", "bob"), "Depth", "0"), http.StatusMultiStatus); strings.Contains(none, "bob") {
		t.Fatalf("the search for bob:\n%s", none)
	}
	// allof: the name must match as well as the address.
	if both := f.expect(f.do("alice", "REPORT", "/dav/", principalSearch("allof", "mailto:"), "Depth", "0"), http.StatusMultiStatus); strings.Contains(both, "<D:href>/dav/principals/") {
		t.Fatalf("allof matched on the address alone:\n%s", both)
	}
	f.expect(f.do("alice", "REPORT", "/dav/", `<?xml version="1.0"?><D:principal-search-property-set xmlns:D="DAV:"/>`, "Depth", "0"),
		http.StatusOK, "<D:displayname/>", "calendar-user-address-set")
	f.expect(f.do("alice", "REPORT", "/dav/", `<?xml version="1.0"?><D:principal-property-search xmlns:D="DAV:"><D:prop/></D:principal-property-search>`, "Depth", "0"),
		http.StatusBadRequest)
}
