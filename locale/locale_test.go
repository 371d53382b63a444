package locale

import (
	"slices"
	"strings"
	"testing"
)

// TestCataloguesHaveTheSameKeys checks that every text exists in every language: a page or a mail
// never falls back to French by accident.
func TestCataloguesHaveTheSameKeys(t *testing.T) {
	ref := Keys(Languages[0])
	if len(ref) < 500 {
		t.Fatalf("the French catalogue has %d texts only", len(ref))
	}
	for _, l := range Languages[1:] {
		if got := Keys(l); !slices.Equal(got, ref) {
			for _, k := range ref {
				if !slices.Contains(got, k) {
					t.Errorf("%s lacks %q", l, k)
				}
			}
			for _, k := range got {
				if !slices.Contains(ref, k) {
					t.Errorf("%s has %q, which French has not", l, k)
				}
			}
		}
	}
}

func TestTextFallsBackAndShowsUnknownKeys(t *testing.T) {
	if got := Text("en", "login.submit"); got != "Sign in" {
		t.Errorf("en login.submit = %q", got)
	}
	if got := Text("de", "login.submit"); got != "Se connecter" {
		t.Errorf("an unknown language should read French, got %q", got)
	}
	if got := Text("fr", "no.such.key"); got != "no.such.key" {
		t.Errorf("an unknown key should show itself, got %q", got)
	}
	if !Has("en", "login.submit") || Has("en", "no.such.key") {
		t.Error("Has is wrong")
	}
}

// TestMailTemplatesRender fills every mail with its fields in every language.
func TestMailTemplatesRender(t *testing.T) {
	data := map[string]any{"Name": "Awa", "Group": "Collectif", "Role": "membre", "Link": "https://x/l",
		"Site": "https://x", "Days": 7, "Person": "Bob", "Message": "Bonjour", "Reason": "complet", "Day": "lun. 12 janv. 2027", "Title": "Collectif de rentrée", "When": "lun. 12 janv. 2027 18:00"}
	for _, l := range Languages {
		for _, k := range Keys(l) {
			if !strings.HasPrefix(k, "mail.") {
				continue
			}
			s, err := Render(l, k, data)
			if err != nil || s == "" || strings.Contains(s, "<no value>") {
				t.Errorf("%s %s: %q, %v", l, k, s, err)
			}
		}
	}
}
