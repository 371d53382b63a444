package access

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
)

// Length alone lets "motdepasse" and "azerty1234" through; these are the first guesses of any
// attacker. The list (commonpasswords.txt, with its origin) holds the roots that breach statistics
// keep finding; a password is refused when it is one of them, or one of them dressed up with
// digits and symbols at the ends or common letter substitutions (the way people meet a
// "complexity" rule: Soleil2024!, P@ssw0rd).

// ErrCommonPassword refuses a password found among the most common ones; it is an ErrWeakPassword.
var ErrCommonPassword = fmt.Errorf("%w: this password is among the most common ones and would be guessed first", ErrWeakPassword)

//go:embed commonpasswords.txt
var commonPasswordFile string

// minDistinct refuses "aaaaaaaaaa" and "ababababab" whatever the list says.
const minDistinct = 4

// common holds the list twice: as written (digit runs, keyboard walks) and as roots.
var common = sync.OnceValue(func() struct{ raw, roots map[string]bool } {
	c := struct{ raw, roots map[string]bool }{map[string]bool{}, map[string]bool{}}
	for line := range strings.Lines(commonPasswordFile) {
		w := strings.TrimSpace(line)
		if w == "" || w[0] == '#' {
			continue
		}
		c.raw[strings.ToLower(w)] = true
		if r := passwordRoot(w); len(r) >= 2 {
			c.roots[r] = true
		}
	}
	return c
})

// isCommonPassword tells whether p is a listed password or a listed root dressed up.
func isCommonPassword(p string) bool {
	c := common()
	if c.raw[strings.ToLower(p)] || c.raw[squeeze(p)] || c.roots[passwordRoot(p)] {
		return true
	}
	distinct := map[rune]bool{}
	for _, r := range strings.ToLower(p) {
		distinct[r] = true
	}
	return len(distinct) < minDistinct
}

// squeeze lower-cases p and drops the separators people put between words.
func squeeze(p string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '_' || r == '.' {
			return -1
		}
		return r
	}, strings.ToLower(p))
}

// leet undoes the substitutions people make to satisfy "one digit, one symbol".
var leet = strings.NewReplacer("@", "a", "0", "o", "3", "e", "4", "a", "1", "i", "$", "s", "5", "s", "7", "t", "!", "i")

// passwordRoot is p squeezed, without the digits and symbols at its ends, substitutions undone.
func passwordRoot(p string) string {
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	return leet.Replace(strings.TrimFunc(squeeze(p), notLetter))
}
