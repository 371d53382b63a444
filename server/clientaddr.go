package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// The client's address, as every surface counts it (the sign-in throttle, the share links'
// guesses, the logs): the connection's, or, when that is a trusted reverse proxy (nginx on the same
// machine), the last address of X-Forwarded-For (or, without it, of the standard Forwarded header,
// RFC 7239) that is not one of the trusted proxies. Reading the header from the right is what a
// client cannot forge: it may write any address at the left.

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
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
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

// forwardedFor lists the hops a request went through, the client first: X-Forwarded-For's
// addresses, else the for= of each element of Forwarded (RFC 7239 §4: a quoted IPv6 address in
// brackets, an optional port; an obfuscated or "unknown" one is left as it is, and fails to parse).
func forwardedFor(h http.Header) []string {
	var hops []string
	if xff := h.Values("X-Forwarded-For"); len(xff) > 0 {
		for _, hop := range strings.Split(strings.Join(xff, ","), ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
		return hops
	}
	for _, elem := range strings.Split(strings.Join(h.Values("Forwarded"), ","), ",") {
		node := ""
		for _, pair := range strings.Split(elem, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(pair), "="); ok && strings.EqualFold(k, "for") {
				node = strings.Trim(v, `"`)
			}
		}
		if strings.HasPrefix(node, "[") {
			node, _, _ = strings.Cut(node[1:], "]")
		} else if host, _, err := net.SplitHostPort(node); err == nil {
			node = host
		}
		hops = append(hops, node)
	}
	return hops
}
