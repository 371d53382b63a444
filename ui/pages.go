package ui

import (
	"errors"
	"strings"

	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/locale"
	"parvis/storage/db"
)

const sessionCookie = access.SessionCookie

// person returns the signed-in person, if any.
func (h *handler) person(c *fiber.Ctx) (db.Person, bool) {
	v := c.Cookies(sessionCookie)
	if v == "" {
		return db.Person{}, false
	}
	p, err := h.Access.SessionPerson(c.UserContext(), v)
	return p, err == nil
}

type groupView struct {
	Slug, Name, Role, DAV string
	Used, Quota, Kept     string // sizes, for the usage line; Quota "" without one
	Percent               int
	ReadOnly              bool   // the person reads the group's files and changes none (a guest)
	Until                 string // the last day of a guest's access; "" when it does not end
}

func (h *handler) home(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	grants, err := h.Access.Groups(c.UserContext(), p)
	if err != nil {
		return err
	}
	lang := pageLanguage(c)
	groups := make([]groupView, len(grants))
	for i, g := range grants {
		groups[i] = groupView{Slug: g.Group.Slug, Name: g.Group.Name, Role: "role." + string(g.Role),
			DAV:  h.PublicURL + "/dav/files/" + url.PathEscape(g.Group.Slug) + "/",
			Used: locale.Bytes(lang, g.Group.UsedBytes), Kept: locale.Bytes(lang, g.Group.TrashBytes+g.Group.VersionBytes),
			ReadOnly: g.Allows(access.FilesRead, "/") && !g.Allows(access.FilesWrite, "/")}
		if !g.Until.IsZero() {
			groups[i].Until = h.dateOf(c, g.Until.Add(-time.Second)) // ExpiresAt is the first moment without access
		}
		if q := g.Group.QuotaBytes; q > 0 {
			groups[i].Quota = locale.Bytes(lang, q)
			groups[i].Percent = int(min(100, g.Group.UsedBytes*100/q))
		}
	}
	data, err := h.homeAgenda(c, p, grants)
	if err != nil {
		return err
	}
	data["Groups"], data["DAV"] = groups, h.PublicURL+"/dav/files/"
	if data["Polls"], err = h.awaitingPolls(c, p); err != nil {
		return err
	}
	if data["MinutesWaiting"], err = h.awaitingMinutes(c, p); err != nil {
		return err
	}
	if data["Invitations"], err = h.homeInvitations(c, p); err != nil {
		return err
	}
	data["Answers"] = invitationAnswers
	data["Done"] = map[string]string{"invitation": "invitation.answered", "invitation-over": "invitation.over"}[c.Query("done")]
	if access.Administers(p) {
		data["Storage"] = h.storageWarnings(c.UserContext(), time.Now())
	}
	return h.render(c, fiber.StatusOK, "home.html", page{Title: "home.title", Person: p, Data: data})
}

func (h *handler) loginForm(c *fiber.Ctx) error {
	next := localPath(c.Query("next"))
	if _, ok := h.person(c); ok {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	return h.render(c, fiber.StatusOK, "login.html", page{Title: "login.title", Form: map[string]string{"next": next}})
}

// localPath is p when it is a path of this site ("/groups/x/files?path=/AG"), "/" otherwise: the
// sign-in goes back to the page asked for, never to another site.
func localPath(p string) string {
	if len(p) > 2000 || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return p
}

func (h *handler) login(c *fiber.Ctx) error {
	email, password := c.FormValue("email"), c.FormValue("password")
	next := localPath(c.FormValue("next"))
	p, err := h.Access.SignIn(c.UserContext(), email, password, c.IP())
	if err != nil {
		status, key := fiber.StatusUnauthorized, "login.bad"
		switch {
		case errors.Is(err, access.ErrThrottled):
			status, key = fiber.StatusTooManyRequests, "login.throttled"
			c.Set("Retry-After", "900")
		case errors.Is(err, access.ErrBadCredentials):
			h.signInFailed(c, email)
		default:
			return err
		}
		return h.render(c, status, "login.html", page{Title: "login.title",
			Errors: map[string]string{"form": key}, Form: map[string]string{"email": email, "next": next}})
	}
	return h.signIn(c, p, next)
}

// signInFailed logs a wrong password as the DAV door does, in the same words, so that one fail2ban
// filter reads both.
func (h *handler) signInFailed(c *fiber.Ctx, user string) {
	h.Log.Info("sign-in failed", "user", user, "remote", c.IP())
}

// signIn opens a session after a correct password (or a password just set from a link), unless
// the account needs its second factor: then the code page finishes the sign-in.
func (h *handler) signIn(c *fiber.Ctx, p db.Person, next string) error {
	on, err := h.Access.TwoFactorOn(c.UserContext(), p)
	if err != nil {
		return err
	}
	if on {
		return h.askCode(c, p, next)
	}
	return h.startSession(c, p, next)
}

// startSession sets the session cookie and goes home. A person asked by an administrator for a
// new password gets no session yet: the set-password step comes first, then signs them in.
func (h *handler) startSession(c *fiber.Ctx, p db.Person, next string) error {
	if p.MustChangePassword {
		raw, err := h.Access.RenewalLink(c.UserContext(), p)
		if err != nil {
			return err
		}
		return c.Redirect("/password/"+raw, fiber.StatusSeeOther)
	}
	v, err := h.Access.NewSession(c.UserContext(), p, c.Get("User-Agent"))
	if err != nil {
		return err
	}
	endCSRFToken(c)
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: v, Path: "/", HTTPOnly: true, Secure: h.secure,
		SameSite: "Lax", Expires: time.Now().Add(access.SessionLifetime)})
	return c.Redirect(localPath(next), fiber.StatusSeeOther)
}

func (h *handler) logout(c *fiber.Ctx) error {
	if v := c.Cookies(sessionCookie); v != "" {
		if err := h.Access.EndSession(c.UserContext(), v); err != nil {
			return err
		}
	}
	c.ClearCookie(sessionCookie)
	endCSRFToken(c)
	return c.Redirect("/login", fiber.StatusSeeOther)
}

func (h *handler) setupForm(c *fiber.Ctx) error {
	if err := h.Access.CheckFirstAdminLink(c.UserContext(), c.Params("token")); err != nil {
		return h.setupGone(c, err)
	}
	return h.render(c, fiber.StatusOK, "setup.html", page{Title: "setup.title"})
}

// setupGone says why the first-administrator link no longer works: an administrator exists (sign
// in), or it expired or was replaced (restarting the server prints a new one).
func (h *handler) setupGone(c *fiber.Ctx, err error) error {
	if errors.Is(err, access.ErrExists) {
		return h.render(c, fiber.StatusNotFound, "error.html", page{Title: "setup.done"})
	}
	return h.render(c, fiber.StatusNotFound, "error.html", page{Title: "setup.invalid"})
}

func (h *handler) setup(c *fiber.Ctx) error {
	np := access.NewPerson{Email: c.FormValue("email"), Name: c.FormValue("name"), Password: c.FormValue("password")}
	p, err := h.Access.CreateFirstAdmin(c.UserContext(), c.Params("token"), np)
	field, key := "", ""
	switch {
	case errors.Is(err, access.ErrInvalidLink):
		return h.setupGone(c, h.Access.CheckFirstAdminLink(c.UserContext(), c.Params("token")))
	case errors.Is(err, access.ErrInvalid):
		field, key = "email", "field.email.invalid"
	case errors.Is(err, access.ErrWeakPassword):
		field, key = "password", weakPasswordKey(err)
	case errors.Is(err, access.ErrExists):
		field, key = "email", "field.email.taken"
	case err != nil:
		return err
	}
	if key != "" {
		return h.render(c, fiber.StatusUnprocessableEntity, "setup.html", page{Title: "setup.title",
			Errors: map[string]string{field: key}, Form: map[string]string{"email": np.Email, "name": np.Name}})
	}
	return h.signIn(c, p, "/")
}

func (h *handler) setLanguage(c *fiber.Ctx) error {
	code := c.Params("code")
	if code != "fr" && code != "en" {
		return fiber.ErrNotFound
	}
	c.Cookie(&fiber.Cookie{Name: "lang", Value: code, Path: "/", SameSite: "Lax", Expires: time.Now().AddDate(1, 0, 0)})
	return c.Redirect("/", fiber.StatusSeeOther)
}
