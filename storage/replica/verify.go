package replica

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
)

// verified is a content read back from the partner. age authenticates each object, but anyone can
// encrypt to our public keys, and the partner could swap two objects: a whole read from the start
// is therefore checked against the content's hash, and fails at its end when it differs. Range
// reads cannot be checked.
type verified struct {
	*Plain
	key     string
	h       hash.Hash
	hashing bool // every byte from offset 0 to the position went through h
}

func newVerified(p *Plain, key string) *verified {
	return &verified{Plain: p, key: key, h: sha256.New(), hashing: true}
}

func (v *verified) Read(p []byte) (int, error) {
	n, err := v.Plain.Read(p)
	if v.hashing {
		v.h.Write(p[:n])
		if err == io.EOF && hex.EncodeToString(v.h.Sum(nil)) != v.key {
			return n, fmt.Errorf("replica: the partner's copy of %s does not match its hash", v.key)
		}
	}
	return n, err
}

func (v *verified) Seek(off int64, whence int) (int64, error) {
	pos, err := v.Plain.Seek(off, whence)
	if err == nil {
		v.hashing = pos == 0
		v.h.Reset()
	}
	return pos, err
}
