package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// The client's address, as every surface counts it (the sign-in throttle, the share links'
// guesses, the logs): the connection's, or, when that is a trusted reverse proxy (nginx on the same
// machine), the last address of X-Forwarded-For that is not one of the trusted proxies. Reading
// the header from the right is what a client cannot forge: it may write any address at the left.

// clientAddr returns r's client address as host:port (the port is the connection's).
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, port, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer, trusted) {
		return r.RemoteAddr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed hop: trust nothing left of it
		}
		if !isTrusted(a.Unmap(), trusted) {
			return net.JoinHostPort(a.Unmap().String(), port)
		}
	}
	return r.RemoteAddr
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}
