package server

import (
	"strconv"
	"strings"
	"testing"
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
