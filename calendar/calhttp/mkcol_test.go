package calhttp

import (
	"net/http"
	"strings"
	"testing"
)

const mkcalendarTasks = `<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/">
<D:set><D:prop><D:displayname>Chantier jardin</D:displayname><C:calendar-description>Les tâches du jardin partagé</C:calendar-description>
<C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set><I:calendar-color>#2E8B57FF</I:calendar-color>
</D:prop></D:set></C:mkcalendar>`

func TestMakeRenameDeleteCollections(t *testing.T) {
	f := newFixture(t)
	home := f.home("alice", "calendars")
	f.expect(f.do("alice", "MKCALENDAR", home+"atelier~jardin/", mkcalendarTasks), http.StatusCreated)
	f.expect(f.do("alice", "MKCALENDAR", home+"atelier~jardin/", mkcalendarTasks), http.StatusMethodNotAllowed)
	f.expect(f.do("gaston", "PROPFIND", f.home("gaston", "calendars")+"atelier~jardin/", propfindColl, "Depth", "0"), http.StatusMultiStatus,
		"Chantier jardin", `name="VTODO"`)
	f.expect(f.do("gaston", "MKCALENDAR", f.home("gaston", "calendars")+"atelier~autre/", ""), http.StatusForbidden)
	f.expect(f.do("bob", "MKCALENDAR", f.home("bob", "calendars")+"atelier~autre/", ""), http.StatusNotFound)
	// An event does not go into a task list.
	f.expect(f.do("alice", "PUT", home+"atelier~jardin/e.ics", event("e", "20270101T100000Z", "20270101T110000Z", "")),
		http.StatusForbidden, "supported-calendar-component")

	patch := `<D:propertyupdate xmlns:D="DAV:" xmlns:I="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Jardin</D:displayname>` +
		`<I:calendar-order>3</I:calendar-order></D:prop></D:set></D:propertyupdate>`
	f.expect(f.do("alice", "PROPPATCH", home+"atelier~jardin/", patch), http.StatusMultiStatus, "HTTP/1.1 200 OK")
	f.expect(f.do("alice", "PROPFIND", home+"atelier~jardin/", propfindColl, "Depth", "0"), http.StatusMultiStatus, "<D:displayname>Jardin</D:displayname>")
	// All or nothing: a protected property fails the whole PROPPATCH.
	bad := `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Autre</D:displayname><D:getetag>x</D:getetag></D:prop></D:set></D:propertyupdate>`
	f.expect(f.do("alice", "PROPPATCH", home+"atelier~jardin/", bad), http.StatusMultiStatus, "HTTP/1.1 403", "HTTP/1.1 424")
	f.expect(f.do("alice", "PROPFIND", home+"atelier~jardin/", propfindColl, "Depth", "0"), http.StatusMultiStatus, "<D:displayname>Jardin</D:displayname>")
	f.expect(f.do("gaston", "PROPPATCH", f.home("gaston", "calendars")+"atelier~jardin/", patch), http.StatusForbidden)

	// Extended MKCOL makes an address book; a calendar resourcetype is refused in the address book home.
	mkcol := `<D:mkcol xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><A:addressbook/></D:resourcetype>` +
		`<D:displayname>Partenaires</D:displayname></D:prop></D:set></D:mkcol>`
	f.expect(f.do("alice", "MKCOL", f.home("alice", "addressbooks")+"partenaires/", mkcol), http.StatusCreated)
	f.expect(f.do("alice", "MKCOL", f.home("alice", "calendars")+"x/", mkcol), http.StatusForbidden, "valid-resourcetype")

	f.expect(f.do("alice", "DELETE", home+"atelier~agenda/", ""), http.StatusForbidden)
	f.expect(f.do("gaston", "DELETE", f.home("gaston", "calendars")+"atelier~jardin/", ""), http.StatusForbidden)
	f.expect(f.do("alice", "DELETE", home+"atelier~jardin/", ""), http.StatusNoContent)
	if out := f.expect(f.do("alice", "PROPFIND", home, propfindColl, "Depth", "1"), http.StatusMultiStatus); strings.Contains(out, "jardin") {
		t.Fatalf("deleted collection still listed:\n%s", out)
	}
	// The group's collections made and deleted are in the audit log; personal ones are not.
	want := "collection.delete alice@example.org calendar atelier~jardin|collection.create alice@example.org calendar atelier~jardin" // newest first
	if got := f.audited("collection."); got != want {
		t.Errorf("audit log: %q\nwant %q", got, want)
	}
}
