package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: one of OWASP's equivalent recommended settings (7 MiB, 5 passes, 1 lane),
// the one with the least memory, since Parvis runs on small machines. They are stored in each hash,
// so changing them later only affects new hashes.
const (
	argonMemory  = 7 * 1024
	argonTime    = 5
	argonThreads = 1
	argonKeyLen  = 32
)

// hashSlots bounds concurrent hashing to the two cores of a small server: a burst of sign-ins
// queues instead of taking memory and CPU from everything else.
var hashSlots = make(chan struct{}, 2)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	hashSlots <- struct{}{}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	<-hashSlots
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword tells whether password matches an argon2id PHC hash, in constant time.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("access: not an argon2id hash")
	}
	var version int
	var mem, iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("access: unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false, errors.New("access: bad argon2 parameters")
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, errors.New("access: bad salt")
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, errors.New("access: bad key")
	}
	hashSlots <- struct{}{}
	got := argon2.IDKey([]byte(password), salt, iters, mem, threads, uint32(len(want)))
	<-hashSlots
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when the account does not exist, so that a wrong e-mail costs as much
// time as a wrong password and does not reveal who has an account. It is made on first use.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("parvis-dummy-password")
	return h
})

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// ValidatePassword refuses passwords too weak to protect an account: too short, or among the most
// common ones (see common.go).
func ValidatePassword(p string) error {
	if len([]rune(p)) < MinPasswordLength {
		return fmt.Errorf("%w: at least %d characters", ErrWeakPassword, MinPasswordLength)
	}
	if isCommonPassword(p) {
		return ErrCommonPassword
	}
	return nil
}
