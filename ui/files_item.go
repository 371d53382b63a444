package ui

import (
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/files"
	"parvis/locale"
	"parvis/storage/db"
)

// versionLine is a previous content of a file on its page.
type versionLine struct {
	ID                   int64
	Size, When, Download string
}

// shareLine is a share link in force on the page of what it opens.
type shareLine struct {
	ID                          int64
	URL, Kind, Expires, Created string
	Maker                       string
	HasPassword                 bool
	Downloads, Uploads          int64
}

// itemPage shows one file or folder of a group with what can be done to it: download, rename or
// move, delete, its previous versions, its share links. The changes themselves go from the page's
// script to the DAV endpoint (MOVE, DELETE) and to the JSON API (versions, links).
func (h *handler) itemPage(c *fiber.Ctx) error {
	p, g, err := h.groupPage(c)
	if err != nil {
		return err
	}
	itemPath, err := files.Clean(c.Query("path"))
	if err != nil || itemPath == "/" {
		return fiber.ErrNotFound
	}
	if err := g.Allow(access.FilesSee, itemPath); err != nil {
		return err
	}
	n, err := h.Files.Stat(c.UserContext(), g.Group.ID, itemPath)
	if err != nil {
		return err // pageErrors: a file not there is 404
	}
	slug, parent := g.Group.Slug, path.Dir(itemPath)
	data := map[string]any{"Group": g.Group, "Tab": "files", "Name": path.Base(itemPath), "Path": itemPath, "IsDir": n.IsDir,
		"Parent": folderHref(slug, parent), "ParentPath": parent, "DAV": davHref(slug, itemPath), "Base": davHref(slug, "/"),
		"Writable": g.Allows(access.FilesWrite, itemPath), "Size": locale.Bytes(pageLanguage(c), n.Size), "Modified": h.momentOf(c, n.ModifiedAt)}
	if n.IsDir {
		data["Zip"] = davHref(slug, itemPath) + "?zip"
	} else if !g.Allows(access.FilesHistory, itemPath) {
		// a reader of a publication reads the file as it is, not its history
	} else if data["Versions"], err = h.versionLines(c, g, itemPath); err != nil {
		return err
	}
	if g.Allows(access.FilesWrite, itemPath) {
		if data["Folders"], err = h.moveTargets(c, g, itemPath); err != nil {
			return err
		}
	}
	if g.Allows(access.SharesWrite, itemPath) {
		if data["Shares"], err = h.shareLines(c, g, itemPath); err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "file_item.html", page{Title: "files.title", Person: p, Data: data})
}

func (h *handler) versionLines(c *fiber.Ctx, g access.Grant, p string) ([]versionLine, error) {
	_, vs, err := h.Files.Versions(c.UserContext(), g.Group.ID, p)
	if err != nil {
		return nil, err
	}
	out := make([]versionLine, len(vs))
	for i, v := range vs {
		out[i] = versionLine{ID: v.ID, Size: locale.Bytes(pageLanguage(c), v.Size), When: h.momentOf(c, v.ModifiedAt),
			Download: davHref(g.Group.Slug, p) + "?version=" + strconv.FormatInt(v.ID, 10)}
	}
	return out, nil
}

// moveTargets lists the folders something may move into: every folder of the group but itself and
// what it holds.
func (h *handler) moveTargets(c *fiber.Ctx, g access.Grant, p string) ([]string, error) {
	out := []string{"/"}
	err := h.Files.Descendants(c.UserContext(), g.Group.ID, "/", func(n db.Node) error {
		if n.IsDir && n.Path != p && !strings.HasPrefix(n.Path, p+"/") {
			out = append(out, n.Path)
		}
		return nil
	})
	return out, err
}

func (h *handler) shareLines(c *fiber.Ctx, g access.Grant, p string) ([]shareLine, error) {
	links, err := h.Files.Shares(c.UserContext(), g.Group.ID)
	if err != nil {
		return nil, err
	}
	var out []shareLine
	for _, l := range links {
		if l.Path != p {
			continue
		}
		s := shareLine{ID: l.ID, URL: h.PublicURL + "/s/" + url.PathEscape(l.Token), Kind: "share.kind." + l.Kind, HasPassword: l.PasswordHash != "",
			Created: h.dateOf(c, l.CreatedAt), Maker: l.Maker, Downloads: l.Downloads, Uploads: l.Uploads}
		if !l.ExpiresAt.IsZero() {
			s.Expires = h.dateOf(c, l.ExpiresAt.AddDate(0, 0, -1)) // the link works through that day
		}
		out = append(out, s)
	}
	return out, nil
}
