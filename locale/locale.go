// Package locale holds every text Parvis shows people, pages and mails alike, in one catalogue per
// language (fr.toml, en.toml) in the go-i18n format that translation tools such as Weblate read.
// French is the reference language: a key missing in another language shows in French, and a test
// checks that no key is missing anywhere.
package locale

import (
	"embed"
	"sort"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages are the catalogues, the reference first.
var Languages = []string{"fr", "en"}

//go:embed *.toml
var files embed.FS

var (
	bundle     = load()
	localizers = map[string]*i18n.Localizer{}
)

func init() {
	for _, l := range Languages {
		localizers[l] = i18n.NewLocalizer(bundle, l, Languages[0])
	}
}

// load reads the catalogues; a catalogue that does not parse is a programming error, caught at start.
func load() *i18n.Bundle {
	b := i18n.NewBundle(language.French)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(files, l+".toml"); err != nil {
			panic("locale: " + err.Error())
		}
	}
	return b
}

// localizer is lang's, French for an unknown language.
func localizer(lang string) *i18n.Localizer {
	if l, ok := localizers[lang]; ok {
		return l
	}
	return localizers[Languages[0]]
}

// Text returns the text of key in lang; an unknown key shows itself, so that a missing text is
// visible rather than blank.
func Text(lang, key string) string {
	s, err := localizer(lang).Localize(&i18n.LocalizeConfig{MessageID: key})
	if s == "" && err != nil {
		return key
	}
	return s
}

// Render fills the template text of key in lang with data (a mail's fields).
func Render(lang, key string, data any) (string, error) {
	return localizer(lang).Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data})
}

// Has tells whether key has a text in lang itself, without falling back to French.
func Has(lang, key string) bool {
	_, tag, err := localizer(lang).LocalizeWithTag(&i18n.LocalizeConfig{MessageID: key})
	return err == nil && tag.String() == lang
}

// Keys lists the keys of lang's catalogue, sorted.
func Keys(lang string) []string {
	mf, err := i18n.ParseMessageFileBytes(mustRead(lang+".toml"), lang+".toml", map[string]i18n.UnmarshalFunc{"toml": toml.Unmarshal})
	if err != nil {
		panic("locale: " + err.Error())
	}
	keys := make([]string, 0, len(mf.Messages))
	for _, m := range mf.Messages {
		keys = append(keys, m.ID)
	}
	sort.Strings(keys)
	return keys
}

func mustRead(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("locale: " + err.Error())
	}
	return b
}
