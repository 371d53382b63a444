package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// packageImports lists, for every package directory of the project, the project packages its
// non-test files import (without the module prefix; "main" for the root).
func packageImports(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") && p != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(p))
		if pkg == "." {
			pkg = "main"
		}
		if _, ok := out[pkg]; !ok {
			out[pkg] = nil
		}
		for _, im := range f.Imports {
			path := strings.Trim(im.Path.Value, `"`)
			if dep, ok := strings.CutPrefix(path, "parvis/"); ok && !slices.Contains(out[pkg], dep) {
				out[pkg] = append(out[pkg], dep)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// documentedArrows reads the import arrows of ARCHITECTURE.md (its "imports" block).
func documentedArrows(t *testing.T) map[string][]string {
	t.Helper()
	doc, err := os.ReadFile("ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```imports\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("ARCHITECTURE.md has no ```imports block")
	}
	out := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(m[1])), "\n") {
		pkg, deps, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("ARCHITECTURE.md: %q is not \"package: imports\"", line)
		}
		out[strings.TrimSpace(pkg)] = strings.Fields(deps)
	}
	return out
}

// TestImportArrows: every package is on the map of ARCHITECTURE.md and imports only what its line
// there allows; only ui and server import Fiber.
func TestImportArrows(t *testing.T) {
	allowed := documentedArrows(t)
	for pkg, deps := range packageImports(t) {
		may, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s is not in ARCHITECTURE.md's import arrows", pkg)
			continue
		}
		for _, d := range deps {
			if !slices.Contains(may, d) {
				t.Errorf("%s imports %s, which ARCHITECTURE.md does not allow", pkg, d)
			}
		}
	}
	for pkg := range allowed {
		if _, ok := packageImports(t)[pkg]; !ok {
			t.Errorf("ARCHITECTURE.md lists %s, which does not exist", pkg)
		}
	}
	fiber := grepFiles(t, `"github.com/gofiber/fiber/v2`, ".")
	for _, f := range fiber {
		if !strings.HasPrefix(f, "ui/") && !strings.HasPrefix(f, "server/") {
			t.Errorf("%s imports Fiber: only ui and server may", f)
		}
	}
}

// TestNoRoleDecisionsOutsideAccess: no package but access (and storage, which stores roles) compares
// roles; every other one asks access.
func TestNoRoleDecisionsOutsideAccess(t *testing.T) {
	for _, f := range grepFiles(t, `db\.Role(Animator|Member|Guest)\b|\.Role [!=]=|\.IsAdmin\b &&|!\w+\.IsAdmin\b|if \w+\.IsAdmin\b`, ".") {
		if !strings.HasPrefix(f, "access/") && !strings.HasPrefix(f, "storage/") {
			t.Errorf("%s decides from a role itself: ask access (Grant.Allow, access.Administers)", f)
		}
	}
}

// TestOnlyTheDomainRunsQueries: the HTTP-facing packages, the composition root and the command
// line neither open transactions nor run queries: they go through the domain services (access,
// files, calendar, mail, replica), which own every read and write.
func TestOnlyTheDomainRunsQueries(t *testing.T) {
	for _, dir := range []string{"ui", "dav", "calendar/calhttp", "calendar/icsfeed", "share", "server", "cli"} {
		for _, f := range grepFiles(t, `\*db\.Tx\b|\.(R|Write)\((ctx|c\.UserContext\(\)|r\.Context\(\))[),]|\bDB\.(Write|R)\(|\bFiles\.Read\(`, dir) {
			t.Errorf("%s runs queries or opens transactions: go through a domain service", f)
		}
	}
}

// grepFiles returns the non-test Go files under dir whose text matches pattern.
func grepFiles(t *testing.T, pattern, dir string) []string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != dir {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if re.Match(b) {
			out = append(out, filepath.ToSlash(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
