package ui

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
)

// rcloneKey is the fixed, published key of rclone's lib/obscure. "Obscured" passwords in
// rclone.conf are not encrypted in any useful sense: the format only keeps them from being read over
// a shoulder. We produce it so that the snippet we show can be pasted as is; the app password inside
// is what protects the account, and it is revocable.
var rcloneKey = []byte{
	0x9c, 0x93, 0x5b, 0x48, 0x73, 0x0a, 0x55, 0x4d,
	0x6b, 0xfd, 0x7c, 0x63, 0xc8, 0x86, 0xa9, 0x2b,
	0xd3, 0x90, 0x19, 0x8e, 0xb8, 0x12, 0x8a, 0xfb,
	0xf4, 0xde, 0x16, 0x2b, 0x8b, 0x95, 0xf6, 0x38,
}

// rcloneObscure does what `rclone obscure` does: a random 16-byte IV, AES-256-CTR under rcloneKey,
// the IV and the ciphertext in unpadded base64url.
func rcloneObscure(s string) (string, error) {
	block, err := aes.NewCipher(rcloneKey)
	if err != nil {
		return "", err
	}
	out := make([]byte, aes.BlockSize+len(s))
	iv := out[:aes.BlockSize]
	if _, err := rand.Read(iv); err != nil {
		return "", err
	}
	cipher.NewCTR(block, iv).XORKeyStream(out[aes.BlockSize:], []byte(s))
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// rcloneConfig is a remote named "parvis" for rclone.conf, reaching every group folder of the
// person: `rclone lsf parvis:GROUP`.
func rcloneConfig(publicURL, user, password string) (string, error) {
	pass, err := rcloneObscure(password)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[parvis]\ntype = webdav\nurl = %s/dav/files/\nvendor = other\nuser = %s\npass = %s\n", publicURL, user, pass)
	return b.String(), nil
}
