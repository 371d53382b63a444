package caldav

import (
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// syncedColl is one collection synced by vdirsyncer: a local directory and a server collection, with
// the items both should hold (UID → content).
type syncedColl struct {
	name, ext, ctype string
	card             bool
	make             func(uid, summary string, i int) string
	count            int // items created on each side
	local, remote    string
	want             map[string]string
}

// TestVdirsyncer syncs a group's agenda, task list and address book both ways with Debian's vdirsyncer:
// hundreds of items created on each side, then conflicting edits (resolved "a wins", a being the
// local side), one-sided edits, deletions and creations on both sides. After each sync, both sides
// must hold exactly the expected items, byte for byte, and a further sync must have nothing to do.
// khal then lists the synced agenda.
func TestVdirsyncer(t *testing.T) {
	s := startServer(t)
	c := davClient{base: s.Base, user: alice, password: alicePassword}
	id := c.principalID(t)
	home := t.TempDir()
	colls := []*syncedColl{
		{name: "atelier~agenda", ext: ".ics", ctype: "text/calendar", make: plainEvent, count: 150},
		{name: "atelier~taches", ext: ".ics", ctype: "text/calendar", make: task, count: 100},
		{name: "atelier~contacts", ext: ".vcf", ctype: "text/vcard", card: true, make: card, count: 100},
	}
	for _, sc := range colls {
		space := "calendars"
		if sc.card {
			space = "addressbooks"
		}
		sc.remote = "/dav/" + space + "/" + id + "/" + sc.name + "/"
		sc.local = filepath.Join(home, "vdir", space, sc.name)
		if err := os.MkdirAll(sc.local, 0o755); err != nil {
			t.Fatal(err)
		}
		sc.want = map[string]string{}
	}
	writeVdirsyncerConfig(t, home, s.Base)

	for _, sc := range colls {
		createBothSides(t, c, sc, 0, sc.count)
	}
	addKhalEvents(t, c, colls[0])
	vdirsyncer(t, home, "discover")
	vdirsyncer(t, home, "sync")
	for _, sc := range colls {
		assertConverged(t, c, sc)
	}

	for _, sc := range colls {
		changeBothSides(t, c, sc)
	}
	renameCollectif(t, c, colls[0])
	vdirsyncer(t, home, "sync")
	out := vdirsyncer(t, home, "sync")
	if strings.Contains(out, "Copying") || strings.Contains(out, "Deleting") {
		t.Errorf("the sync after convergence still changed something:\n%s", out)
	}
	for _, sc := range colls {
		assertConverged(t, c, sc)
	}
	checkKhal(t, home, colls[0].local)
}

// writeVdirsyncerConfig writes two pairs, calendars and contacts, discovered from the bare server URL.
func writeVdirsyncerConfig(t *testing.T, home, base string) {
	t.Helper()
	storage := func(name, typ, local, extra string) string {
		return fmt.Sprintf("[storage %s_local]\ntype = \"filesystem\"\npath = %q\nfileext = %q\n\n"+
			"[storage %s_remote]\ntype = %q\nurl = %q\nusername = %q\npassword = %q\n%s\n",
			name, filepath.Join(home, "vdir", local), map[string]string{"caldav": ".ics", "carddav": ".vcf"}[typ],
			name, typ, base+"/", alice, alicePassword, extra)
	}
	// With a date range and item types, vdirsyncer lists the server with calendar-query REPORTs
	// (time-range per component) instead of PROPFIND: every item lies in this range, so an instance
	// the server failed to match would show up as a duplicate or a conflict.
	ranged := "item_types = [\"VEVENT\", \"VTODO\"]\nstart_date = \"datetime(2020, 1, 1)\"\nend_date = \"datetime(2030, 1, 1)\"\n"
	pair := func(name, collections string) string {
		return fmt.Sprintf("[pair %s]\na = \"%s_local\"\nb = \"%s_remote\"\ncollections = %s\nconflict_resolution = \"a wins\"\n\n",
			name, name, name, collections)
	}
	conf := fmt.Sprintf("[general]\nstatus_path = %q\n\n", filepath.Join(home, "status")) +
		pair("cal", `["atelier~agenda", "atelier~taches"]`) + storage("cal", "caldav", "calendars", ranged) +
		pair("card", `["atelier~contacts"]`) + storage("card", "carddav", "addressbooks", "")
	if err := os.WriteFile(filepath.Join(home, "config"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
}

// vdirsyncer runs Debian's vdirsyncer with HOME and XDG directories inside the test's directory.
func vdirsyncer(t *testing.T, home string, args ...string) string {
	t.Helper()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "LC_ALL=C.UTF-8"}
	out, err := run(t, env, "/usr/bin/vdirsyncer", append([]string{"-c", filepath.Join(home, "config")}, args...)...)
	if err != nil || strings.Contains(out, "error:") {
		t.Fatalf("vdirsyncer %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// createBothSides makes items [from, to) of a collection on each side: files in the local directory
// and PUTs on the server, with distinct UIDs. Some UIDs look like the ones phones make ("…@host"),
// which vdirsyncer does not use as a resource name; some server items are stored under a name that is
// not their UID, with spaces and accents, as other clients do.
func createBothSides(t *testing.T, c davClient, sc *syncedColl, from, to int) {
	t.Helper()
	kind := strings.TrimPrefix(sc.name, "atelier~")
	remote := map[string]string{}
	for i := from; i < to; i++ {
		luid := fmt.Sprintf("local-%s-%03d", kind, i)
		if i%7 == 0 {
			luid += "@portable.example.org"
		}
		item := sc.make(luid, "Créé en local "+luid, i)
		writeFile(t, filepath.Join(sc.local, fmt.Sprintf("l%03d%s", i, sc.ext)), item)
		sc.want[luid] = item
		ruid := fmt.Sprintf("remote-%s-%03d", kind, i)
		name := ruid + sc.ext
		if i%10 == 0 {
			ruid += "@telephone.example.org"
			name = fmt.Sprintf("réunion n°%d du bureau%s", i, sc.ext)
		}
		remote[name] = sc.make(ruid, "Créé sur le serveur "+ruid, i)
		sc.want[ruid] = remote[name]
	}
	c.putAll(t, sc.remote, remote, sc.ctype)
}

// changeBothSides makes the second round: on 10 items edited on both sides the local edit must win;
// 10 edits on each side alone, 15 deletions on each side (of items the other side created), 5
// creations on each side.
func changeBothSides(t *testing.T, c davClient, sc *syncedColl) {
	t.Helper()
	remote := c.list(t, sc.remote, sc.card)
	local := localItems(t, sc)
	uids := slices.Sorted(maps.Keys(sc.want))
	var locals, remotes []string
	for _, u := range uids {
		if strings.HasPrefix(u, "local-") {
			locals = append(locals, u)
		} else if strings.HasPrefix(u, "remote-") {
			remotes = append(remotes, u)
		}
	}
	// edit changes an item on one side; wins tells whether the sync must keep this version.
	edit := func(uid, where string, inLocal, wins bool) {
		item := withSummary(sc.want[uid], where+" "+uid)
		if inLocal {
			writeFile(t, local[uid], item)
		} else {
			resp, out, err := c.do(http.MethodPut, remote[uid].href, sc.ctype, item, "If-Match", remote[uid].etag)
			if err != nil || resp.StatusCode != http.StatusNoContent {
				t.Fatalf("PUT %s: %v %v %s", uid, err, resp, out)
			}
		}
		if wins {
			sc.want[uid] = item
		}
	}
	for _, u := range append(locals[:5:5], remotes[:5]...) { // conflicts: a (local) wins
		edit(u, "Modifié sur le serveur", false, false)
		edit(u, "Modifié en local", true, true)
	}
	for _, u := range append(locals[5:10:10], remotes[5:10]...) {
		edit(u, "Modifié en local seulement", true, true)
	}
	for _, u := range append(locals[10:15:15], remotes[10:15]...) {
		edit(u, "Modifié sur le serveur seulement", false, true)
	}
	for _, u := range remotes[20:35] {
		removeFile(t, local[u])
		delete(sc.want, u)
	}
	for _, u := range locals[20:35] {
		c.remove(t, remote[u])
		delete(sc.want, u)
	}
	// Deleted on one side, edited on the other: the edit survives, nothing is lost.
	for _, u := range locals[35:40] {
		removeFile(t, local[u])
		edit(u, "Modifié sur le serveur, supprimé en local", false, true)
	}
	for _, u := range remotes[35:40] {
		c.remove(t, remote[u])
		edit(u, "Modifié en local, supprimé sur le serveur", true, true)
	}
	createBothSides(t, c, sc, sc.count, sc.count+5)
}

// localItems reads a local vdir: UID → file path.
func localItems(t *testing.T, sc *syncedColl) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(sc.local, "*"+sc.ext))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		uid := uidOf(string(b))
		if _, dup := out[uid]; dup || uid == "" {
			t.Errorf("%s: UID %q twice or missing", p, uid)
		}
		out[uid] = p
	}
	return out
}

// assertConverged checks that both sides hold exactly the expected UIDs, each with the expected
// content: nothing lost, nothing duplicated, nothing altered.
func assertConverged(t *testing.T, c davClient, sc *syncedColl) {
	t.Helper()
	local := localItems(t, sc)
	remote := c.list(t, sc.remote, sc.card)
	if len(local) != len(sc.want) || len(remote) != len(sc.want) {
		t.Errorf("%s: %d items expected, %d local, %d on the server", sc.name, len(sc.want), len(local), len(remote))
	}
	bad := 0
	for uid, want := range sc.want {
		lb, _ := os.ReadFile(local[uid])
		if string(lb) != want {
			bad++
			if bad <= 3 {
				t.Errorf("%s: local %s is\n%q\nwant\n%q", sc.name, uid, lb, want)
			}
		}
		if got := remote[uid].data; got != want {
			bad++
			if bad <= 3 {
				t.Errorf("%s: server %s is\n%q\nwant\n%q", sc.name, uid, got, want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d items differ from what was expected", sc.name, bad)
	}
}

func removeFile(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
