package ui

import (
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"

	"parvis/locale"
)

// languages are the supported ones, French first: it is the default.
var languages = []language.Tag{language.French, language.English}

var matcher = language.NewMatcher(languages)

// pageLanguage picks the page language: the cookie set by the language switch, else the browser's
// preference, else French.
func pageLanguage(c *fiber.Ctx) string {
	if l := c.Cookies("lang"); l == "fr" || l == "en" {
		return l
	}
	tags, _, _ := language.ParseAcceptLanguage(c.Get("Accept-Language"))
	tag, _, _ := matcher.Match(tags...)
	base, _ := tag.Base()
	if base.String() == "en" {
		return "en"
	}
	return "fr"
}

// translate returns the text of key in lang, from the catalogues of package locale.
func translate(lang, key string) string { return locale.Text(lang, key) }
