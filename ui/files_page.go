package ui

import (
	"cmp"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/files"
	"parvis/locale"
	"parvis/storage/db"
)

// fileEntry is a line of the folder listing.
type fileEntry struct {
	Name, Path, Href, Item, Size, Modified string
	IsDir                                  bool
	bytes                                  int64
	modified                               time.Time
}

// crumb is a step of the breadcrumbs.
type crumb struct{ Name, Href string }

// sortColumn is a heading of the listing: clicking it sorts by it, clicking again reverses.
type sortColumn struct {
	Key, Label, Href string
	Current, Desc    bool
}

// filesPage shows a folder of a group: breadcrumbs, folders then files in the chosen order, and what
// the person may do there. Uploads, downloads, moves and deletions go from the page straight to the
// DAV endpoint (static/files.js), which streams; this handler only lists.
func (h *handler) filesPage(c *fiber.Ctx) error {
	p, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	dir, err := files.Clean("/" + strings.Trim(c.Query("path"), "/"))
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := g.Allow(access.FilesSee, dir); err != nil {
		return err
	}
	var entries []fileEntry
	err = h.Files.List(c.UserContext(), g.Group.ID, dir, func(n db.Node) error {
		if g.Allows(access.FilesSee, n.Path) {
			entries = append(entries, h.newFileEntry(c, g.Group.Slug, n))
		}
		return nil
	})
	if err != nil {
		return err
	}
	key, desc := c.Query("sort", "name"), c.Query("order") == "desc"
	sortEntries(entries, key, desc)
	return h.render(c, fiber.StatusOK, "files.html", page{Title: "files.title", Person: p, Data: map[string]any{
		"Group": g.Group, "Tab": "files", "Writable": g.Allows(access.FilesWrite, dir), "Trash": g.Allows(access.TrashRead, ""), "Dir": dir,
		"DAV": davHref(g.Group.Slug, dir), "Zip": davHref(g.Group.Slug, dir) + "?zip",
		"Crumbs": crumbs(g.Group, dir), "Entries": entries, "Columns": sortColumns(g.Group.Slug, dir, key, desc),
	}})
}

// groupPage returns the signed-in person and their grant on the group of the URL; outsiders get 404
// (a group they are not in does not exist for them), and the signed-out the sign-in page.
func (h *handler) groupPage(c *fiber.Ctx) (db.Person, access.Grant, error) {
	p, ok := h.person(c)
	if !ok {
		return p, access.Grant{}, errSignedOut
	}
	g, err := h.Access.GroupAccess(c.UserContext(), p, c.Params("slug"))
	return p, g, err
}

// groupPageFor is groupPage for a page that a: those who may not do it get its refusal.
func (h *handler) groupPageFor(c *fiber.Ctx, a access.Action) (db.Person, access.Grant, error) {
	p, g, err := h.groupPage(c)
	if err == nil {
		err = g.Allow(a, "")
	}
	return p, g, err
}

func (h *handler) newFileEntry(c *fiber.Ctx, slug string, n db.Node) fileEntry {
	lang := pageLanguage(c)
	e := fileEntry{Name: path.Base(n.Path), Path: n.Path, IsDir: n.IsDir, Modified: h.momentOf(c, n.ModifiedAt),
		Item: "/groups/" + url.PathEscape(slug) + "/item?path=" + url.QueryEscape(n.Path), bytes: n.Size, modified: n.ModifiedAt}
	if n.IsDir {
		e.Href = folderHref(slug, n.Path)
	} else {
		e.Href = davHref(slug, n.Path)
		e.Size = locale.Bytes(lang, n.Size)
	}
	return e
}

// sortEntries orders a listing by name (ignoring case), size or date, folders always first; ties
// fall back on the name so that the order is stable from one visit to the next.
func sortEntries(es []fileEntry, key string, desc bool) {
	slices.SortStableFunc(es, func(a, b fileEntry) int {
		if a.IsDir != b.IsDir {
			if a.IsDir {
				return -1
			}
			return 1
		}
		by := 0
		switch key {
		case "size":
			by = cmp.Compare(a.bytes, b.bytes)
		case "date":
			by = a.modified.Compare(b.modified)
		}
		if by == 0 {
			by = cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Name, b.Name))
		}
		if desc {
			return -by
		}
		return by
	})
}

func sortColumns(slug, dir, key string, desc bool) []sortColumn {
	var out []sortColumn
	for _, k := range []string{"name", "size", "date"} {
		col := sortColumn{Key: k, Label: "files.sort." + k, Current: k == key, Desc: k == key && desc}
		q := url.Values{"path": {dir}, "sort": {k}}
		if col.Current && !desc {
			q.Set("order", "desc")
		}
		col.Href = "/groups/" + url.PathEscape(slug) + "/files?" + q.Encode()
		out = append(out, col)
	}
	return out
}

// davHref is the DAV address of a path of a group, each segment escaped.
func davHref(slug, p string) string {
	return "/dav/files/" + url.PathEscape(slug) + (&url.URL{Path: p}).EscapedPath()
}

// folderHref is the page of a folder of a group.
func folderHref(slug, p string) string {
	return "/groups/" + url.PathEscape(slug) + "/files?path=" + url.QueryEscape(p)
}

func crumbs(g db.Group, dir string) []crumb {
	out := []crumb{{Name: g.Name, Href: "/groups/" + url.PathEscape(g.Slug) + "/files"}}
	acc := ""
	for _, seg := range strings.Split(strings.Trim(dir, "/"), "/") {
		if seg == "" {
			continue
		}
		acc += "/" + seg
		out = append(out, crumb{Name: seg, Href: folderHref(g.Slug, acc)})
	}
	return out
}
