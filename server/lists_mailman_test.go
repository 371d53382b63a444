package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"parvis/config"
)

// mailman is a private Mailman 3 (Debian's mailman3) with its REST API on loopback.
type mailman struct {
	url, user, pass string
}

// startMailman runs a Mailman 3 of its own, in a temporary directory, with its REST API on a free
// loopback port and no mail going anywhere (the null MTA): what the feed reads and writes is
// Mailman's own database, through the same API an association's Mailman answers.
func startMailman(t *testing.T) mailman {
	t.Helper()
	if _, err := exec.LookPath("mailman"); err != nil {
		t.Fatal("mailman is not installed: run scripts/test-deps.sh")
	}
	dir := t.TempDir()
	addr := freeAddr(t)
	host, port := splitAddr(addr)
	cfg := filepath.Join(dir, "mailman.cfg")
	body := fmt.Sprintf(`[mailman]
site_owner: admin@example.org
layout: here
[paths.here]
var_dir: %[1]s/var
queue_dir: $var_dir/queue
bin_dir: /usr/lib/mailman3/bin
list_data_dir: $var_dir/lists
log_dir: $var_dir/logs
lock_dir: $var_dir/locks
data_dir: $var_dir/data
cache_dir: $var_dir/cache
etc_dir: %[1]s
ext_dir: $var_dir/ext
messages_dir: $var_dir/messages
archive_dir: $var_dir/archives
template_dir: $var_dir/templates
pid_file: $var_dir/master.pid
lock_file: $lock_dir/master.lck
[database]
class: mailman.database.sqlite.SQLiteDatabase
url: sqlite:///$DATA_DIR/mailman.db
[webservice]
hostname: %[2]s
port: %[3]s
api_version: 3.1
admin_user: restadmin
admin_pass: restpass
[mta]
incoming: mailman.mta.null.NullMTA
smtp_host: 127.0.0.1
smtp_port: 9
[archiver.prototype]
enable: no
[archiver.mhonarc]
enable: no
[archiver.mail_archive]
enable: no
`, dir, host, port)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	// The master's runners inherit the command's output: a file, not a pipe that would keep
	// the command from returning.
	out, err := os.Create(filepath.Join(dir, "start.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	start := exec.Command("mailman", "--run-as-root", "-C", cfg, "start")
	start.Stdout, start.Stderr = out, out
	if err := start.Run(); err != nil {
		log, _ := os.ReadFile(out.Name())
		t.Fatalf("mailman start: %v\n%s", err, log)
	}
	t.Cleanup(func() {
		exec.Command("mailman", "--run-as-root", "-C", cfg, "stop").Run()
		// The master leaves when its runners have; wait so the temporary directory can go.
		for i := 0; i < 100; i++ {
			if _, err := os.Stat(filepath.Join(dir, "var", "master.pid")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	m := mailman{url: "http://" + addr + "/3.1", user: "restadmin", pass: "restpass"}
	deadline := time.Now().Add(60 * time.Second)
	for {
		var sys map[string]any
		if m.get("/system/versions", &sys) == nil {
			return m
		}
		if time.Now().After(deadline) {
			logs, _ := os.ReadFile(filepath.Join(dir, "var", "logs", "mailman.log"))
			t.Fatalf("Mailman's REST API did not come up on %s in 60 s:\n%s", addr, logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// get reads a REST resource into out.
func (m mailman) get(path string, out any) error {
	req, _ := http.NewRequest(http.MethodGet, m.url+path, nil)
	req.SetBasicAuth(m.user, m.pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// subscribe adds an address to a Mailman list by hand, as a list administrator would.
func (m mailman) subscribe(t *testing.T, listID, email string) {
	t.Helper()
	form := url.Values{"list_id": {listID}, "subscriber": {email}, "pre_verified": {"true"}, "pre_confirmed": {"true"},
		"pre_approved": {"true"}, "send_welcome_message": {"false"}}
	req, _ := http.NewRequest(http.MethodPost, m.url+"/members", strings.NewReader(form.Encode()))
	req.SetBasicAuth(m.user, m.pass)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("subscribing %s by hand: %s", email, resp.Status)
	}
}

// roster is a Mailman list's members' addresses, sorted; nil when the list does not exist.
func (m mailman) roster(listID string) []string {
	var page struct {
		Entries []struct {
			Email string `json:"email"`
		} `json:"entries"`
	}
	if err := m.get("/lists/"+listID+"/roster/member", &page); err != nil {
		return nil
	}
	out := []string{}
	for _, e := range page.Entries {
		out = append(out, e.Email)
	}
	slices.Sort(out)
	return out
}

// waitRoster waits until Mailman's roster is want: the feed runs in the server's background.
func (m mailman) waitRoster(t *testing.T, listID, why string, want ...string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := m.roster(listID)
		if slices.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: Mailman's roster of %s is %v, want %v", why, listID, got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestMailmanFollowsMembership: an association keeping Mailman 3 sees each list's roster brought
// in line with the group's members in force — the list is created there, members added, an
// address subscribed by hand removed, a member whose dues lapse removed without anyone touching
// Mailman, and put back when they pay.
func TestMailmanFollowsMembership(t *testing.T) {
	mm := startMailman(t)
	ts, _, _ := listServer(t, func(c *config.Config) {
		c.Lists.MailmanURL, c.Lists.MailmanUser, c.Lists.MailmanPassword = mm.url, mm.user, mm.pass
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ts.srv.lists.RunMailman(ctx)

	atelierList(t, ts)
	const id = "atelier." + listsDomain
	mm.waitRoster(t, id, "the list created on Parvis", "alice@example.org", "anna@example.org")

	// Someone subscribed by hand on Mailman is not a member in force: the next sync removes them.
	mm.subscribe(t, id, "intrus@example.net")
	res, err := ts.srv.lists.SyncMailman(ctx)
	if err != nil || len(res) != 1 || res[0].Removed != 1 || res[0].Added != 0 || res[0].Members != 2 {
		t.Fatalf("sync after a hand subscription: %+v, %v", res, err)
	}
	if got := mm.roster(id); slices.Contains(got, "intrus@example.net") {
		t.Fatalf("the hand subscription stayed: %v", got)
	}

	// Dues lapse: the group requires membership, the suspension day has passed, only anna paid.
	duesSeason(t, ts, "anna@example.org")
	mm.waitRoster(t, id, "after alice's dues lapsed", "anna@example.org")
	payDues(t, ts, "alice@example.org")
	mm.waitRoster(t, id, "after alice paid", "alice@example.org", "anna@example.org")
}
