package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar/icsfeed"
	"parvis/locale"
	"parvis/storage/db"
)

// frontDoor is the one net/http handler behind the listener. DAV requests stay in net/http, which
// streams bodies both ways; only small web requests go through Fiber's adaptor, which reads whole
// bodies into memory (see ARCHITECTURE.md).
type frontDoor struct {
	access *access.Service
	dav    http.Handler
	share  http.Handler // public share links, no sign-in
	zip    http.Handler // a group folder as a zip (?zip), for the file pages
	ics    http.Handler // public calendar subscription links (/ics/), no sign-in
	cal    http.Handler // CalDAV and CardDAV: /dav/ (except /dav/files), /.well-known/caldav|carddav
	web    *fiber.App
	webH   http.HandlerFunc
	log    *slog.Logger
	// metrics serves /metrics (Prometheus, bearer token); plain net/http, never through Fiber.
	metrics http.Handler
	table   []surface // surfaces(), built once
	// trusted are the reverse proxies whose X-Forwarded-For names the client (clientaddr.go).
	trusted []netip.Prefix
}

// maxWebBody caps what a web form may send through Fiber's buffering adaptor.
const maxWebBody = 1 << 20

// surface is one entry of the front door: which requests it takes, and who serves them.
type surface struct {
	name  string // names the surface in the authorization matrix's test
	match func(r *http.Request) bool
	serve http.Handler
}

// surfaces is the front door's routing table, first match wins. Every surface but the health check,
// /metrics (its own token) and the public links (their own tokens) authenticates; OPTIONS goes
// through unauthenticated, as clients probe before they send credentials.
func (f *frontDoor) surfaces() []surface {
	under := func(prefixes ...string) func(*http.Request) bool {
		return func(r *http.Request) bool {
			for _, p := range prefixes {
				if r.URL.Path == strings.TrimSuffix(p, "/") || strings.HasPrefix(r.URL.Path, p) {
					return true
				}
			}
			return false
		}
	}
	probeFirst := func(h http.Handler) http.Handler {
		auth := f.authenticate(h)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodOptions {
				h.ServeHTTP(w, r)
				return
			}
			auth.ServeHTTP(w, r)
		})
	}
	isCal := func(r *http.Request) bool {
		p := r.URL.Path
		// CalDAV/CardDAV clients given only the server's address ask its root for their principal, and
		// some send their reports (a principal search) there too.
		return under("/dav/")(r) || p == "/.well-known/caldav" || p == "/.well-known/carddav" ||
			p == "/" && (r.Method == "PROPFIND" || r.Method == "REPORT")
	}
	return []surface{
		{"healthz", func(r *http.Request) bool { return r.URL.Path == "/healthz" }, http.HandlerFunc(healthz)},
		{"zip", isFolderZip, f.authenticate(f.zip)},
		{"metrics", func(r *http.Request) bool { return r.URL.Path == "/metrics" }, f.metrics},
		{"webdav", under("/dav/files/"), probeFirst(f.dav)},
		{"share", under("/s/"), f.share},
		{"ics", under(icsfeed.Prefix), f.ics},
		// Windows probes the server root, without credentials, before it mounts anything.
		{"webdav-probe", func(r *http.Request) bool { return r.Method == http.MethodOptions && r.URL.Path == "/" }, f.dav},
		{"caldav", isCal, probeFirst(f.cal)},
		{"web", func(*http.Request) bool { return true }, http.HandlerFunc(f.serveWeb)},
	}
}

func (f *frontDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(f.trusted) > 0 {
		r.RemoteAddr = clientAddr(r, f.trusted) // every surface below sees the client, not the proxy
	}
	for _, s := range f.table {
		if s.match(r) {
			s.serve.ServeHTTP(w, r)
			return
		}
	}
}

// serveWeb hands a small request to Fiber: pages and the JSON API.
func (f *frontDoor) serveWeb(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > maxWebBody {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxWebBody)
	f.webH(w, r)
}

func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Write([]byte("ok\n"))
}

// authenticate requires HTTP Basic credentials (e-mail and password) and puts the person in the
// request context. Failures get the same answer whatever was wrong; repeated failures are throttled.
func (f *frontDoor) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok {
			if p, ok := f.browser(r); ok {
				next.ServeHTTP(w, r.WithContext(access.WithPerson(r.Context(), p)))
				return
			}
			challenge(w)
			return
		}
		p, err := f.access.Authenticate(r.Context(), user, pass, remoteIP(r))
		switch {
		case errors.Is(err, access.ErrThrottled):
			w.Header().Set("Retry-After", "900")
			http.Error(w, bilingual("dav.throttled"), http.StatusTooManyRequests)
			return
		case errors.Is(err, access.ErrPasswordExpired):
			// Not a failure to count: the password is right but retired. Saying why lets the person
			// understand what their client shows, and the page is where to fix it.
			w.Header().Set("WWW-Authenticate", `Basic realm="Parvis", charset="UTF-8"`)
			http.Error(w, bilingual("dav.renewal"), http.StatusUnauthorized)
			return
		case errors.Is(err, access.ErrBadCredentials):
			f.log.Info("sign-in failed", "user", user, "remote", remoteIP(r))
			challenge(w)
			return
		case errors.Is(err, context.Canceled):
			return
		case err != nil:
			f.log.Error("authenticate", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r.WithContext(access.WithPerson(r.Context(), p)))
	})
}

// browser returns the person of a signed-in browser: the file pages upload and download through the
// DAV endpoint with the session cookie, so that large files stream and never pass Fiber's buffers.
// Other sites cannot borrow it: the cookie is SameSite=Lax, and every method but GET needs a CORS
// preflight that is never granted.
func (f *frontDoor) browser(r *http.Request) (db.Person, bool) {
	c, err := r.Cookie(access.SessionCookie)
	if err != nil {
		return db.Person{}, false
	}
	p, err := f.access.SessionPerson(r.Context(), c.Value)
	return p, err == nil
}

// bilingual is a message of the catalogue in French, then English, for the plain-text answers that
// DAV clients show as they are (a 401, a 429): no page language applies there.
func bilingual(key string) string { return locale.Text("fr", key) + "\n" + locale.Text("en", key) }

func challenge(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="Parvis", charset="UTF-8"`)
	http.Error(w, bilingual("dav.signin"), http.StatusUnauthorized)
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
