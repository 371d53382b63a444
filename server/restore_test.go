package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"parvis/config"
	"parvis/storage/db"
	"parvis/storage/replica"
	"parvis/test/miniotest"
)

// partnerSetup is a MinIO partner and the two key holders' identities.
type partnerSetup struct {
	minio    *miniotest.Server
	holders  []*age.X25519Identity
	identity string // the second holder's identity file
}

func newPartnerSetup(t *testing.T) *partnerSetup {
	t.Helper()
	a, _ := age.GenerateX25519Identity()
	b, _ := age.GenerateX25519Identity()
	file := filepath.Join(t.TempDir(), "cle-de-bea.txt")
	if err := os.WriteFile(file, []byte("# Béa's key\n"+b.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return &partnerSetup{minio: miniotest.Start(t), holders: []*age.X25519Identity{a, b}, identity: file}
}

// env is the partner's part of the configuration, as environment variables.
func (ps *partnerSetup) env(dataDir string) map[string]string {
	return map[string]string{"PARVIS_DATA_DIR": dataDir, "PARVIS_REPLICA_ENDPOINT": ps.minio.Addr,
		"PARVIS_REPLICA_BUCKET": "partenaire", "PARVIS_REPLICA_ACCESS_KEY": miniotest.User,
		"PARVIS_REPLICA_SECRET_KEY": miniotest.Secret, "PARVIS_REPLICA_PATH_STYLE": "true",
		"PARVIS_REPLICA_RECIPIENTS": ps.holders[0].Recipient().String() + " " + ps.holders[1].Recipient().String()}
}

func (ps *partnerSetup) configure(cfg *config.Config) {
	cfg.Replication.Endpoint, cfg.Replication.Bucket = ps.minio.Addr, "partenaire"
	cfg.Replication.AccessKey, cfg.Replication.SecretKey = miniotest.User, miniotest.Secret
	cfg.Replication.PathStyle = true
	cfg.Replication.Recipients = ps.holders[0].Recipient().String() + "," + ps.holders[1].Recipient().String()
}

// waitReplicated waits until the server's replicator has put every referenced content of the blob
// store on the partner.
func waitReplicated(t *testing.T, in *Instance) {
	t.Helper()
	ctx := context.Background()
	p := in.repl.partner
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		missing := 0
		err := in.db.R(ctx).Blobs(func(key string, size int64) error {
			if size <= db.InlineMax {
				return nil // inline: it travels with the database
			}
			if ok, err := p.HasBlob(ctx, key); err != nil || !ok {
				missing++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d contents did not reach the partner", missing)
		}
	}
}

// shipForTest waits for the server's replicator to copy the contents, then ships the database at
// once (rather than waiting for the next interval).
func shipForTest(t *testing.T, ts *testServer) *replica.Partner {
	t.Helper()
	waitReplicated(t, ts.srv.in)
	p := ts.srv.in.repl.partner
	sh := &replica.Shipper{DB: ts.srv.in.db, Partner: p, Monitor: ts.srv.in.repl.monitor, TempDir: ts.cfg.DataDir, Interval: 1}
	if _, err := sh.Ship(context.Background()); err != nil {
		t.Fatal(err)
	}
	return p
}

func randomBytes(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return string(b)
}

// TestRestoreFromPartner burns a server down: people, groups, files small and large (one in the
// trash, one with a previous version), an event and a contact are shipped to the partner, then
// restored into an empty directory with the second key holder's identity. The restored server serves
// the same bytes, the same calendar, and lets people sign in with the same password.
func TestRestoreFromPartner(t *testing.T) {
	ps := newPartnerSetup(t)
	cfg := testConfig(t)
	ps.configure(&cfg)
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	id := personID(t, ts, alice)
	files := map[string]string{
		"/dav/files/atelier/petit.txt":           "bonjour",
		"/dav/files/atelier/AG/grand.bin":        randomBytes(300 << 10),
		"/dav/files/commun/limite.bin":           randomBytes(64<<10 + 1),
		"/dav/files/atelier/AG/compte-rendu.odt": randomBytes(2 << 20),
	}
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/AG", user: alice})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/AG/compte-rendu.odt", user: alice, body: randomBytes(100 << 10)}) // kept as a version
	for p, body := range files {
		if code, _, _ := ts.do(t, req{method: "PUT", path: p, user: alice, body: body}); code != 201 && code != 204 {
			t.Fatalf("PUT %s: %d", p, code)
		}
	}
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/jete.bin", user: alice, body: randomBytes(80 << 10)})
	ts.must(t, 204, req{method: "DELETE", path: "/dav/files/atelier/jete.bin", user: alice})
	agenda := fmt.Sprintf("/dav/calendars/%d/atelier~agenda/ag.ics", id)
	contact := fmt.Sprintf("/dav/addressbooks/%d/atelier~contacts/bea.vcf", id)
	ts.must(t, 201, req{method: "PUT", path: agenda, user: alice, body: event("ag-2026"), headers: []string{"Content-Type", "text/calendar"}})
	ts.must(t, 201, req{method: "PUT", path: contact, user: alice, body: vcard("bea"), headers: []string{"Content-Type", "text/vcard"}})
	p := shipForTest(t, ts)

	target := t.TempDir()
	code, out, errOut := run(t, ps.env(target), "", "restore", "--from-partner", "--identity", ps.identity)
	if code != 0 {
		t.Fatalf("restore: exit %d\n%s%s", code, out, errOut)
	}
	t.Log(out)
	for _, want := range []string{"people 4, groups 3", "events 1", "contacts 1", "+1 in the trash", "restore complete", "(100 %)"} {
		if !strings.Contains(out, want) {
			t.Errorf("report does not say %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`contents: (\d+) of (\d+) \(100 %\), [\d.]+ [kMG]?B of [\d.]+ [kMG]?B, [\d.]+ [kMG]?B/s, 0s left`).MatchString(out) {
		t.Errorf("the progress line does not say items, bytes, rate and time left:\n%s", out)
	}
	noLeftovers(t, target)
	if code, out, _ := run(t, map[string]string{"PARVIS_DATA_DIR": target}, "", "admin", "check"); code != 0 {
		t.Fatalf("admin check of the restored instance: %d\n%s", code, out)
	}
	rcfg := testConfig(t)
	rcfg.DataDir = target
	restored := serveConfig(t, rcfg)
	for path, want := range files {
		if got, _ := restored.must(t, 200, req{method: "GET", path: path, user: alice}); got != want {
			t.Errorf("%s: %d bytes restored, %d expected", path, len(got), len(want))
		}
	}
	if got, _ := restored.must(t, 200, req{method: "GET", path: agenda, user: alice}); got != event("ag-2026") {
		t.Errorf("event differs:\n%s", got)
	}
	report := `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop>
		<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/></c:comp-filter></c:filter></c:calendar-query>`
	if got, _ := restored.must(t, 207, req{method: "REPORT", path: fmt.Sprintf("/dav/calendars/%d/atelier~agenda/", id), user: alice,
		body: report, headers: []string{"Depth", "1", "Content-Type", "application/xml"}}); !strings.Contains(got, "ag.ics") {
		t.Errorf("calendar-query on the restored server:\n%s", got)
	}
	if got, _ := restored.must(t, 200, req{method: "GET", path: contact, user: alice}); got != vcard("bea") {
		t.Errorf("contact differs:\n%s", got)
	}
	signedIn(t, restored, bob) // the web sign-in with the same password

	// Restoring again into the same directory is refused; --resume goes on and finds all there.
	if code, _, errOut := run(t, ps.env(target), "", "restore", "--from-partner", "--identity", ps.identity); code == 0 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("restore over an instance: exit %d %s", code, errOut)
	}
	t.Run("corrupt object", func(t *testing.T) { restoreCorrupt(t, ps, p, files["/dav/files/atelier/AG/grand.bin"]) })
}

// restoreCorrupt damages one content's object on the partner: the restore fails and names it, and
// the server refuses to start on the half-restored directory; once the object is good again,
// --resume completes the restore and the server starts.
func restoreCorrupt(t *testing.T, ps *partnerSetup, p *replica.Partner, content string) {
	ctx := context.Background()
	key := sha256Hex(content)
	name := p.BlobName(key)
	raw, err := p.ReadObject(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(raw)
	raw.Close()
	good := bytes.Clone(buf.Bytes())
	damaged := buf.Bytes()
	damaged[len(damaged)/2] ^= 0xff
	c, err := minio.New(ps.minio.Addr, &minio.Options{Creds: credentials.NewStaticV4(miniotest.User, miniotest.Secret, "")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, "partenaire", name, bytes.NewReader(damaged), int64(len(damaged)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	code, out, errOut := run(t, ps.env(target), "", "restore", "--from-partner", "--identity", ps.identity)
	t.Log(out + errOut)
	if code == 0 || !strings.Contains(out, name) || !strings.Contains(out, key) || !strings.Contains(errOut, "1 contents missing or corrupt") {
		t.Fatalf("a corrupt object: exit %d\n%s%s", code, out, errOut)
	}
	cfg := testConfig(t)
	cfg.DataDir = target
	ps.configure(&cfg)
	if s, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil || !strings.Contains(err.Error(), "has not completed") {
		if s != nil {
			s.Close()
		}
		t.Fatalf("serve on a half-restored directory: %v, want a refusal", err)
	}
	if _, err := c.PutObject(ctx, "partenaire", name, bytes.NewReader(good), int64(len(good)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, ps.env(target), "", "restore", "--from-partner", "--identity", ps.identity, "--resume")
	if code != 0 || !strings.Contains(out, "restore complete") {
		t.Fatalf("--resume once the object is good: exit %d\n%s%s", code, out, errOut)
	}
	noLeftovers(t, target)
	s, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("serve after the resumed restore: %v", err)
	}
	s.Close()
}

// noLeftovers fails if a restore left a partial or temporary file in the data directory.
func noLeftovers(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.Contains(d.Name(), ".partial") || strings.Contains(d.Name(), ".partner-copy") ||
			filepath.Base(filepath.Dir(path)) == "tmp") {
			t.Errorf("the restore left %s", path)
		}
		return nil
	})
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
