package calhttp

import (
	"net/http"
	"strings"
	"testing"
)

const propfindDiscovery = `<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="urn:ietf:params:xml:ns:carddav">
<D:prop><D:current-user-principal/><D:displayname/><C:calendar-home-set/><A:addressbook-home-set/><C:calendar-user-address-set/><D:principal-URL/><D:resourcetype/></D:prop></D:propfind>`

func TestDiscoveryFromRoot(t *testing.T) {
	f := newFixture(t)
	alice := f.people["alice"]
	principal := principalHref(alice)
	f.expect(f.do("alice", "PROPFIND", "/", propfindDiscovery, "Depth", "0"), http.StatusMultiStatus,
		"<D:current-user-principal><D:href>"+principal+"</D:href>", "<D:response><D:href>/</D:href>")
	f.expect(f.do("alice", "PROPFIND", principal, propfindDiscovery, "Depth", "0"), http.StatusMultiStatus,
		"<D:href>"+f.home("alice", "calendars")+"</D:href>", "<D:href>"+f.home("alice", "addressbooks")+"</D:href>",
		"mailto:alice@example.org", "<D:principal/>", "<D:displayname>alice</D:displayname>")
	w := f.do("alice", "GET", "/.well-known/caldav", "")
	if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/dav/" {
		t.Fatalf("well-known: %d %q", w.Code, w.Header().Get("Location"))
	}
	if w := f.do("", "OPTIONS", "/dav/", ""); w.Code != http.StatusOK || !strings.Contains(w.Header().Get("DAV"), "calendar-access") {
		t.Fatalf("OPTIONS without credentials: %d %v", w.Code, w.Header())
	}
	if w := f.do("", "PROPFIND", "/dav/", propfindDiscovery); w.Code != http.StatusUnauthorized {
		t.Fatalf("PROPFIND without a person: %d", w.Code)
	}
	// Another person's principal and home are invisible.
	f.expect(f.do("bob", "PROPFIND", principal, propfindDiscovery, "Depth", "0"), http.StatusNotFound)
	f.expect(f.do("bob", "PROPFIND", f.home("alice", "calendars"), propfindDiscovery, "Depth", "1"), http.StatusNotFound)
}

const propfindColl = `<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/">
<D:prop><D:displayname/><D:resourcetype/><D:current-user-privilege-set/><C:supported-calendar-component-set/><CS:getctag/><D:sync-token/></D:prop></D:propfind>`

func TestHomeListsGroupAndPersonalCollections(t *testing.T) {
	f := newFixture(t)
	body := f.expect(f.do("alice", "PROPFIND", f.home("alice", "calendars"), propfindColl, "Depth", "1"), http.StatusMultiStatus,
		f.home("alice", "calendars")+"atelier~agenda/", f.home("alice", "calendars")+"atelier~taches/",
		f.home("alice", "calendars")+"agenda/", f.home("alice", "calendars")+"taches/",
		`name="VTODO"`, "Atelier — agenda", "<D:write/>")
	if strings.Contains(body, "bureau") {
		t.Fatalf("alice sees bureau:\n%s", body)
	}
	f.expect(f.do("alice", "PROPFIND", f.home("alice", "addressbooks"), propfindColl, "Depth", "1"), http.StatusMultiStatus,
		"atelier~contacts/", "<A:addressbook")
	// A guest is told the group's agenda is read-only; their own stays writable.
	guest := f.expect(f.do("gaston", "PROPFIND", f.home("gaston", "calendars")+"atelier~agenda/", propfindColl, "Depth", "0"),
		http.StatusMultiStatus, "<D:read/>")
	if strings.Contains(guest, "<D:write") {
		t.Fatalf("guest gets write privileges:\n%s", guest)
	}
	f.expect(f.do("gaston", "PROPFIND", f.home("gaston", "calendars")+"agenda/", propfindColl, "Depth", "0"),
		http.StatusMultiStatus, "<D:write/>")
	// Bob cannot reach atelier's agenda even through his own home.
	f.expect(f.do("bob", "PROPFIND", f.home("bob", "calendars")+"atelier~agenda/", propfindColl, "Depth", "0"), http.StatusNotFound)
}
