package calhttp

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"parvis/access"
	"parvis/calendar"
	"parvis/storage/db"
)

// Kinds of resource a URL designates.
type resKind int

const (
	resRoot       resKind = iota + 1 // /dav/
	resPrincipal                     // /dav/principals/<id>/
	resHome                          // /dav/calendars/<id>/
	resCollection                    // /dav/calendars/<id>/<coll>/
	resObject                        // /dav/calendars/<id>/<coll>/<object>
)

// spaces maps the URL segment of a home to the kind of collection it holds.
var spaces = map[string]string{"calendars": db.KindCalendar, "addressbooks": db.KindAddressBook}

// target is a resolved and authorized URL.
type target struct {
	kind     resKind
	person   db.Person
	space    string // "calendars" or "addressbooks"
	collName string // URL segment of the collection
	coll     db.Collection
	exists   bool   // the collection exists (resCollection, resObject)
	slug     string // the owning group, "" for a personal collection
	writable bool
	// publishable: the person may give the calendar a public ICS link (access.CalendarPublish).
	publishable bool
	object      string // object name (resObject)
	// defaultCalendar is the href of where invitations are filed, for an inbox.
	defaultCalendar string
	// bare: the root was asked for at the server's bare URL "/", which its answers then name.
	bare bool
}

// groupSep separates a group's slug from a collection name in the URL segment of a group collection.
const groupSep = "~"

// resolve maps a URL path to a target and checks the person may see it: their own principal and
// homes, their personal collections, and the collections of groups they have access to. Anything else
// is errNotFound, whether it exists or not.
func (h *Handler) resolve(ctx context.Context, p db.Person, urlPath string) (target, error) {
	t := target{person: p}
	rest, ok := strings.CutPrefix(urlPath, Prefix)
	if !ok {
		return t, errNotFound
	}
	segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if rest == "" || rest == "/" {
		t.kind = resRoot
		return t, nil
	}
	if segs[0] != "" || len(segs) < 3 {
		return t, errNotFound
	}
	segs = segs[1:]
	for _, s := range segs {
		if s == "" || s == "." || s == ".." || strings.ContainsAny(s, "\\\x00") {
			return t, errNotFound
		}
	}
	if id, err := strconv.ParseInt(segs[1], 10, 64); err != nil || id != p.ID {
		return t, errNotFound
	}
	if segs[0] == "principals" && len(segs) == 2 {
		t.kind = resPrincipal
		return t, nil
	}
	kind, ok := spaces[segs[0]]
	if !ok || len(segs) > 4 {
		return t, errNotFound
	}
	t.space = segs[0]
	if err := h.ensureHome(ctx, p); err != nil {
		return t, err
	}
	if len(segs) == 2 {
		t.kind = resHome
		return t, nil
	}
	t.kind, t.collName = resCollection, segs[2]
	if len(segs) == 4 {
		t.kind, t.object = resObject, segs[3]
	}
	return t, h.resolveCollection(ctx, &t, kind)
}

// resolveCollection finds the collection of t and the person's rights on it. A collection that does
// not exist yet is not an error here (MKCALENDAR creates it), but its owner must be one the person
// may write to.
func (h *Handler) resolveCollection(ctx context.Context, t *target, kind string) error {
	if box, err := h.resolveBox(ctx, t); box {
		return err
	}
	var groupID, personID int64
	name := t.collName
	if slug, inner, ok := strings.Cut(t.collName, groupSep); ok {
		g, err := h.Access.GroupAccess(ctx, t.person, slug)
		if err != nil {
			return err
		}
		read, write := access.CollectionActions(kind)
		if err := g.Allow(read, ""); err != nil {
			return err
		}
		t.slug, name, groupID, t.writable = slug, inner, g.Group.ID, g.Allows(write, "")
		t.publishable = g.Allows(access.CalendarPublish, "")
	} else {
		personID, t.writable, t.publishable = t.person.ID, true, true
	}
	c, err := calendar.Collection(ctx, h.DB, groupID, personID, kind, name)
	switch {
	case errors.Is(err, db.ErrNotFound):
		if t.kind == resObject {
			return errNotFound
		}
		t.coll = db.Collection{GroupID: groupID, PersonID: personID, Kind: kind, Name: name}
		return nil
	case err != nil:
		return err
	}
	t.coll, t.exists = c, true
	return nil
}

// ensureHome creates the person's personal collections on their first visit.
func (h *Handler) ensureHome(ctx context.Context, p db.Person) error {
	if _, ok := h.homes.Load(p.ID); ok {
		return nil
	}
	if err := calendar.EnsureHome(ctx, h.DB, p.ID); err != nil {
		return err
	}
	h.homes.Store(p.ID, true)
	return nil
}

// Hrefs. Segments are escaped; collections end with a slash.

func principalHref(p db.Person) string { return PrincipalPath(p.ID) }

// PrincipalPath is the path of a person's principal, for clients set up without discovery (the
// Apple configuration profile of the account pages).
func PrincipalPath(personID int64) string {
	return Prefix + "/principals/" + strconv.FormatInt(personID, 10) + "/"
}

func homeHref(space string, p db.Person) string {
	return Prefix + "/" + space + "/" + strconv.FormatInt(p.ID, 10) + "/"
}

func collHref(space string, p db.Person, slug, name string) string {
	seg := name
	if slug != "" {
		seg = slug + groupSep + name
	}
	return homeHref(space, p) + url.PathEscape(seg) + "/"
}

func (t target) collHref() string { return collHref(t.space, t.person, t.slug, t.coll.Name) }

func (t target) objectHref(name string) string { return t.collHref() + url.PathEscape(name) }

// visibleCollections lists what a home shows: the person's groups' collections, then their own.
func (h *Handler) visibleCollections(ctx context.Context, p db.Person, space string) ([]target, error) {
	grants, err := h.Access.Groups(ctx, p)
	if err != nil {
		return nil, err
	}
	kind := spaces[space]
	var out []target
	read, write := access.CollectionActions(kind)
	for _, g := range grants {
		if !g.Allows(read, "") {
			continue // a group that publishes folders to the person: not its agenda or contacts
		}
		cs, err := calendar.CollectionsOf(ctx, h.DB, kind, []int64{g.Group.ID}, -1)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			out = append(out, target{kind: resCollection, person: p, space: space, coll: c, exists: true, slug: g.Group.Slug,
				writable: g.Allows(write, ""), publishable: g.Allows(access.CalendarPublish, ""), collName: g.Group.Slug + groupSep + c.Name})
		}
	}
	cs, err := calendar.CollectionsOf(ctx, h.DB, kind, nil, p.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Name == inboxSeg || c.Name == outboxSeg {
			continue // made before the boxes took these names: the boxes answer there now
		}
		out = append(out, target{kind: resCollection, person: p, space: space, coll: c, exists: true, writable: true, publishable: true, collName: c.Name})
	}
	if space != "calendars" {
		return out, nil
	}
	boxes, err := h.boxes(ctx, p)
	return append(out, boxes...), err
}

// writable refuses a change the person's role does not allow.
func (t target) mayWrite() error {
	if !t.writable {
		return errReadOnly
	}
	return nil
}
