package locale

import "testing"

func TestBytes(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int64
		want string
	}{{"fr", 5000, "5,0\u00a0ko"}, {"fr", 512, "512\u00a0o"}, {"fr", 1_200_000_000, "1,2\u00a0Go"}, {"en", 5000, "5.0\u00a0kB"}} {
		if got := Bytes(c.lang, c.n); got != c.want {
			t.Errorf("Bytes(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	for in, want := range map[string]int64{"400 Mo": 400_000_000, "1,5 Go": 1_500_000_000, "20GB": 20_000_000_000, "20 go": 20_000_000_000, "0": 0} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ParseBytes("beaucoup"); err == nil {
		t.Error("ParseBytes(beaucoup) gave no error")
	}
}
