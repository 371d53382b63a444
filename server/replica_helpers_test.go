package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"parvis/config"
	"parvis/storage/blob"
	"parvis/storage/db"
	"parvis/storage/replica"
	"parvis/test/miniotest"
)

// replicaRig is a configuration with an S3 primary store and a partner, each on its own MinIO.
type replicaRig struct {
	cfg              config.Config
	primary, partner *miniotest.Server
	ids              []age.Identity
}

func newReplicaRig(t *testing.T) *replicaRig {
	t.Helper()
	r := &replicaRig{cfg: testConfig(t), primary: miniotest.Start(t), partner: miniotest.Start(t)}
	a, _ := age.GenerateX25519Identity()
	b, _ := age.GenerateX25519Identity()
	r.ids = []age.Identity{a}
	idFile := filepath.Join(t.TempDir(), "identity.txt")
	if err := os.WriteFile(idFile, []byte(a.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.cfg.Storage.Driver = "s3"
	r.cfg.Storage.S3 = config.S3{Endpoint: r.primary.Addr, Bucket: "primary", AccessKey: miniotest.User, SecretKey: miniotest.Secret, PathStyle: true}
	r.cfg.Replication = config.Replication{Endpoint: r.partner.Addr, Bucket: "partner", AccessKey: miniotest.User, SecretKey: miniotest.Secret,
		PathStyle: true, Recipients: a.Recipient().String() + " " + b.Recipient().String(), IdentityFile: idFile,
		DBInterval: config.Duration{Duration: 10 * time.Second}, DeleteAfter: config.Duration{Duration: time.Hour},
		Timeout: config.Duration{Duration: 30 * time.Second}}
	if err := r.cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return r
}

// toml is the rig's configuration as a parvis.toml, for a server run as a process.
func (r *replicaRig) toml() string {
	s, rc := r.cfg.Storage.S3, r.cfg.Replication
	return fmt.Sprintf(`[storage]
driver = "s3"
[storage.s3]
endpoint = %q
bucket = %q
access_key = %q
secret_key = %q
path_style = true
[replication]
endpoint = %q
bucket = %q
access_key = %q
secret_key = %q
path_style = true
recipients = %q
identity_file = %q
`, s.Endpoint, s.Bucket, s.AccessKey, s.SecretKey, rc.Endpoint, rc.Bucket, rc.AccessKey, rc.SecretKey, rc.Recipients, rc.IdentityFile)
}

// partnerClient reads the partner's bucket as the test sees it, with the instance's naming key.
func (r *replicaRig) partnerClient(t *testing.T, d *db.DB) *replica.Partner {
	t.Helper()
	rc := r.cfg.Replication
	p, err := replica.Open(context.Background(), replica.Config{Endpoint: rc.Endpoint, Bucket: rc.Bucket, AccessKey: rc.AccessKey,
		SecretKey: rc.SecretKey, PathStyle: true, Recipients: rc.RecipientList()}, r.ids)
	if err != nil {
		t.Fatal(err)
	}
	key, err := replica.NamingKey(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	p.SetNamingKey(key)
	return p
}

// primaryClient reads the primary bucket directly, around the server.
func (r *replicaRig) primaryClient(t *testing.T) *blob.S3 {
	t.Helper()
	s := r.cfg.Storage.S3
	st, err := blob.OpenS3(context.Background(), blob.S3Config{Endpoint: s.Endpoint, Bucket: s.Bucket, AccessKey: s.AccessKey,
		SecretKey: s.SecretKey, PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// noisy returns n deterministic bytes that look random (SHA-256 in counter mode): no two 16-byte
// blocks of different files or places repeat, so a plaintext block found in a ciphertext would be a leak.
func noisy(seed string, n int) []byte {
	out := make([]byte, 0, n+32)
	var ctr [8]byte
	for i := uint64(0); len(out) < n; i++ {
		binary.BigEndian.PutUint64(ctr[:], i)
		sum := sha256.Sum256(append([]byte(seed), ctr[:]...))
		out = append(out, sum[:]...)
	}
	return out[:n]
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// davPut uploads a body and returns the status and the Retry-After header.
func davPut(client *http.Client, base, path string, body []byte) (int, string, error) {
	hr, _ := http.NewRequest("PUT", base+"/dav/files/atelier"+path, bytes.NewReader(body))
	hr.SetBasicAuth(alice, pw)
	resp, err := client.Do(hr)
	if err != nil {
		return 0, "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After"), nil
}

// davGet fetches a file.
func davGet(client *http.Client, base, path string) (int, []byte, error) {
	hr, _ := http.NewRequest("GET", base+"/dav/files/atelier"+path, nil)
	hr.SetBasicAuth(alice, pw)
	resp, err := client.Do(hr)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
	}
}

func backlog(t *testing.T, d *db.DB) int64 {
	t.Helper()
	b, err := d.R(context.Background()).ReplicaBacklog()
	if err != nil {
		t.Fatal(err)
	}
	return b.Count
}

// assertNoPlaintext reads every object of the partner and fails if one contains any 32-byte
// window of a plaintext: every such window contains a whole 16-byte block aligned in its file,
// so looking each ciphertext position up among those blocks finds any leak.
func assertNoPlaintext(t *testing.T, p *replica.Partner, plaintexts [][]byte) {
	t.Helper()
	blocks := map[[16]byte]bool{}
	for _, pt := range plaintexts {
		for i := 0; i+16 <= len(pt); i += 16 {
			blocks[[16]byte(pt[i:i+16])] = true
		}
	}
	ctx := context.Background()
	objects := 0
	err := p.Objects(ctx, "", func(name string, size int64) error {
		objects++
		rc, err := p.ReadObject(ctx, name)
		if err != nil {
			return err
		}
		defer rc.Close()
		c, err := io.ReadAll(rc)
		if err != nil {
			return err
		}
		for i := 0; i+16 <= len(c); i++ {
			if blocks[[16]byte(c[i:i+16])] {
				return fmt.Errorf("object %s holds plaintext at %d", name, i)
			}
		}
		if strings.Contains(name, "atelier") {
			return fmt.Errorf("object name %s reveals a group", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if objects == 0 {
		t.Fatal("the partner holds nothing")
	}
}
