package access

import (
	"testing"
	"time"
)

// TestTOTPVectors checks the codes against RFC 6238's SHA-1 test vectors (appendix B), whose
// eight digits end in the six an app shows.
func TestTOTPVectors(t *testing.T) {
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	for _, v := range []struct {
		unix int64
		code string
	}{
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"},
		{2000000000, "279037"}, {20000000000, "353130"},
	} {
		step, ok := matchTOTP(secret, v.code, time.Unix(v.unix, 0))
		if !ok || step != v.unix/30 {
			t.Errorf("T=%d: code %s: step %d, ok %v", v.unix, v.code, step, ok)
		}
	}
	if _, ok := matchTOTP(secret, "287083", time.Unix(59, 0)); ok {
		t.Error("a wrong code matched")
	}
	if step, ok := matchTOTP(secret, "287082", time.Unix(59+30, 0)); !ok || step != 1 {
		t.Error("the previous step's code should pass (clock drift)")
	}
	if _, ok := matchTOTP(secret, "287082", time.Unix(59+90, 0)); ok {
		t.Error("a code three steps old matched")
	}
}

// TestRecoveryCodes: ten distinct codes, stored by a hash that does not depend on dashes or case.
func TestRecoveryCodes(t *testing.T) {
	codes, hashes := newRecoveryCodes()
	if len(codes) != RecoveryCodeCount || len(hashes) != RecoveryCodeCount {
		t.Fatalf("%d codes", len(codes))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if len(c) != 19 || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
		if HashSecret(normalizeRecoveryCode(c)) != hashes[i] {
			t.Fatalf("code %q does not match its hash", c)
		}
	}
}
