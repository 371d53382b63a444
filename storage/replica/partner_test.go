package replica

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"testing"
	"time"

	"filippo.io/age"

	"parvis/test/miniotest"
)

// testPartner opens a partner on a fresh MinIO with two recipients; it can read back with either key.
func testPartner(t *testing.T) (*Partner, []*age.X25519Identity) {
	t.Helper()
	m := miniotest.Start(t)
	a, _ := age.GenerateX25519Identity()
	b, _ := age.GenerateX25519Identity()
	p, err := Open(context.Background(), Config{Endpoint: m.Addr, Bucket: "partner", AccessKey: miniotest.User,
		SecretKey: miniotest.Secret, PathStyle: true, Recipients: []string{a.Recipient().String(), b.Recipient().String()}},
		[]age.Identity{b})
	if err != nil {
		t.Fatal(err)
	}
	p.SetNamingKey([]byte("0123456789abcdef0123456789abcdef"))
	return p, []*age.X25519Identity{a, b}
}

// TestPartnerRoundTrip stores contents of sizes around age's 64 KiB chunks (the ciphertext length is
// computed, so a wrong formula fails the PUT), reads them back whole and by ranges, and checks that
// the partner holds neither the plaintext nor its hash.
func TestPartnerRoundTrip(t *testing.T) {
	p, ids := testPartner(t)
	ctx := context.Background()
	for _, n := range []int{0, 1, 65535, 65536, 65537, 131072, 3<<20 + 7} {
		data := make([]byte, n)
		rand.Read(data)
		sum := sha256.Sum256(data)
		key := hex.EncodeToString(sum[:])
		if err := p.PutBlob(ctx, key, bytes.NewReader(data), int64(n)); err != nil {
			t.Fatalf("put %d bytes: %v", n, err)
		}
		if ok, err := p.HasBlob(ctx, key); !ok || err != nil {
			t.Fatalf("has %d: %v %v", n, ok, err)
		}
		pl, err := p.OpenBlob(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(pl)
		if !bytes.Equal(got, data) || pl.Size() != int64(n) {
			t.Fatalf("%d bytes: read back %d", n, len(got))
		}
		if n > 70000 {
			pl.Seek(65530, io.SeekStart)
			part := make([]byte, 100)
			io.ReadFull(pl, part)
			if !bytes.Equal(part, data[65530:65630]) {
				t.Fatalf("range read across a chunk boundary differs")
			}
		}
		pl.Close()
		raw, _ := p.ReadObject(ctx, p.BlobName(key))
		cipher, _ := io.ReadAll(raw)
		raw.Close()
		if n >= 16 && bytes.Contains(cipher, data[:16]) || bytes.Contains(cipher, []byte(key)) {
			t.Fatalf("%d bytes: the partner's object shows plaintext or its hash", n)
		}
		// The other recipient's key decrypts too.
		r, err := age.Decrypt(bytes.NewReader(cipher), ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := io.ReadAll(r); !bytes.Equal(again, data) {
			t.Fatal("second recipient reads something else")
		}
	}
	// Unknown length uploads work too.
	data := bytes.Repeat([]byte("parvis "), 50000)
	if err := p.PutBlob(ctx, "ab", io.MultiReader(bytes.NewReader(data)), -1); err != nil {
		t.Fatal(err)
	}
	if _, err := p.OpenBlob(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing blob: %v", err)
	}
	if err := p.DeleteBlob(ctx, "ab"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := p.HasBlob(ctx, "ab"); ok {
		t.Fatal("deleted blob still there")
	}
}

func TestPartnerSnapshots(t *testing.T) {
	p, _ := testPartner(t)
	ctx := context.Background()
	t0 := time.Unix(1700000000, 0)
	for i := 0; i < 3; i++ {
		body := []byte{byte(i)}
		if _, err := p.PutSnapshot(ctx, t0.Add(time.Duration(i)*time.Hour), bytes.NewReader(body), 1); err != nil {
			t.Fatal(err)
		}
	}
	snaps, err := p.Snapshots(ctx)
	if err != nil || len(snaps) != 3 || !snaps[2].At.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("snapshots %v %v", snaps, err)
	}
	pl, err := p.OpenSnapshot(ctx, snaps[2].Name)
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Close()
	if b, _ := io.ReadAll(pl); !bytes.Equal(b, []byte{2}) {
		t.Fatalf("newest snapshot reads %v", b)
	}
}

func TestOpenRefusesOneRecipient(t *testing.T) {
	a, _ := age.GenerateX25519Identity()
	if _, err := Open(context.Background(), Config{Endpoint: "127.0.0.1:1", Bucket: "x", Recipients: []string{a.Recipient().String()}}, nil); err == nil {
		t.Fatal("one recipient accepted")
	}
}
