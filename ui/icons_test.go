package ui

import (
	"regexp"
	"strings"
	"testing"

	"parvis/calendar"
)

// TestEveryIconIsInTheSprite: an icon missing from the vendored subset would draw nothing, silently;
// scripts/icons.sh must be re-run when a name is added here.
func TestEveryIconIsInTheSprite(t *testing.T) {
	sprite, err := staticFiles.ReadFile("static/vendor/lucide/icons.svg")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"folder", "file"}
	for _, k := range iconKinds {
		names = append(names, k)
	}
	for _, k := range append(calendar.EventKinds, "") {
		m := regexp.MustCompile(`#([a-z-]+)"`).FindStringSubmatch(string(eventIcon(k)))
		names = append(names, m[1])
	}
	for _, n := range names {
		if !strings.Contains(string(sprite), `<symbol id="`+n+`"`) {
			t.Errorf("icon %q is not in ui/static/vendor/lucide/icons.svg (scripts/icons.sh)", n)
		}
	}
	if got := string(fileIcon("Budget 2027.ODS", false)); !strings.Contains(got, "#file-spreadsheet") || !strings.Contains(got, `aria-hidden="true"`) {
		t.Fatalf("a spreadsheet's icon: %s", got)
	}
}
