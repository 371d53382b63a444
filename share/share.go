// Package share serves share links to people without an account: a page to download a file or
// browse a folder, a streamed zip of a folder, an upload form for drop links, and the password
// form of protected links. It is net/http, like the DAV endpoint, because it streams files both
// ways; Fiber never sees these requests.
package share

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"parvis/access"
	"parvis/files"
	"parvis/storage/db"
)

// Handler serves /s/<token>/….
type Handler struct {
	Files  *files.Service
	Access *access.Service // whether a link's maker may still share what it opens
	Log    *slog.Logger
	secret []byte
	once   sync.Once
	fails  failures
}

// link is a request's resolved share link.
type link struct {
	db.ShareLink
	root db.Node // the shared file or folder
	base string  // URL path of the link, /s/<token>
}

// ServeHTTP resolves the token, checks the password, then dispatches on the rest of the path.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.once.Do(func() {
		h.secret = make([]byte, 32)
		rand.Read(h.secret)
	})
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer") // the token is in the URL
	hd.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
	hd.Set("X-Robots-Tag", "noindex")
	rest := strings.TrimPrefix(r.URL.Path, "/s/")
	token, action, _ := strings.Cut(rest, "/")
	l, n, err := h.Files.OpenShare(r.Context(), token)
	if err == nil {
		err = h.Access.LinkInForce(r.Context(), l.CreatedBy, l.GroupID, n.Path)
	}
	if err != nil {
		h.page(w, r, http.StatusNotFound, "gone", nil)
		return
	}
	ln := &link{ShareLink: l, root: n, base: "/s/" + token}
	if l.PasswordHash != "" && !h.unlocked(r, l) {
		h.password(w, r, ln)
		return
	}
	switch {
	case action == "" && r.Method == http.MethodGet:
		h.show(w, r, ln)
	case action == "download" && r.Method == http.MethodGet && l.Kind == files.ShareRead:
		h.download(w, r, ln)
	case action == "zip" && r.Method == http.MethodGet && l.Kind == files.ShareRead && n.IsDir:
		h.zip(w, r, ln)
	case action == "upload" && r.Method == http.MethodPost && l.Kind == files.ShareDrop:
		h.upload(w, r, ln)
	default:
		h.page(w, r, http.StatusNotFound, "gone", nil)
	}
}

// inside resolves a path relative to the shared folder ("" or "/" is the folder itself) to a path
// of the group, refusing anything that would leave the folder.
func (l *link) inside(rel string) (string, bool) {
	if rel == "" {
		return l.root.Path, true
	}
	clean, err := files.Clean(rel)
	if err != nil {
		return "", false
	}
	if clean == "/" {
		return l.root.Path, true
	}
	if !l.root.IsDir {
		return "", false
	}
	return path.Join(l.root.Path, clean), true
}

// unlockCookie is the proof, kept by the browser, that the password of a link was given.
func (h *Handler) unlockCookie(l db.ShareLink) *http.Cookie {
	m := hmac.New(sha256.New, h.secret)
	m.Write([]byte(l.Token))
	m.Write([]byte{0})
	m.Write([]byte(l.PasswordHash))
	return &http.Cookie{Name: "parvis_share_" + hex.EncodeToString([]byte(l.Token))[:16], Value: hex.EncodeToString(m.Sum(nil)),
		Path: "/s/" + l.Token, HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 12 * 3600}
}

func (h *Handler) unlocked(r *http.Request, l db.ShareLink) bool {
	want := h.unlockCookie(l)
	c, err := r.Cookie(want.Name)
	return err == nil && hmac.Equal([]byte(c.Value), []byte(want.Value))
}

// password shows the password form, and checks what it sends; failures are throttled per link.
func (h *Handler) password(w http.ResponseWriter, r *http.Request, l *link) {
	if r.Method != http.MethodPost {
		h.page(w, r, http.StatusUnauthorized, "password", l)
		return
	}
	if h.fails.blocked(l.Token) {
		h.page(w, r, http.StatusTooManyRequests, "throttled", l)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if !files.CheckSharePassword(l.ShareLink, r.PostFormValue("password")) {
		h.fails.add(l.Token)
		h.page(w, r, http.StatusUnauthorized, "password-wrong", l)
		return
	}
	http.SetCookie(w, h.unlockCookie(l.ShareLink))
	http.Redirect(w, r, l.base+"/", http.StatusSeeOther)
}

// failures counts wrong passwords per link: ten in fifteen minutes lock the link for the rest of them.
type failures struct {
	mu sync.Mutex
	m  map[string][]time.Time
}

func (f *failures) add(token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[string][]time.Time{}
	}
	f.m[token] = append(f.recent(token), time.Now())
}

func (f *failures) blocked(token string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.recent(token)) >= 10
}

func (f *failures) recent(token string) []time.Time {
	var out []time.Time
	for _, t := range f.m[token] {
		if time.Since(t) < 15*time.Minute {
			out = append(out, t)
		}
	}
	return out
}
