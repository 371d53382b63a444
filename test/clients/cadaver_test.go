package clients

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cadaverNS is the namespace cadaver gives the properties set with
// `propset` (its default `set namespace`).
const cadaverNS = "http://webdav.org/cadaver/custom-properties/"

// cadaverStep is one command typed at cadaver's prompt and what it printed.
type cadaverStep struct{ cmd, out string }

// ok fails the test unless cadaver reported the command as successful;
// cadaver exits 0 whatever its commands did, so its words are all there
// is to go by.
func (st cadaverStep) ok(t *testing.T) cadaverStep {
	t.Helper()
	if !strings.Contains(st.out, "succeeded") || strings.Contains(st.out, "failed") {
		t.Errorf("cadaver %q did not succeed:\n%s", st.cmd, st.out)
	}
	return st
}

// has fails the test unless the command's output contains want.
func (st cadaverStep) has(t *testing.T, want string) cadaverStep {
	t.Helper()
	if !strings.Contains(st.out, want) {
		t.Errorf("cadaver %q: output lacks %q:\n%s", st.cmd, want, st.out)
	}
	return st
}

// lacks fails the test if the command's output contains unwanted.
func (st cadaverStep) lacks(t *testing.T, unwanted string) cadaverStep {
	t.Helper()
	if strings.Contains(st.out, unwanted) {
		t.Errorf("cadaver %q: output has %q:\n%s", st.cmd, unwanted, st.out)
	}
	return st
}

var cadaverPrompt = regexp.MustCompile(`(?m)^dav:[^\n]*?> `)

// cadaver runs one cadaver session as Alice in dir, typing the given
// lines (commands, or answers to cadaver's questions) at its prompt, and
// returns one step per prompt. Credentials come from a ~/.netrc in a
// private HOME, the way a member would set cadaver up.
func cadaver(t *testing.T, s *server, dir, startPath string, lines ...string) []cadaverStep {
	t.Helper()
	bin := requireTool(t, "cadaver")
	home := t.TempDir()
	netrc := fmt.Sprintf("machine 127.0.0.1\nlogin %s\npassword %s\n", alice, alicePassword)
	if err := os.WriteFile(filepath.Join(home, ".netrc"), []byte(netrc), 0o600); err != nil {
		t.Fatal(err)
	}
	// A wide COLUMNS keeps readline from scrolling long command lines,
	// which would garble the echo of the commands.
	out, err := run(t, clientCmd{Dir: dir, Env: []string{"HOME=" + home, "COLUMNS=1000"},
		Stdin: strings.Join(lines, "\n") + "\nquit\n"}, bin, s.DAV(startPath))
	if err != nil {
		t.Fatalf("cadaver exited with %v:\n%s", err, out)
	}
	if strings.Contains(out, "Username:") || strings.Contains(out, "Authentication required") {
		t.Fatalf("cadaver asked for credentials: ~/.netrc was not used or the login was refused:\n%s", out)
	}
	idx := cadaverPrompt.FindAllStringIndex(out, -1)
	var steps []cadaverStep
	for i, loc := range idx {
		end := len(out)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		cmd, rest, _ := strings.Cut(out[loc[1]:end], "\n")
		if i := strings.LastIndex(cmd, "\r"); i >= 0 {
			cmd = cmd[i+1:]
		}
		steps = append(steps, cadaverStep{cmd: cmd, out: rest})
	}
	if len(steps) == 0 {
		t.Fatalf("cadaver showed no prompt; did it connect?\n%s", out)
	}
	t.Logf("cadaver session:\n%s", out)
	return steps
}

// TestCadaver drives the command-line client cadaver through a member's
// chores: create a folder, upload, list, set and read a dead property,
// lock (and find the lock enforced on the server), unlock, copy, move,
// download, delete. Every step is checked in cadaver's output and the
// server's state is checked over plain HTTP between sessions.
func TestCadaver(t *testing.T) {
	t.Parallel()
	requireTool(t, "cadaver") // fail fast, before starting a server
	s := startServer(t)
	dir := t.TempDir()
	const content = "Ordre du jour\nÉlection du bureau\n"
	if err := os.WriteFile(filepath.Join(dir, "note.txt"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	const folder, folderURL = "réunion du 12", "atelier/r%C3%A9union%20du%2012/"
	noteURL := s.DAV(folderURL + "note.txt")

	// Session 1: create, upload, list, dead property, lock.
	st := cadaver(t, s, dir, "atelier/",
		`mkcol "`+folder+`"`,
		`cd "`+folder+`"`,
		"put note.txt",
		"ls",
		"propset note.txt salle Salle-des-fêtes",
		"propget note.txt salle",
		"lock note.txt",
		"showlocks",
		"put note.txt", // as the lock's owner: must still work
	)
	if len(st) < 9 {
		t.Fatalf("cadaver session 1 ended after %d of 9 commands", len(st))
	}
	st[0].ok(t)
	st[2].ok(t)
	st[3].ok(t).has(t, "note.txt")
	st[4].ok(t)
	st[5].has(t, "Salle-des-fêtes")
	st[6].ok(t)
	token := regexp.MustCompile(`Lock token <([^>]+)>`).FindStringSubmatch(st[7].out)
	if token == nil {
		t.Fatalf("cadaver showlocks shows no lock token after lock:\n%s", st[7].out)
	}
	st[8].ok(t)

	if code, body := s.do(t, alice, "GET", noteURL, "", nil); code != 200 || body != content {
		t.Errorf("GET note.txt after cadaver put: %d %q; want 200 %q", code, body, content)
	}
	if v, ok := s.prop(t, alice, noteURL, cadaverNS, "salle"); !ok || v != "Salle-des-fêtes" {
		t.Errorf("dead property salle set by cadaver: got %q (found %v) over PROPFIND", v, ok)
	}
	// cadaver left the lock behind: a write without its token must fail.
	if code, body := s.do(t, alice, "PUT", noteURL, "écrasé", nil); code != 423 {
		t.Errorf("PUT without the lock token on a file locked with cadaver: status %d, want 423 Locked\n%s", code, body)
	}

	// Session 2: find the lock, unlock with its token, copy, move, get,
	// delete, remove the folder.
	st = cadaver(t, s, dir, folderURL,
		"discover note.txt",
		"unlock note.txt",
		token[1], // cadaver asks for the token of a lock it does not hold
		"put note.txt",
		"copy note.txt copie.txt",
		"propget copie.txt salle",
		"move copie.txt archive.txt",
		"get archive.txt retour.txt",
		"delete note.txt",
		"ls",
	)
	if len(st) < 9 {
		t.Fatalf("cadaver session 2 ended after %d of 9 commands", len(st))
	}
	st[0].has(t, token[1])
	st[1].ok(t)
	st[2].ok(t)
	st[3].ok(t)
	st[4].has(t, "Salle-des-fêtes") // dead properties travel with COPY
	st[5].ok(t)
	st[6].ok(t)
	st[7].ok(t)
	st[8].ok(t).has(t, "archive.txt").lacks(t, "note.txt").lacks(t, "copie.txt")
	if got, err := os.ReadFile(filepath.Join(dir, "retour.txt")); err != nil || string(got) != content {
		t.Errorf("file downloaded by cadaver: %q (%v), want %q", got, err, content)
	}
	if v, ok := s.prop(t, alice, s.DAV(folderURL+"archive.txt"), cadaverNS, "salle"); !ok || v != "Salle-des-fêtes" {
		t.Errorf("dead property after cadaver copy+move: got %q (found %v)", v, ok)
	}

	// Session 3: remove the folder and all it holds.
	st = cadaver(t, s, dir, "atelier/", `rmcol "`+folder+`"`, "ls")
	st[0].ok(t)
	if len(st) > 1 {
		st[1].lacks(t, folder)
	}
	if code, _ := s.do(t, alice, "PROPFIND", s.DAV(folderURL), "", map[string]string{"Depth": "0"}); code != 404 {
		t.Errorf("PROPFIND of the folder removed by cadaver rmcol: status %d, want 404", code)
	}
}
