package locale

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
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

// TestFrenchPunctuationHasItsSpace checks French typography in every French text: a no-break space
// (U+00A0 before a colon, the narrow U+202F before ; ? !) so that the mark never starts a line, and
// no ordinary space there. English texts have no space at all before them. Template actions and
// addresses (https://, ?next=, rclone's parvis:) are not text.
func TestFrenchPunctuationHasItsSpace(t *testing.T) {
	actions := regexp.MustCompile(`\{\{.*?\}\}|[a-z]+://\S*|\?[a-z]+=|parvis:`)
	french := regexp.MustCompile(`(^|[^\x{00A0}\x{202F}\d])[;?!]|(^|[^\x{00A0}\d])[:]`)
	english := regexp.MustCompile(`[\s\x{00A0}\x{202F}][;:?!]`)
	for _, k := range Keys("fr") {
		if s := actions.ReplaceAllString(raw("fr", k), "X"); french.MatchString(s) {
			t.Errorf("fr %s: %q lacks its no-break space before the mark", k, s)
		}
		if s := actions.ReplaceAllString(raw("en", k), "X"); english.MatchString(s) {
			t.Errorf("en %s: %q has a space before the mark", k, s)
		}
	}
}

// raw is the text of key in lang as the catalogue has it, template actions unexpanded.
func raw(lang, key string) string {
	rawOnce.Do(func() {
		rawTexts = map[string]string{}
		for _, l := range Languages {
			mf, err := i18n.ParseMessageFileBytes(mustRead(l+".toml"), l+".toml", map[string]i18n.UnmarshalFunc{"toml": toml.Unmarshal})
			if err != nil {
				panic(err)
			}
			for _, m := range mf.Messages {
				rawTexts[l+" "+m.ID] = m.Other
			}
		}
	})
	return rawTexts[lang+" "+key]
}

var (
	rawOnce  sync.Once
	rawTexts map[string]string
)
