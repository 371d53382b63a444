package ui

import (
	"errors"
	"net/url"
	"path"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/files"
	"parvis/storage/db"
)

// fileEntry is a line of the folder listing.
type fileEntry struct {
	Name, Href, Size, Modified string
	IsDir                      bool
}

// crumb is a step of the breadcrumbs.
type crumb struct{ Name, Href string }

// filesPage shows a folder of a group: breadcrumbs, folders then files, and what the person may do
// there. Uploads, downloads, new folders and deletions go from the page straight to the DAV endpoint
// (static/files.js), which streams; this handler only lists.
func (h *handler) filesPage(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	g, err := h.Access.GroupAccess(c.UserContext(), p, c.Params("slug"))
	if errors.Is(err, access.ErrNoAccess) {
		return fiber.ErrNotFound
	} else if err != nil {
		return err
	}
	dir, err := files.Clean("/" + strings.Trim(c.Query("path"), "/"))
	if err != nil || !g.Visible(dir) {
		return fiber.ErrNotFound
	}
	var dirs, plain []fileEntry
	err = h.Files.List(c.UserContext(), g.Group.ID, dir, func(n db.Node) error {
		if !g.Visible(n.Path) {
			return nil
		}
		e := fileEntry{Name: path.Base(n.Path), IsDir: n.IsDir, Modified: n.ModifiedAt.Format("2006-01-02 15:04")}
		if n.IsDir {
			e.Href = "/groups/" + url.PathEscape(g.Group.Slug) + "/files?path=" + url.QueryEscape(n.Path)
			dirs = append(dirs, e)
		} else {
			e.Href = davHref(g.Group.Slug, n.Path)
			e.Size = humanize.Bytes(uint64(n.Size))
			plain = append(plain, e)
		}
		return nil
	})
	if errors.Is(err, files.ErrNotFound) {
		return fiber.ErrNotFound
	} else if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "files.html", page{Title: "files.title", Person: p, Data: map[string]any{
		"Group": g.Group, "Tab": "files", "Writable": g.CanWrite(), "Dir": dir, "DAV": davHref(g.Group.Slug, dir),
		"Crumbs": crumbs(g.Group, dir), "Entries": append(dirs, plain...),
	}})
}

// davHref is the DAV address of a path of a group, each segment escaped.
func davHref(slug, p string) string {
	return "/dav/files/" + url.PathEscape(slug) + (&url.URL{Path: p}).EscapedPath()
}

func crumbs(g db.Group, dir string) []crumb {
	out := []crumb{{Name: g.Name, Href: "/groups/" + url.PathEscape(g.Slug) + "/files"}}
	acc := ""
	for _, seg := range strings.Split(strings.Trim(dir, "/"), "/") {
		if seg == "" {
			continue
		}
		acc += "/" + seg
		out = append(out, crumb{Name: seg, Href: "/groups/" + url.PathEscape(g.Slug) + "/files?path=" + url.QueryEscape(acc)})
	}
	return out
}
