package server

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestContactsPage: contacts made with the form are vCards CardDAV clients read; editing a card a
// client wrote keeps what the form does not show; the list is searched by name.
func TestContactsPage(t *testing.T) {
	ts := newTestServer(t)
	b := signedIn(t, ts, alice)
	form := url.Values{"given": {"Élodie"}, "family": {"Durand"}, "email": {"elodie@example.org"}, "tel": {"+33 6 12 34 56 78"},
		"org": {"Mairie"}, "street": {"1 place de la Mairie"}, "postcode": {"35000"}, "locality": {"Rennes"}, "note": {"Salle polyvalente"}}
	if code, body := b.postForm("/groups/atelier/contacts/new", "/groups/atelier/contacts/new", form); code != 303 {
		t.Fatalf("create: %d\n%s", code, body)
	}
	_, card := onlyObject(t, davObjects(t, ts, alice, "addressbooks", "contacts"), "elodie@example.org")
	wants(t, "the card over CardDAV", card, "VERSION:4.0", "FN:Élodie Durand", "N:Durand;Élodie;", "TEL:+33 6 12 34 56 78",
		"ORG:Mairie", "ADR:;;1 place de la Mairie;Rennes;;35000;", "NOTE:Salle polyvalente")

	base := fmt.Sprintf("/dav/addressbooks/%d/atelier~contacts/", personID(t, ts, alice))
	raw := strings.ReplaceAll("BEGIN:VCARD\nVERSION:3.0\nUID:paul-client\nFN:Paul Martin\nN:Martin;Paul;;;\n"+
		"EMAIL;TYPE=WORK:paul@example.org\nEMAIL;TYPE=HOME:paul@perso.example\nTEL;TYPE=CELL:0600000000\n"+
		"X-ABLabel:Trésorier\nBDAY:1970-01-01\nCATEGORIES:partenaires\nEND:VCARD\n", "\n", "\r\n")
	ts.must(t, 201, req{method: "PUT", path: base + "paul.vcf", user: alice, body: raw, headers: []string{"Content-Type", "text/vcard"}})
	_, edit, _ := b.do("GET", "/groups/atelier/contacts/paul-client/edit", nil)
	wants(t, "the form of a client's card", edit, `value="paul@example.org"`, `value="0600000000"`)
	form = url.Values{"fn": {"Paul Martin"}, "family": {"Martin"}, "given": {"Paul"}, "email": {"paul.martin@example.org"}, "tel": {"0600000000"},
		"etag": {regexp1(t, `name="etag" value="([0-9a-f]+)"`, edit)}}
	if code, body := b.postForm("/groups/atelier/contacts/paul-client/edit", "/groups/atelier/contacts/paul-client/edit", form); code != 303 {
		t.Fatalf("edit: %d\n%s", code, body)
	}
	got, _ := ts.must(t, 200, req{method: "GET", path: base + "paul.vcf", user: alice})
	wants(t, "the edited card", got, "VERSION:3.0", "X-ABLABEL:Trésorier" /* names are case-insensitive; go-vcard writes them upper-case */, "BDAY:1970-01-01", "CATEGORIES:partenaires",
		"EMAIL;TYPE=WORK:paul.martin@example.org", "EMAIL;TYPE=HOME:paul@perso.example", "TEL;TYPE=CELL:0600000000")

	_, list, _ := b.do("GET", "/groups/atelier/contacts?q=%C3%A9lodie", nil)
	if !strings.Contains(list, "Élodie Durand") || strings.Contains(list, "Paul Martin") {
		t.Fatalf("search by name:\n%s", list)
	}
	_, view, _ := b.do("GET", "/groups/atelier/contacts/paul-client", nil)
	wants(t, "the card page", view, "Paul Martin", "mailto:paul.martin@example.org")

	// Validation, next to the field.
	code, body := b.postForm("/groups/atelier/contacts/new", "/groups/atelier/contacts/new", url.Values{"email": {"pas une adresse"}})
	if code != 422 || !strings.Contains(body, `id="fn-error"`) || !strings.Contains(body, `id="email-error"`) {
		t.Fatalf("an invalid contact: %d", code)
	}
	if code, _ := b.postForm("/groups/atelier/contacts", "/groups/atelier/contacts/paul-client/delete", url.Values{}); code != 303 {
		t.Fatalf("delete: %d", code)
	}
	ts.must(t, 404, req{method: "GET", path: base + "paul.vcf", user: alice})
}
