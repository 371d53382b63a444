package access

import (
	"errors"
	"strings"
	"testing"
)

// TestValidatePassword: the length rule, then the common passwords, French ones included, in the
// disguises people use; real passphrases pass.
func TestValidatePassword(t *testing.T) {
	for _, p := range []string{"azerty123", "soleil", "court"} {
		if err := ValidatePassword(p); !errors.Is(err, ErrWeakPassword) || errors.Is(err, ErrCommonPassword) {
			t.Errorf("%q: %v, want too short", p, err)
		}
	}
	for _, p := range []string{
		"motdepasse", "MotDePasse", "mot-de-passe", "motdepasse123", "azerty1234", "azertyuiop",
		"Soleil2024!", "S0leil-2025", "P@ssw0rd123", "password1234", "1234567890", "0123456789",
		"qwertyuiop", "Marseille13", "jetaime2024", "doudou1234", "1qaz2wsx3edc", "aaaaaaaaaaaa",
		"abababababab", "Chocolat!!!!", "iloveyou123", "trustno1234",
	} {
		if err := ValidatePassword(p); !errors.Is(err, ErrCommonPassword) {
			t.Errorf("%q: %v, want refused as common", p, err)
		}
	}
	for _, p := range []string{
		"un mot de passe long", "mot-de-passe-de-test", "Cheval-Batterie-Agrafe-2026!", "Tr0ub4dor&3 du bureau",
		"nouveau mot de passe", "girafe orageuse 42", "soleil et marée basse",
	} {
		if err := ValidatePassword(p); err != nil {
			t.Errorf("%q: %v, want accepted", p, err)
		}
	}
	if !strings.Contains(ErrCommonPassword.Error(), "common") {
		t.Error("the refusal should say why")
	}
}

// TestCommonListLoads guards the embedded file: enough entries, none empty.
func TestCommonListLoads(t *testing.T) {
	c := common()
	if len(c.raw) < 800 || len(c.roots) < 700 {
		t.Fatalf("%d passwords, %d roots", len(c.raw), len(c.roots))
	}
}
