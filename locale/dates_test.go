package locale

import (
	"testing"
	"time"
)

func TestDatesInWords(t *testing.T) {
	at := time.Date(2026, 12, 2, 14, 5, 0, 0, time.UTC)
	first := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{Date("fr", at), "2 décembre 2026"}, {Date("en", at), "2 December 2026"},
		{DateTime("fr", at), "2 décembre 2026 à 14:05"}, {DateTime("en", at), "2 December 2026, 14:05"},
		{Date("fr", first), "1er mars 2027"}, {Date("en", first), "1 March 2027"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}
