package clients

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// rcloneRemote runs rclone as one person, with a remote called "parvis"
// pointing at /dav/files/ and defined only through environment variables
// and an empty config file, so that no rclone configuration on the
// machine is read or written.
type rcloneRemote struct {
	bin  string
	env  []string
	user string
}

func newRclone(t *testing.T, s *server, user string) *rcloneRemote {
	t.Helper()
	bin := requireTool(t, "rclone")
	out, err := run(t, clientCmd{}, bin, "obscure", passwords[user])
	if err != nil {
		t.Fatalf("rclone obscure: %v\n%s", err, out)
	}
	conf := filepath.Join(t.TempDir(), "rclone.conf")
	if err := os.WriteFile(conf, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return &rcloneRemote{bin: bin, user: user, env: []string{
		"RCLONE_CONFIG=" + conf,
		"RCLONE_CONFIG_PARVIS_TYPE=webdav",
		"RCLONE_CONFIG_PARVIS_URL=" + s.DAV(""),
		"RCLONE_CONFIG_PARVIS_VENDOR=other",
		"RCLONE_CONFIG_PARVIS_USER=" + user,
		"RCLONE_CONFIG_PARVIS_PASS=" + strings.TrimSpace(out),
	}}
}

// run runs one rclone command. Retries are off: rclone retrying a failed
// request would hide the very server errors these tests look for.
func (r *rcloneRemote) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	args = append(args, "--retries", "1", "--low-level-retries", "1")
	return run(t, clientCmd{Env: r.env}, r.bin, args...)
}

// must runs one rclone command that has to succeed.
func (r *rcloneRemote) must(t *testing.T, args ...string) string {
	t.Helper()
	out, err := r.run(t, args...)
	if err != nil {
		t.Fatalf("rclone %s (as %s) failed: %v\n%s", strings.Join(args, " "), r.user, err, out)
	}
	return out
}

// lsf lists a remote path, one name a line, folders with a trailing slash.
func (r *rcloneRemote) lsf(t *testing.T, args ...string) []string {
	t.Helper()
	out := r.must(t, append([]string{"lsf"}, args...)...)
	var names []string
	for _, line := range strings.Split(out, "\n") {
		if line != "" {
			names = append(names, line)
		}
	}
	return names
}

// TestRcloneRoundTrip uploads a realistic folder with rclone, checks it
// byte for byte, downloads it again and compares every name and SHA-256,
// then deletes a file locally and checks that `rclone sync` deletes it on
// the server too.
func TestRcloneRoundTrip(t *testing.T) {
	t.Parallel()
	requireTool(t, "rclone") // fail fast, before starting a server
	s := startServer(t)
	rc := newRclone(t, s, alice)
	src, back := t.TempDir(), t.TempDir()
	writeTree(t, src)
	want := treeDigest(t, src)
	const remote = "parvis:atelier/partage"

	rc.must(t, "copy", src, remote, "--create-empty-src-dirs")
	// check compares both ways and, with --download, the content itself:
	// the webdav backend has no hash to compare with vendor "other".
	rc.must(t, "check", src, remote, "--download")
	rc.must(t, "copy", remote, back, "--create-empty-src-dirs")
	diffDigests(t, want, treeDigest(t, back))

	// Cross-check with plain HTTP that the server stored the names as
	// given, not just in a form rclone maps back.
	got := s.children(t, alice, s.DAV("atelier/partage/Proc%C3%A8s-verbaux/2026/"))
	for _, name := range []string{"compte-rendu AG 2026 – été.odt", "budget #3 à 100%.ods"} {
		if !got[name] {
			t.Errorf("PROPFIND of Procès-verbaux/2026/ lacks %q; has %v", name, got)
		}
	}

	gone := "Procès-verbaux/2026/budget #3 à 100%.ods"
	if err := os.Remove(filepath.Join(src, filepath.FromSlash(gone))); err != nil {
		t.Fatal(err)
	}
	rc.must(t, "sync", src, remote, "--create-empty-src-dirs")
	listing := rc.lsf(t, "-R", remote)
	if slices.Contains(listing, gone) {
		t.Errorf("after rclone sync, %q is still listed:\n%s", gone, strings.Join(listing, "\n"))
	}
	if !slices.Contains(listing, "Procès-verbaux/2026/compte-rendu AG 2026 – été.odt") {
		t.Errorf("after rclone sync, its sibling is gone too:\n%s", strings.Join(listing, "\n"))
	}
	if got := s.children(t, alice, s.DAV("atelier/partage/Proc%C3%A8s-verbaux/2026/")); got["budget #3 à 100%.ods"] {
		t.Errorf("after rclone sync, PROPFIND still lists the deleted file: %v", got)
	}
	goneURL := s.DAV("atelier/partage/Proc%C3%A8s-verbaux/2026/budget%20%233%20%C3%A0%20100%25.ods")
	if code, _ := s.do(t, alice, "GET", goneURL, "", nil); code != 404 {
		t.Errorf("GET of the file deleted by rclone sync: status %d, want 404", code)
	}
	restoreFromTrash(t, s, "/partage/"+gone)
	code, body := s.do(t, alice, "GET", goneURL, "", nil)
	wantBody, _ := os.ReadFile(filepath.Join(back, filepath.FromSlash(gone)))
	if code != 200 || body != string(wantBody) {
		t.Errorf("the file rclone sync deleted, restored from the trash: status %d, %d bytes, want %d", code, len(body), len(wantBody))
	}
}

// restoreFromTrash finds the trash item of a deleted path through the API and restores it.
func restoreFromTrash(t *testing.T, s *server, path string) {
	t.Helper()
	code, body := s.do(t, alice, "GET", s.Base+"/api/groups/atelier/trash", "", nil)
	var list struct {
		Items []struct {
			ID   int64  `json:"id"`
			Path string `json:"path"`
		} `json:"items"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &list) != nil {
		t.Fatalf("trash list: %d %s", code, body)
	}
	for _, it := range list.Items {
		if it.Path == path {
			url := fmt.Sprintf("%s/api/groups/atelier/trash/%d/restore", s.Base, it.ID)
			if code, body := s.do(t, alice, "POST", url, "", nil); code != 200 {
				t.Fatalf("restore: %d %s", code, body)
			}
			return
		}
	}
	t.Fatalf("%s is not in the trash: %s", path, body)
}
