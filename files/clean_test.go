package files

import "testing"

func TestClean(t *testing.T) {
	ok := map[string]string{"/": "/", "/a": "/a", "/a/": "/a", "/a b/é.txt": "/a b/é.txt", "/..a/b..": "/..a/b.."}
	for in, want := range ok {
		if got, err := Clean(in); err != nil || got != want {
			t.Errorf("Clean(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "a", "/..", "/a/../b", "/./a", "/a//b", "/a\\b", "/a\x00b", "//"} {
		if got, err := Clean(in); err == nil {
			t.Errorf("Clean(%q) = %q, want an error", in, got)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"/", "/a/b", "/../x", "/a/./b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		c, err := Clean(p)
		if err != nil {
			return
		}
		// A clean path is absolute, has no empty, "." or ".." segment, and is a fixed point.
		if c[0] != '/' || (c != "/" && c[len(c)-1] == '/') {
			t.Fatalf("Clean(%q) = %q", p, c)
		}
		if again, err := Clean(c); err != nil || again != c {
			t.Fatalf("Clean(Clean(%q)) = %q, %v", p, again, err)
		}
	})
}

func TestContentType(t *testing.T) {
	cases := map[[2]string]string{
		{"/cr.ODT", ""}: "application/vnd.oasis.opendocument.text",
		{"/notes.md", "application/octet-stream"}: "text/markdown; charset=utf-8",
		{"/x.bin", "image/png"}:                   "image/png",
		{"/sans-extension", ""}:                   "application/octet-stream",
	}
	for in, want := range cases {
		if got := contentType(in[0], in[1]); got != want {
			t.Errorf("contentType(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}
