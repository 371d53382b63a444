// Package ui serves Parvis' web pages with Fiber: server-rendered templates, French first and
// English too, CSRF on every form. It only ever sees small requests: uploads and downloads go to the
// DAV endpoint, which streams (see ARCHITECTURE.md).
package ui

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"parvis/access"
	"parvis/files"
	"parvis/lists"
	"parvis/mail"
	"parvis/meeting"
	"parvis/storage/db"
	"parvis/storage/replica"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Deps are what the pages need.
type Deps struct {
	Access    *access.Service
	Files     *files.Service
	Meetings  *meeting.Service
	Lists     *lists.Service // the group's mailing lists; off without a lists domain
	DB        *db.DB         // read helpers, the calendar write path (calendar.Put), the replication's backlog
	Mail      *mail.Queue
	PublicURL string
	SignUp    bool           // people may create their account themselves
	Zone      *time.Location // the association's time zone, for dates on the pages
	Log       *slog.Logger

	// The storage page (/admin/storage): the primary store's kind ("fs", "s3"), the replication's
	// monitor and the partner's database copies (the backlog is read from DB).
	StorageKind string
	Monitor     *replica.Monitor
	Snapshots   func(context.Context) ([]replica.Snapshot, error)
}

// handler holds the dependencies of every page; one method per page or action.
type handler struct {
	Deps
	tmpl   *template.Template
	secure bool // cookies only over HTTPS when the public URL is HTTPS
}

// New builds the web application. Templates are parsed here: a broken template fails the start, not
// a request.
func New(d Deps) (*fiber.App, error) {
	h := &handler{Deps: d, secure: strings.HasPrefix(d.PublicURL, "https://")}
	if h.Zone == nil {
		h.Zone, _ = time.LoadLocation("Europe/Paris") // once: a listing formats a date per entry
	}
	tmpl, err := template.New("").Funcs(template.FuncMap{"t": translate, "tabs": h.groupTabs, "lists": h.listsEnabled, "hasPrefix": strings.HasPrefix,
		"date": h.dateIn, "moment": h.momentIn, "fileIcon": fileIcon, "eventIcon": eventIcon}).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("ui: templates: %w", err)
	}
	h.tmpl = tmpl
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ErrorHandler:          h.errorPage,
		BodyLimit:             1 << 20,
	})
	app.Use(recover.New())
	app.Use(securityHeaders)
	static, _ := fs.Sub(staticFiles, "static")
	app.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(static), MaxAge: 3600}))
	app.Use(csrf.New(csrf.Config{
		// A call to the API without a session cookie carries no ambient authority a forged
		// request could borrow (scripts send their own credentials), so it needs no token, and
		// without credentials it is answered 401 by the API's own sign-in check rather than 403
		// here. Browsers send the token in the form or the X-CSRF-Token header.
		Next:           h.csrfExempt,
		Extractor:      csrfToken,
		CookieName:     csrfCookie,
		CookieSameSite: "Lax",
		CookieHTTPOnly: true,
		CookieSecure:   h.secure,
		Expiration:     12 * time.Hour,
		ContextKey:     "csrf",
	}))
	h.routes(app)
	return app, nil
}

// routes lists every page.
func (h *handler) routes(app *fiber.App) {
	app.Get("/", h.home)
	app.Get("/login", h.loginForm)
	app.Post("/login", h.login)
	app.Get("/login/code", h.codeForm)
	app.Post("/login/code", h.code)
	app.Post("/logout", h.logout)
	app.Get("/setup/:token", h.setupForm)
	app.Post("/setup/:token", h.setup)
	app.Get("/lang/:code", h.setLanguage)
	app.Get("/password/:token", h.passwordForm)
	app.Post("/password/:token", h.passwordSet)
	app.Get("/forgot", h.forgotForm)
	app.Get("/groups/:slug/files", h.filesPage)
	app.Get("/signup", h.signupForm)
	app.Post("/signup", h.signup)
	app.Post("/forgot", h.forgot)
	h.apiRoutes(app)
	h.groupRoutes(app)
	h.accountRoutes(app)
	h.adminRoutes(app)
	app.Get("/admin/storage", h.storagePage)
}

// listsEnabled tells the menus whether the instance has mailing lists.
func (h *handler) listsEnabled() bool { return h.Lists != nil && h.Lists.Enabled() }

// groupTabs are a group's pages, in the order of its tab bar (templates/groupnav.html).
func (h *handler) groupTabs() []string {
	if h.listsEnabled() {
		return []string{"files", "agenda", "polls", "tasks", "contacts", "links", "lists", "people"}
	}
	return []string{"files", "agenda", "polls", "tasks", "contacts", "links", "people"}
}

// csrfCookie holds the browser's form token.
const csrfCookie = "parvis_csrf"

// csrfExempt tells which requests the CSRF check lets through: API calls without a session cookie,
// scripts that send their own credentials. A request that carries the session cookie is checked
// whatever else it carries, since the cookie is what authenticates it: a forged form can add any
// Authorization header it likes.
func (h *handler) csrfExempt(c *fiber.Ctx) bool {
	if c.Method() == fiber.MethodPost && strings.HasPrefix(c.Path(), "/lists/unsubscribe/") {
		return true // a mail client's one-click unsubscribe (RFC 8058): the signed token is the proof
	}
	return strings.HasPrefix(c.Path(), "/api/") && c.Cookies(access.SessionCookie) == ""
}

// endCSRFToken ends the form token of the request's browser when a session starts or ends: a
// token lives within one session, so one read before signing in (or by the previous person of a
// shared computer) submits nothing after. The next page gives a fresh one.
func endCSRFToken(c *fiber.Ctx) {
	if hd, ok := c.Locals(csrf.ConfigDefault.HandlerContextKey).(*csrf.CSRFHandler); ok && c.Cookies(csrfCookie) != "" {
		hd.DeleteToken(c)
	}
}

// csrfToken reads the token from the X-CSRF-Token header (scripts in the pages) or the form.
func csrfToken(c *fiber.Ctx) (string, error) {
	if t := c.Get("X-CSRF-Token"); t != "" {
		return t, nil
	}
	if t := c.FormValue("_csrf"); t != "" {
		return t, nil
	}
	return "", csrf.ErrTokenNotFound
}

// securityHeaders keeps pages from being framed, sniffed or leaking addresses.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	return c.Next()
}

// page is what every template receives.
type page struct {
	Lang   string
	CSRF   string
	Title  string
	Person any
	Data   any
	Errors map[string]string // field → message key
	Form   map[string]string
	Path   string // the page's own path, for aria-current in the menus
	Group  string // the name of the group whose page this is, in the window's title
}

func (h *handler) render(c *fiber.Ctx, status int, name string, p page) error {
	p.Lang = pageLanguage(c)
	p.Path = c.Path()
	if d, ok := p.Data.(map[string]any); ok {
		if g, ok := d["Group"].(db.Group); ok {
			p.Group = g.Name
		}
	}
	if tok, ok := c.Locals("csrf").(string); ok {
		p.CSRF = tok
	}
	c.Status(status)
	c.Type("html", "utf-8")
	return h.tmpl.ExecuteTemplate(c, name, p)
}

// errSignedOut sends someone who is not signed in to the sign-in page, from any handler.
var errSignedOut = errors.New("ui: not signed in")

// errorPage shows a short message in the user's language, never internal text.
func (h *handler) errorPage(c *fiber.Ctx, err error) error {
	if strings.HasPrefix(c.Path(), "/api/") {
		return h.apiErrorHandler(c, err)
	}
	if errors.Is(err, errSignedOut) {
		to := "/login"
		if c.Method() == fiber.MethodGet && c.OriginalURL() != "/" {
			to += "?next=" + url.QueryEscape(c.OriginalURL()) // and back there once signed in
		}
		return c.Redirect(to, fiber.StatusSeeOther)
	}
	code, key := pageError(err)
	if code == fiber.StatusInternalServerError {
		h.Log.Error("ui", "path", c.Path(), "err", err)
	}
	return h.render(c, code, "error.html", page{Title: key})
}
