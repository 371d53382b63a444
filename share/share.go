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
	"net"
	"net/http"
	"path"
	"strconv"
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
	Secure bool            // the site is served over HTTPS: the unlock cookie travels on nothing else
	Log    *slog.Logger
	secret []byte
	once   sync.Once
	tries  attempts
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
		Path: "/s/" + l.Token, HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode, MaxAge: 12 * 3600}
}

func (h *Handler) unlocked(r *http.Request, l db.ShareLink) bool {
	want := h.unlockCookie(l)
	c, err := r.Cookie(want.Name)
	return err == nil && hmac.Equal([]byte(c.Value), []byte(want.Value))
}

// password shows the password form, and checks what it sends; guesses are limited (attempts).
func (h *Handler) password(w http.ResponseWriter, r *http.Request, l *link) {
	if r.Method != http.MethodPost {
		h.page(w, r, http.StatusUnauthorized, "password", l)
		return
	}
	keys := h.tries.keys(l.Token, r)
	if !h.tries.take(keys) {
		w.Header().Set("Retry-After", strconv.Itoa(int(triesWindow.Seconds())))
		h.page(w, r, http.StatusTooManyRequests, "throttled", l)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if !files.CheckSharePassword(l.ShareLink, r.PostFormValue("password")) {
		h.page(w, r, http.StatusUnauthorized, "password-wrong", l)
		return
	}
	h.tries.giveBack(keys)
	http.SetCookie(w, h.unlockCookie(l.ShareLink))
	http.Redirect(w, r, l.base+"/", http.StatusSeeOther)
}

// The limits of password guesses on a link, per window: from one address, and from all of them.
const (
	triesWindow     = 15 * time.Minute
	triesPerAddress = 10
	triesPerLink    = 100
)

// attempts limits password guesses on share links, per link and address and per link overall, so
// that one guesser does not lock the link's recipients out: someone elsewhere gets their own ten
// tries, and someone who gave the password already keeps the link open by its cookie. An attempt
// is counted before the password is checked, so that parallel requests get no more than the limit;
// a right password gives its attempt back.
type attempts struct {
	mu sync.Mutex
	m  map[string][]time.Time
}

type tryKey struct {
	key   string
	limit int
}

// keys are the counters a guess from r on the link of token counts against.
func (a *attempts) keys(token string, r *http.Request) []tryKey {
	addr, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		addr = r.RemoteAddr
	}
	return []tryKey{{token + " " + addr, triesPerAddress}, {token, triesPerLink}}
}

// take counts an attempt against every key, unless one of them reached its limit.
func (a *attempts) take(keys []tryKey) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.m == nil {
		a.m = map[string][]time.Time{}
	}
	for _, k := range keys {
		if len(a.recent(k.key)) >= k.limit {
			return false
		}
	}
	now := time.Now()
	for _, k := range keys {
		a.m[k.key] = append(a.recent(k.key), now)
	}
	return true
}

// giveBack forgets the latest attempt of every key.
func (a *attempts) giveBack(keys []tryKey) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, k := range keys {
		if t := a.recent(k.key); len(t) > 1 {
			a.m[k.key] = t[:len(t)-1]
		} else {
			delete(a.m, k.key)
		}
	}
}

// recent are key's attempts still in the window; a key without any is dropped, so that the map
// holds only current guessers.
func (a *attempts) recent(key string) []time.Time {
	t := a.m[key]
	i := 0
	for i < len(t) && time.Since(t[i]) >= triesWindow {
		i++
	}
	if i == len(t) {
		delete(a.m, key)
		return nil
	}
	return t[i:]
}
