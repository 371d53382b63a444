package cli

import (
	"bytes"
	"strings"
	"testing"
)

// run runs the command line in-process with the given environment variables.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(Env{Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errOut.String()
}

// TestAdminScript scripts an instance the way an administrator would, and checks each answer.
func TestAdminScript(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PARVIS_DATA_DIR": dir}
	steps := []struct {
		stdin    string
		args     []string
		wantCode int
		want     string
	}{
		{"un mot de passe long\n", []string{"admin", "person", "add", "anna@example.org", "--name", "Anna", "--admin"}, 0, "created anna@example.org"},
		{"", []string{"admin", "person", "add", "sans-mot@example.org"}, 0, "/password/"},
		{"", []string{"admin", "person", "link", "sans-mot@example.org"}, 0, "earlier links stop working"},
		{"court\n", []string{"admin", "person", "add", "bea@example.org"}, 1, "password too weak"},
		{"un mot de passe long\n", []string{"admin", "person", "add", "ANNA@example.org"}, 1, "exists already"},
		{"", []string{"admin", "group", "add", "collectif", "--name", "Collectif"}, 0, "created group collectif"},
		{"", []string{"admin", "group", "add", "Pas Bon"}, 1, "lowercase letters"},
		{"", []string{"admin", "group", "grant", "collectif", "anna@example.org", "--role", "animator"}, 0, "animator of collectif"},
		{"", []string{"admin", "group", "grant", "collectif", "sans-mot@example.org", "--role", "guest", "--expires", "2099-12-31"}, 0, "guest of collectif"},
		{"", []string{"admin", "group", "grant", "collectif", "anna@example.org", "--role", "chef"}, 1, "not animator, member or guest"},
		{"", []string{"admin", "group", "grant", "collectif", "personne@example.org", "--role", "member"}, 1, "no account"},
		{"", []string{"admin", "group", "remove", "collectif", "anna@example.org"}, 1, "last animator"},
		{"", []string{"admin", "group", "remove", "collectif", "sans-mot@example.org"}, 0, "no longer in collectif"},
		{"", []string{"admin", "group", "quota", "collectif", "20GB"}, 0, "may now store 20 GB"},
		{"", []string{"admin", "group", "quota", "collectif", "beaucoup"}, 2, "not a size"},
		{"", []string{"admin", "person", "suspend", "sans-mot@example.org"}, 0, "suspended"},
		{"", []string{"admin", "person", "restore", "sans-mot@example.org"}, 0, "restored"},
		{"", []string{"admin", "person", "suspend", "anna@example.org"}, 1, "last administrator"},
		{"", []string{"admin", "check"}, 0, "1 administrator(s)"},
		{"", []string{"admin", "frobnicate"}, 2, "unknown command"},
		{"", []string{"nonsense"}, 2, "Usage"},
	}
	for _, s := range steps {
		code, out, errOut := run(t, env, s.stdin, s.args...)
		if code != s.wantCode || !strings.Contains(out+errOut, s.want) {
			t.Errorf("parvis %s: exit %d, want %d; output %q, want it to mention %q", strings.Join(s.args, " "), code, s.wantCode, out+errOut, s.want)
		}
	}
}

func TestConfigCommand(t *testing.T) {
	env := map[string]string{"PARVIS_DATA_DIR": t.TempDir(), "PARVIS_SMTP_PASSWORD": "tres-secret", "PARVIS_LISTEN": "127.0.0.1:9999"}
	code, out, _ := run(t, env, "", "config")
	if code != 0 || strings.Contains(out, "tres-secret") || !strings.Contains(out, `smtp.password = "********"`) || !strings.Contains(out, `listen = "127.0.0.1:9999"`) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out, errOut := run(t, env, "", "config", "--listen", "sans-port")
	if code != 1 || !strings.Contains(errOut, "listen (PARVIS_LISTEN)") {
		t.Fatalf("invalid flag value: exit %d\n%s%s", code, out, errOut)
	}
	env["PARVIS_STORAGE_DRIVER"] = "disquette"
	if code, _, errOut := run(t, env, "", "serve"); code != 1 || !strings.Contains(errOut, "storage.driver") {
		t.Fatalf("serve with an invalid value must fail naming the key: exit %d %s", code, errOut)
	}
}

// TestAdminFlagsFirst: the global flags may come before the command words, as people type them.
func TestAdminFlagsFirst(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"admin", "--data", dir, "group", "add", "velo", "--name", "Vélo"},
		{"admin", "--data=" + dir, "group", "quota", "velo", "1GB"},
	} {
		if code, out, errOut := run(t, nil, "", args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	if code, _, errOut := run(t, nil, "", "admin", "--data", dir, "group", "add", "velo"); code == 0 || !strings.Contains(errOut, "exists already") {
		t.Fatalf("the second group add found no group in %s: %d %s", dir, code, errOut)
	}
}

// TestHelpAndVersion: --help lists the commands (not serve's flags), serve -h still gives them,
// version names the build.
func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, _ := run(t, nil, "", args...)
		if code != 0 || !strings.Contains(out, "parvis admin person link EMAIL") || !strings.Contains(out, "parvis version") {
			t.Errorf("parvis %s: exit %d\n%s", args[0], code, out)
		}
	}
	if code, out, errOut := run(t, nil, "", "serve", "-h"); code != 0 || !strings.Contains(out+errOut, "-listen") {
		t.Errorf("parvis serve -h: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ := run(t, nil, "", "version")
	if code != 0 || !strings.HasPrefix(out, "parvis ") || !strings.Contains(out, "go1.") {
		t.Errorf("parvis version: exit %d, %q", code, out)
	}
}

// TestLinksCarryTheBaseURL: a printed link carries base_url when it is set; without it, the CLI
// says on stderr that the link leads to the listen address.
func TestLinksCarryTheBaseURL(t *testing.T) {
	dir := t.TempDir()
	run(t, map[string]string{"PARVIS_DATA_DIR": dir}, "", "admin", "person", "add", "lea@example.org")
	code, out, errOut := run(t, map[string]string{"PARVIS_DATA_DIR": dir}, "", "admin", "person", "link", "lea@example.org")
	if code != 0 || !strings.Contains(out, "http://localhost:8080/password/") || !strings.Contains(errOut, "base_url n'est pas réglé") {
		t.Fatalf("without base_url: exit %d\n%s%s", code, out, errOut)
	}
	env := map[string]string{"PARVIS_DATA_DIR": dir, "PARVIS_BASE_URL": "https://asso.example"}
	code, out, errOut = run(t, env, "", "admin", "person", "link", "lea@example.org")
	if code != 0 || !strings.Contains(out, "https://asso.example/password/") || errOut != "" {
		t.Fatalf("with base_url: exit %d\n%s%s", code, out, errOut)
	}
}
