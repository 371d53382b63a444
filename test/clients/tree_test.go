package clients

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// sampleTree is what an association's shared folder really looks like:
// French names with accents, spaces and punctuation that must be escaped
// in URLs (#, %, &, '), an empty file, an empty folder, nesting, and one
// file large enough to take several reads and writes on the server.
// A trailing slash marks a folder; sizes are in bytes.
var sampleTree = map[string]int{
	"ordre du jour.txt": 2_000,
	"vide.txt":          0,
	"dossier vide/":     0,
	"Procès-verbaux/2026/compte-rendu AG 2026 – été.odt":  40_000,
	"Procès-verbaux/2026/budget #3 à 100%.ods":            12_345,
	"Procès-verbaux/l'assemblée & annexes (v2).pdf":       30_000,
	"Photos/fête de la musique 🎉/grande image.bin":        5 << 20,
	"Archives/2024/trésorerie/relevés/décembre/solde.csv": 777,
	"Archives/Ça commence par une cédille; ok = oui.md":   64,
	"Archives/50% + 50% = 100% #vrai.txt":                 3,
}

// writeTree creates sampleTree under dir with pseudo-random content from
// a fixed seed, so that a failure can be reproduced byte for byte.
func writeTree(t *testing.T, dir string) {
	t.Helper()
	rng := rand.NewChaCha8([32]byte{'p', 'a', 'r', 'v', 'i', 's'})
	names := make([]string, 0, len(sampleTree))
	for name := range sampleTree {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data := make([]byte, sampleTree[name])
		rng.Read(data)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// treeDigest maps every path under dir (slash-separated, folders with a
// trailing slash) to the SHA-256 of its content ("" for folders).
func treeDigest(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		out[rel] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// diffDigests reports every path missing, extra or different in got.
func diffDigests(t *testing.T, want, got map[string]string) {
	t.Helper()
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		w, inWant := want[k]
		g, inGot := got[k]
		switch {
		case !inGot:
			t.Errorf("missing after the round trip: %q", k)
		case !inWant:
			t.Errorf("unexpected after the round trip: %q", k)
		case w != g:
			t.Errorf("content differs after the round trip: %q (sha256 %s, want %s)", k, g, w)
		}
	}
}
