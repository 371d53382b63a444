package server

import (
	"net/http"
	"net/netip"
	"testing"
)

// TestClientAddr: the client is the right-most address of X-Forwarded-For that is not a trusted
// proxy, and only when the connection comes from one; what a client writes at the left is ignored.
func TestClientAddr(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		remote string
		xff    []string
		want   string
	}{
		{"192.0.2.7:4000", []string{"203.0.113.9"}, "192.0.2.7:4000"},                 // not a proxy: the header is the client's words
		{"127.0.0.1:4000", nil, "127.0.0.1:4000"},                                     // the proxy itself, no header
		{"127.0.0.1:4000", []string{"203.0.113.9"}, "203.0.113.9:4000"},               // nginx forwarding
		{"127.0.0.1:4000", []string{"198.51.100.1, 203.0.113.9"}, "203.0.113.9:4000"}, // a forged left entry
		{"127.0.0.1:4000", []string{"203.0.113.9, 10.1.2.3"}, "203.0.113.9:4000"},     // two proxies
		{"127.0.0.1:4000", []string{"198.51.100.1", "203.0.113.9"}, "203.0.113.9:4000"},
		{"127.0.0.1:4000", []string{"203.0.113.9, nonsense"}, "127.0.0.1:4000"}, // a malformed hop: trust nothing left of it
		{"[::1]:4000", []string{"2001:db8::5"}, "[2001:db8::5]:4000"},
		{"127.0.0.1:4000", []string{"::ffff:203.0.113.9"}, "203.0.113.9:4000"},
	}
	for _, c := range cases {
		r := &http.Request{RemoteAddr: c.remote, Header: http.Header{}}
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := clientAddr(r, trusted); got != c.want {
			t.Errorf("%s %v: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}

// TestClientAddrForwarded: the standard Forwarded header (RFC 7239) is read the same way when a
// proxy sends it instead of X-Forwarded-For: quoted IPv6 with a port, an IPv4 with one, several
// proxies, a forged left element; an obfuscated node trusts nothing left of it.
func TestClientAddrForwarded(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct{ fwd, want string }{
		{"for=203.0.113.9;proto=https;by=127.0.0.1", "203.0.113.9:4000"},
		{`for="[2001:db8:cafe::17]:4711"`, "[2001:db8:cafe::17]:4000"},
		{`for="203.0.113.9:47011"`, "203.0.113.9:4000"},
		{"for=198.51.100.1, for=203.0.113.9, for=10.1.2.3", "203.0.113.9:4000"},
		{"For=203.0.113.9", "203.0.113.9:4000"},
		{"for=203.0.113.9, for=_hidden", "127.0.0.1:4000"},
		{"for=unknown", "127.0.0.1:4000"},
		{"proto=https", "127.0.0.1:4000"},
	}
	for _, c := range cases {
		r := &http.Request{RemoteAddr: "127.0.0.1:4000", Header: http.Header{"Forwarded": {c.fwd}}}
		if got := clientAddr(r, trusted); got != c.want {
			t.Errorf("Forwarded: %s: %s, want %s", c.fwd, got, c.want)
		}
	}
	r := &http.Request{RemoteAddr: "127.0.0.1:4000", Header: http.Header{"Forwarded": {"for=198.51.100.1"}, "X-Forwarded-For": {"203.0.113.9"}}}
	if got := clientAddr(r, trusted); got != "203.0.113.9:4000" {
		t.Errorf("with both headers: %s, want X-Forwarded-For's 203.0.113.9", got)
	}
}
