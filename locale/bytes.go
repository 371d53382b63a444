package locale

import (
	"strings"

	"github.com/dustin/go-humanize"
)

// Sizes as people write them: "5,0 ko", "1,2 Go" in French (octets, a decimal comma), "5.0 kB" in
// English, the number and its unit held together by a no-break space.

// frUnits are the French names of humanize's units.
var frUnits = strings.NewReplacer(" kB", " ko", " MB", " Mo", " GB", " Go", " TB", " To", " PB", " Po", " B", " o")

// Bytes is n bytes written for lang.
func Bytes(lang string, n int64) string {
	s := humanize.Bytes(uint64(max(n, 0)))
	if lang == "fr" {
		s = frUnits.Replace(strings.Replace(s, ".", ",", 1))
	}
	return strings.Replace(s, " ", "\u00a0", 1)
}

// ParseBytes reads a size as people type it in either language: "20GB", "400 Mo", "1,5 Go".
func ParseBytes(s string) (int64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\u00a0", ""), ",", "."))
	if low := strings.ToLower(s); strings.HasSuffix(low, "o") {
		s = s[:len(s)-1] + "B" // octets: ko, Mo, Go… are kB, MB, GB…
	}
	n, err := humanize.ParseBytes(s)
	return int64(n), err
}
