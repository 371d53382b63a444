package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"parvis/access"
	"parvis/storage/db"
)

// TestPublishedFolder: an animator publishes a folder to another group; its members see that folder
// (and the way to it) read-only, nothing else of the group; withdrawing it closes it again.
func TestPublishedFolder(t *testing.T) {
	ts := newTestServer(t)
	for _, p := range []string{"Ressources", "Ressources/mod%C3%A8les", "priv%C3%A9"} {
		ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/" + p, user: anna})
	}
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/Ressources/mod%C3%A8les/convocation.odt", user: anna, body: "modèle de convocation"})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/priv%C3%A9/notes.txt", user: anna, body: "notes internes"})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/racine.txt", user: anna, body: "à la racine"})

	ts.apiJSON(t, 403, "POST", "/api/groups/atelier/publications", alice, `{"path": "/Ressources", "audience": "bureau"}`, nil)
	ts.must(t, 404, req{method: "PROPFIND", path: "/dav/files/atelier/", user: bob, headers: []string{"Depth", "0"}})
	var pub struct{ ID int64 }
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/publications", anna, `{"path": "/Ressources", "audience": "bureau"}`, &pub)

	body, _ := ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/", user: bob, headers: []string{"Depth", "1"}})
	if !strings.Contains(body, "/dav/files/atelier/") {
		t.Fatalf("the publishing group is not listed for its readers:\n%s", body)
	}
	body, _ = ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/atelier/", user: bob, headers: []string{"Depth", "1"}})
	if !strings.Contains(body, "Ressources/") || strings.Contains(body, "priv") || strings.Contains(body, "racine") {
		t.Fatalf("a reader sees more than the way to the publication:\n%s", body)
	}
	got, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/Ressources/mod%C3%A8les/convocation.odt", user: bob})
	if got != "modèle de convocation" {
		t.Fatalf("published file: %q", got)
	}
	for _, r := range []req{
		{method: "GET", path: "/dav/files/atelier/priv%C3%A9/notes.txt"},
		{method: "GET", path: "/dav/files/atelier/racine.txt"},
		{method: "COPY", path: "/dav/files/atelier/", headers: []string{"Destination", "/dav/files/bureau/vol/"}},
	} {
		r.user = bob
		if code, _, _ := ts.do(t, r); code != 404 && code != 403 {
			t.Fatalf("%s %s by a reader: %d", r.method, r.path, code)
		}
	}
	ts.must(t, 403, req{method: "PUT", path: "/dav/files/atelier/Ressources/ajout.txt", user: bob, body: "x"})
	ts.must(t, 403, req{method: "DELETE", path: "/dav/files/atelier/Ressources/mod%C3%A8les/convocation.odt", user: bob})
	// Taking a copy into one's own group is reading.
	ts.must(t, 201, req{method: "COPY", path: "/dav/files/atelier/Ressources/mod%C3%A8les/convocation.odt", user: bob,
		headers: []string{"Destination", "/dav/files/bureau/convocation.odt"}})

	ts.apiJSON(t, 204, "DELETE", "/api/groups/atelier/publications/"+strconv.FormatInt(pub.ID, 10), anna, "", nil)
	ts.must(t, 404, req{method: "GET", path: "/dav/files/atelier/Ressources/mod%C3%A8les/convocation.odt", user: bob})

	// To every member of the association.
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/publications", anna, `{"path": "/Ressources/modèles", "audience": "all"}`, nil)
	ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/Ressources/mod%C3%A8les/convocation.odt", user: bob})
	ts.must(t, 404, req{method: "GET", path: "/dav/files/atelier/racine.txt", user: bob})
	var list struct {
		Publications []struct{ Path, Audience string }
	}
	ts.apiJSON(t, 200, "GET", "/api/groups/atelier/publications", alice, "", &list)
	if len(list.Publications) != 1 || list.Publications[0].Path != "/Ressources/modèles" || list.Publications[0].Audience != "all" {
		t.Fatalf("publications: %+v", list)
	}
}

// TestPublicationReaderReadsOnlyTheFolder: group collectif publishes /Ressources to every member. A
// member of another group reads that folder, and gets what an outsider gets (404) on everything else
// of collectif, over every surface: its other files and their history, its agenda, task list and
// address book, its trash, links, people, share links and publications, the zip of its root.
func TestPublicationReaderReadsOnlyTheFolder(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	acc := ts.srv.in.access
	if _, err := acc.CreateGroup(ctx, access.CLI, "collectif", "Collectif"); err != nil {
		t.Fatal(err)
	}
	if err := acc.Grant(ctx, access.CLI, "collectif", anna, db.RoleAnimator, time.Time{}); err != nil {
		t.Fatal(err)
	}
	bobID := personID(t, ts, bob)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/collectif/Ressources", user: anna})
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/collectif/Interne", user: anna})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/collectif/Ressources/modele.odt", user: anna, body: "modèle v1"})
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/collectif/Ressources/modele.odt", user: anna, body: "modèle"})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/collectif/prive.txt", user: anna, body: "confidentiel v1"})
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/collectif/prive.txt", user: anna, body: "confidentiel"})
	ts.fillCollections(t, anna, "collectif")
	ts.apiJSON(t, 201, "POST", "/api/groups/collectif/publications", anna, `{"path": "/Ressources", "audience": "all"}`, nil)
	var versions struct{ Versions []struct{ ID int64 } }
	ts.apiJSON(t, 200, "GET", "/api/groups/collectif/versions?path=/prive.txt", anna, "", &versions)
	if len(versions.Versions) != 1 {
		t.Fatalf("versions of prive.txt: %+v", versions)
	}
	old := strconv.FormatInt(versions.Versions[0].ID, 10)

	// What bob reads.
	if got, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/collectif/Ressources/modele.odt", user: bob}); got != "modèle" {
		t.Fatalf("published file: %q", got)
	}
	body, _ := ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/collectif/", user: bob, headers: []string{"Depth", "1"}})
	if !strings.Contains(body, "Ressources/") || strings.Contains(body, "prive") || strings.Contains(body, "Interne") {
		t.Fatalf("the way to the publication shows more:\n%s", body)
	}
	ts.must(t, 200, req{method: "GET", path: "/dav/files/collectif/Ressources/?zip", user: bob})

	// What bob may not reach: exactly what an outsider gets.
	dav := func(kind, coll, rest string) string {
		return fmt.Sprintf("/dav/%s/%d/collectif~%s/%s", kind, bobID, coll, rest)
	}
	depth0 := []string{"Depth", "0"}
	query := `<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>` +
		`<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`
	for _, r := range []req{
		{method: "GET", path: "/dav/files/collectif/prive.txt"},
		{method: "PROPFIND", path: "/dav/files/collectif/prive.txt", headers: depth0},
		{method: "PROPFIND", path: "/dav/files/collectif/Interne/", headers: depth0},
		{method: "GET", path: "/dav/files/collectif/prive.txt?version=" + old},
		{method: "GET", path: "/dav/files/collectif/Ressources/modele.odt?version=1"},
		{method: "PUT", path: "/dav/files/collectif/prive.txt", body: "écrasé"},
		{method: "DELETE", path: "/dav/files/collectif/prive.txt"},
		{method: "MKCOL", path: "/dav/files/collectif/Nouveau"},
		{method: "COPY", path: "/dav/files/collectif/prive.txt", headers: []string{"Destination", "/dav/files/bureau/prive.txt"}},
		{method: "GET", path: "/dav/files/collectif/?zip"},
		{method: "GET", path: "/dav/files/collectif/Interne/?zip"},
		{method: "GET", path: dav("calendars", "agenda", "item")},
		{method: "PROPFIND", path: dav("calendars", "agenda", ""), headers: depth0},
		{method: "REPORT", path: dav("calendars", "agenda", ""), body: query, headers: []string{"Depth", "1", "Content-Type", "application/xml"}},
		{method: "PUT", path: dav("calendars", "agenda", "new"), body: event("new"), headers: []string{"Content-Type", "text/calendar"}},
		{method: "GET", path: dav("calendars", "taches", "item")},
		{method: "MKCALENDAR", path: dav("calendars", "nouveau", "")},
		{method: "GET", path: dav("addressbooks", "contacts", "item")},
		{method: "PROPFIND", path: dav("addressbooks", "contacts", ""), headers: depth0},
	} {
		r.user = bob
		if code, got, _ := ts.do(t, r); code != 404 {
			t.Errorf("%s %s by a reader of the publication: %d\n%s", r.method, r.path, code, got)
		}
	}
	for _, space := range []string{"calendars", "addressbooks"} {
		body, _ := ts.must(t, 207, req{method: "PROPFIND", path: fmt.Sprintf("/dav/%s/%d/", space, bobID), user: bob, headers: []string{"Depth", "1"}})
		if strings.Contains(body, "collectif") {
			t.Errorf("bob's %s home shows collectif's collections:\n%s", space, body)
		}
	}
	for _, p := range []struct{ method, path, body string }{
		{"GET", "/api/groups/collectif/versions?path=/prive.txt", ""},
		{"GET", "/api/groups/collectif/versions?path=/Ressources/modele.odt", ""},
		{"POST", "/api/groups/collectif/versions/" + old + "/restore?path=/prive.txt", ""},
		{"GET", "/api/groups/collectif/trash", ""},
		{"DELETE", "/api/groups/collectif/trash", ""},
		{"GET", "/api/groups/collectif/shares", ""},
		{"POST", "/api/groups/collectif/shares", `{"path": "/Ressources/modele.odt"}`},
		{"GET", "/api/groups/collectif/publications", ""},
		{"POST", "/api/groups/collectif/publications", `{"path": "/Ressources", "audience": "bureau"}`},
		{"GET", "/api/groups/collectif/requests", ""},
	} {
		ts.apiJSON(t, 404, p.method, p.path, bob, p.body, nil)
	}
	b, _ := signInBrowser(t, ts, bob)
	for _, p := range []string{"agenda", "agenda/events?start=2026-11-01&end=2027-01-01", "agenda/new", "agenda/ev/edit",
		"tasks", "tasks/new", "tasks/td/edit", "contacts", "contacts/new", "contacts/vc", "links", "people", "trash",
		"item?path=/prive.txt", "item?path=/Interne", "files?path=/Interne"} {
		if code, _, _ := b.do("GET", "/groups/collectif/"+p, nil); code != 404 {
			t.Errorf("page /groups/collectif/%s for a reader: %d", p, code)
		}
	}
	for _, p := range []string{"files?path=/Ressources", "item?path=/Ressources/modele.odt"} {
		page := mustGet(t, b, "/groups/collectif/"+p)
		if strings.Contains(page, "prive") || strings.Contains(page, "version-restore") || strings.Contains(page, "?version=") {
			t.Errorf("page /groups/collectif/%s shows more than the published file:\n%s", p, page)
		}
	}
	if got, _ := ts.must(t, 200, req{method: "GET", path: "/dav/files/collectif/prive.txt", user: anna}); got != "confidentiel" {
		t.Fatalf("prive.txt changed: %q", got)
	}
}

// TestAPIFieldErrors: a request a person can correct is answered with the error's code and the
// field to correct, from the API's one error table.
func TestAPIFieldErrors(t *testing.T) {
	ts := newTestServer(t)
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/Ressources", user: anna})
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/publications", anna, `{"path": "/Ressources", "audience": "bureau"}`, nil)
	for _, c := range []struct {
		path, body  string
		status      int
		code, field string
	}{
		{"/api/groups/atelier/publications", `{"path": "/Ressources", "audience": "bureau"}`, 409, "already", "path"},
		{"/api/groups/atelier/publications", `{"path": "/Ressources", "audience": "personne"}`, 400, "invalid", "audience"},
		{"/api/groups/atelier/publications", `{"path": "/absent", "audience": "all"}`, 400, "invalid", "path"},
		{"/api/groups/atelier/invitations", `{"email": "pas une adresse", "role": "member"}`, 400, "invalid", "email"},
		{"/api/groups/atelier/invitations", `{"email": "` + alice + `", "role": "animator"}`, 409, "already", "email"},
		{"/api/groups/atelier/invitations", `{"email": "nouveau@example.org", "role": "guest", "expires": "2020-01-31"}`, 400, "invalid", "expires"},
	} {
		var got struct{ Error, Field string }
		ts.apiJSON(t, c.status, "POST", c.path, anna, c.body, &got)
		if got.Error != c.code || got.Field != c.field {
			t.Errorf("%s %s: %+v, want %s on %s", c.path, c.body, got, c.code, c.field)
		}
	}
}

// TestDuesSuspendedReadsNoPublication: a member whose only group is closed to him for unpaid dues
// reads no other group's publication either; once the dues are recorded, he reads it again.
func TestDuesSuspendedReadsNoPublication(t *testing.T) {
	cfg := testConfig(t)
	cfg.SuspendAfter = "01-01"
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	ctx := context.Background()
	acc := ts.srv.in.access
	if err := acc.RecordDues(ctx, access.CLI, anna, db.Now().Year(), 1500, "test"); err != nil {
		t.Fatal(err)
	}
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/Public", user: anna})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/Public/statuts.txt", user: anna, body: "statuts"})
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/publications", anna, `{"path": "/Public", "audience": "all"}`, nil)

	ts.must(t, 404, req{method: "GET", path: "/dav/files/atelier/Public/statuts.txt", user: bob})
	body, _ := ts.must(t, 207, req{method: "PROPFIND", path: "/dav/files/", user: bob, headers: []string{"Depth", "1"}})
	if strings.Contains(body, "atelier") {
		t.Fatalf("a dues-suspended member is shown the publishing group:\n%s", body)
	}
	if err := acc.RecordDues(ctx, access.CLI, bob, db.Now().Year(), 1500, "test"); err != nil {
		t.Fatal(err)
	}
	ts.must(t, 200, req{method: "GET", path: "/dav/files/atelier/Public/statuts.txt", user: bob})
}
