package ui

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestEveryMessageTranslated checks each message has French and English, and each key a template
// uses exists: no untranslated string on a page.
func TestEveryMessageTranslated(t *testing.T) {
	for key, m := range messages {
		if m["fr"] == "" || m["en"] == "" {
			t.Errorf("message %q lacks a language: %v", key, m)
		}
	}
	used := regexp.MustCompile(`t \$?\.Lang "([a-z.]+)"`)
	err := fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFiles.ReadFile(p)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if _, ok := messages[m[1]]; !ok {
				t.Errorf("%s uses unknown message %q", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
