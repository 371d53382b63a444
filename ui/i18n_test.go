package ui

import (
	"io/fs"
	"regexp"
	"testing"

	"parvis/locale"
)

// TestEveryMessageTranslated checks that each key a template uses has its text in every language
// (that the catalogues agree with each other is package locale's test): no bare key on a page.
func TestEveryMessageTranslated(t *testing.T) {
	used := regexp.MustCompile(`t \$?\.Lang "([a-z.]+)"`)
	err := fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFiles.ReadFile(p)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if !locale.Has("fr", m[1]) || !locale.Has("en", m[1]) {
				t.Errorf("%s uses unknown message %q", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
