package ui

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// What the agenda, tasks and contacts pages share: the signed-in person, their grant on the group of
// the URL, and the group's collection the page shows.

// signedIn sends people who are not signed in to the sign-in page, and gives the others to next.
func (h *handler) signedIn(next func(*fiber.Ctx, db.Person) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, ok := h.person(c)
		if !ok {
			return errSignedOut
		}
		return next(c, p)
	}
}

// groupCal is a group's collection as one person may use it.
type groupCal struct {
	person db.Person
	grant  access.Grant
	coll   db.Collection
	zone   calendar.Zone
}

// Names of a group's collections (db.DefaultGroupCollections).
const (
	collAgenda   = "agenda"
	collTasks    = "taches"
	collContacts = "contacts"
)

// groupCollection authorizes the person on the group of the URL and finds its collection. Outsiders
// get 404, whether the group exists or not; people who only read get 403 when write is asked. Read
// access to a group's published folders is not read access to its agenda.
func (h *handler) groupCollection(c *fiber.Ctx, p db.Person, kind, name string, write bool) (groupCal, error) {
	read, writing := access.CollectionActions(kind)
	g, err := h.Access.GroupAccess(c.UserContext(), p, c.Params("slug"))
	if err == nil {
		err = g.Allow(read, "")
	}
	if err == nil && write {
		err = g.Allow(writing, "")
	}
	if err != nil {
		return groupCal{}, err
	}
	return h.calendarOf(c, p, g, kind, name)
}

// calendarOf is a group's collection for a person whose grant is known.
func (h *handler) calendarOf(c *fiber.Ctx, p db.Person, g access.Grant, kind, name string) (groupCal, error) {
	coll, err := calendar.Collection(c.UserContext(), h.DB, g.Group.ID, 0, kind, name)
	if err != nil {
		return groupCal{}, err
	}
	return groupCal{person: p, grant: g, coll: coll, zone: calendar.CollectionZone(coll, h.Zone)}, nil
}

// objectOf finds the object of the collection holding the UID of the URL: 404 when none.
func (h *handler) objectOf(c *fiber.Ctx, gc groupCal) (db.Object, error) {
	uid, err := url.PathUnescape(c.Params("uid"))
	if err != nil {
		return db.Object{}, fiber.ErrNotFound
	}
	return calendar.ObjectByUID(c.UserContext(), h.DB, gc.coll.ID, uid)
}

// errChanged refuses a form's write when the object changed since the form was shown.
var errChanged = errors.New("ui: changed meanwhile")

// stillSame is the precondition of a form's write: the object is still the one the form showed (its
// ETag, sent back in a hidden field), so that a change made meanwhile, from a phone or another page,
// is not silently overwritten. It runs inside the write transaction (calendar.Put).
func stillSame(collectionID int64, name, etag string) func(db.Read) error {
	return func(rd db.Read) error {
		if etag == "" {
			return nil
		}
		cur, err := rd.Object(collectionID, name)
		if err != nil {
			return err
		}
		if cur.ETag != etag {
			return errChanged
		}
		return nil
	}
}

// newUID returns a random UID: 128 bits, as clients make them.
func newUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// writable tells whether the person may change the collection's content.
func (gc groupCal) writable() bool {
	_, write := access.CollectionActions(gc.coll.Kind)
	return gc.grant.Allows(write, "")
}

// groupData is the map a group page's template receives, with the tab bar's entries.
func groupData(gc groupCal, tab string, more map[string]any) map[string]any {
	more["Group"], more["Tab"], more["Writable"] = gc.grant.Group, tab, gc.writable()
	more["Base"] = "/groups/" + url.PathEscape(gc.grant.Group.Slug)
	return more
}

// pathSeg escapes a UID as one segment of a page's address.
func pathSeg(uid string) string { return url.PathEscape(uid) }
