package access

import (
	"errors"
	"testing"
)

// TestAudienceAddresses: an audience's address reads back as itself; what is not one is refused.
func TestAudienceAddresses(t *testing.T) {
	for _, a := range AudiencesOf("collectif") {
		got, err := ParseAudience(a.Address())
		if err != nil || got != a || !IsAudience(a.Address()) {
			t.Errorf("%s reads back as %+v, %v", a.Address(), got, err)
		}
	}
	for _, bad := range []string{"mailto:ca@example.org", "urn:x-parvis:group:", "urn:x-parvis:group:ca:chef", "urn:x-parvis:ca", "urn:x-parvis:"} {
		if _, err := ParseAudience(bad); !errors.Is(err, ErrNoAudience) {
			t.Errorf("%q: %v, want ErrNoAudience", bad, err)
		}
	}
}
