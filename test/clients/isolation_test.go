package clients

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRcloneIsolation checks, through a real client, that a person sees
// and touches only the folders of the groups they belong to: Alice
// (atelier) must neither see bureau in /dav/files/, nor read Bob's file
// in it, nor write there.
func TestRcloneIsolation(t *testing.T) {
	t.Parallel()
	requireTool(t, "rclone") // fail fast, before starting a server
	s := startServer(t)
	const secret = "secret du bureau"
	if code, body := s.do(t, bob, "PUT", s.DAV("bureau/secret.txt"), secret, nil); code/100 != 2 {
		t.Fatalf("PUT bureau/secret.txt as bob: status %d\n%s", code, body)
	}
	asAlice, asBob := newRclone(t, s, alice), newRclone(t, s, bob)

	if root := asAlice.lsf(t, "parvis:"); !slices.Contains(root, "atelier/") || slices.Contains(root, "bureau/") {
		t.Errorf("alice's /dav/files/ lists %q; want atelier/ and not bureau/", root)
	}
	if root := asBob.lsf(t, "parvis:"); !slices.Contains(root, "bureau/") || slices.Contains(root, "atelier/") {
		t.Errorf("bob's /dav/files/ lists %q; want bureau/ and not atelier/", root)
	}

	if out, err := asAlice.run(t, "cat", "parvis:bureau/secret.txt"); err == nil || strings.Contains(out, secret) {
		t.Errorf("alice could read bureau/secret.txt with rclone cat (err %v):\n%s", err, out)
	}
	if out, err := asAlice.run(t, "lsf", "parvis:bureau"); err == nil && strings.Contains(out, "secret.txt") {
		t.Errorf("alice could list bureau/ with rclone lsf:\n%s", out)
	}

	local := filepath.Join(t.TempDir(), "intrus.txt")
	if err := os.WriteFile(local, []byte("écrit par alice"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dest := range []string{"parvis:bureau/", "parvis:bureau/sous-dossier/"} {
		out, err := asAlice.run(t, "copy", local, dest)
		if err == nil {
			t.Errorf("rclone copy into %s as alice succeeded; want a failure:\n%s", dest, out)
			continue
		}
		t.Logf("rclone copy into %s as alice failed as it should:\n%s", dest, out)
	}

	// Whatever rclone said, nothing of Alice's may have landed in bureau,
	// and bureau must not have become visible to her.
	if got := s.children(t, bob, s.DAV("bureau/")); len(got) != 1 || !got["secret.txt"] {
		t.Errorf("bureau/ as seen by bob holds %v; want only secret.txt", got)
	}
	if root := asAlice.lsf(t, "parvis:"); slices.Contains(root, "bureau/") {
		t.Errorf("after alice's attempts, her /dav/files/ lists bureau/: %q", root)
	}
}
