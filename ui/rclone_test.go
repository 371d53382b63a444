package ui

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"
)

// TestRcloneObscure: rclone itself reveals what we obscured, and two obscurings of one password
// differ (the IV is random). The end-to-end use of the snippet is in server/account_connect_test.go.
func TestRcloneObscure(t *testing.T) {
	const secret = "abcdef-ghijkl-mnopqr-stuvwx"
	a, err := rcloneObscure(secret)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := rcloneObscure(secret)
	if a == b {
		t.Fatal("two obscurings are equal: the IV is not random")
	}
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != aes.BlockSize+len(secret) {
		t.Fatalf("not base64url of IV+ciphertext: %v %d", err, len(raw))
	}
	block, _ := aes.NewCipher(rcloneKey)
	plain := make([]byte, len(secret))
	cipher.NewCTR(block, raw[:aes.BlockSize]).XORKeyStream(plain, raw[aes.BlockSize:])
	if string(plain) != secret {
		t.Fatalf("decrypted %q", plain)
	}
	if _, err := exec.LookPath("rclone"); err != nil {
		t.Skip("rclone not installed")
	}
	out, err := exec.Command("rclone", "reveal", a).Output()
	if err != nil || strings.TrimSpace(string(out)) != secret {
		t.Fatalf("rclone reveal: %q %v", out, err)
	}
}
