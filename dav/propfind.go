package dav

import (
	"net/http"
	"net/url"
	"path"
	"strconv"
	"time"

	"parvis/access"
	"parvis/dav/davxml"
	"parvis/files"
	"parvis/storage/db"
)

// resource is one entry of a PROPFIND answer.
type resource struct {
	href  string
	name  string
	node  db.Node
	group db.Group
	locks []db.Lock // all locks of the group; filtered per resource
	dead  []db.DeadProp
}

// propfind answers Depth 0 and 1, streaming one <response> per entry. Depth infinity is refused
// (RFC 4918 §9.1: propfind-finite-depth): on a large tree it is a denial of service.
func (h *Handler) propfind(w http.ResponseWriter, r *http.Request, p db.Person, t target) error {
	depth := r.Header.Get("Depth")
	if depth == "" || depth == "infinity" {
		return &statusError{code: http.StatusForbidden, msg: "Depth: infinity is not supported", cond: "<D:propfind-finite-depth/>"}
	}
	if depth != "0" && depth != "1" {
		return badRequest("Depth must be 0 or 1")
	}
	pf, err := davxml.ParsePropfind(davxml.LimitBody(r, h.MaxXMLBody))
	if err != nil {
		return xmlBodyError(err, "malformed PROPFIND body")
	}
	list, err := h.propfindResources(r, p, t, depth == "1", pf.AllProp || pf.PropName || wantsDead(pf.Props))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	ms := davxml.NewMultistatusWriter(w)
	var pb propBuilder
	if err := list(func(res *resource) error { return ms.Propstats(res.href, pb.build(h, res, pf)) }); err != nil {
		h.Log.Warn("dav: propfind interrupted", "path", r.URL.Path, "err", err)
	}
	return ms.Close()
}

// propfindResources returns an iterator over the answer's entries: the target, then its children.
func (h *Handler) propfindResources(r *http.Request, p db.Person, t target, children, dead bool) (func(func(*resource) error) error, error) {
	ctx := r.Context()
	if t.root {
		grants, err := h.Access.Groups(ctx, p)
		if err != nil {
			return nil, err
		}
		return func(yield func(*resource) error) error {
			now := time.Now()
			if err := yield(&resource{href: h.Prefix + "/", name: "Parvis", node: db.Node{Path: "/", IsDir: true, ETag: "root", CreatedAt: now, ModifiedAt: now}}); err != nil || !children {
				return err
			}
			for _, g := range grants {
				n, err := h.Files.Stat(ctx, g.Group.ID, "/")
				if err != nil {
					return err
				}
				if err := yield(&resource{href: h.href(g.Group, "/", true), name: g.Group.Name, node: n, group: g.Group}); err != nil {
					return err
				}
			}
			return nil
		}, nil
	}
	self, err := h.Files.Stat(ctx, t.groupID(), t.path)
	if err != nil {
		return nil, err
	}
	locks, err := h.Files.LocksOn(ctx, t.groupID(), "/")
	if err != nil {
		return nil, err
	}
	var props map[int64][]db.DeadProp
	if dead {
		dir := t.path
		if !self.IsDir {
			dir = path.Dir(t.path)
		}
		if props, err = h.Files.DeadPropsBelow(ctx, t.groupID(), dir); err != nil {
			return nil, err
		}
	}
	// The grant's copy of the group may be a few seconds old; usage must be exact.
	g, err := h.Files.Group(ctx, t.groupID())
	if err != nil {
		return nil, err
	}
	selfName := path.Base(self.Path)
	if self.Path == "/" {
		selfName = g.Name
	}
	res := &resource{href: h.href(g, self.Path, self.IsDir), name: selfName, node: self, group: g, locks: locks, dead: props[self.ID]}
	return func(yield func(*resource) error) error {
		if err := yield(res); err != nil || !children || !self.IsDir {
			return err
		}
		// Children's hrefs extend the folder's: one escape of each name, no per-entry rebuild.
		base := res.href
		var href []byte
		return h.Files.List(ctx, t.groupID(), t.path, func(n db.Node) error {
			if !t.grant.Allows(access.FilesSee, n.Path) {
				return nil
			}
			name := path.Base(n.Path)
			href = append(append(href[:0], base...), url.PathEscape(name)...)
			if n.IsDir {
				href = append(href, '/')
			}
			*res = resource{href: string(href), name: name, node: n, group: g, locks: locks, dead: props[n.ID]}
			return yield(res)
		})
	}, nil
}

func wantsDead(names []davxml.Name) bool {
	for _, n := range names {
		if _, live := liveProps[n]; !live {
			return true
		}
	}
	return false
}

// propBuilder builds the answer for one resource after another, reusing its buffers: a listing of
// 10,000 entries would otherwise allocate a few slices per property per entry.
type propBuilder struct {
	found, missing []davxml.Prop
	spans          [][2]int // found[i]'s value is arena[spans[i][0]:spans[i][1]] (-1: keep Value)
	arena          []byte
	stats          [2]davxml.Propstat
}

// add appends a found property whose value fn appends to the arena.
func (pb *propBuilder) addLive(h *Handler, res *resource, name davxml.Name, fn liveFunc) bool {
	start := len(pb.arena)
	var ok bool
	pb.arena, ok = fn(h, res, pb.arena)
	if !ok {
		pb.arena = pb.arena[:start]
		return false
	}
	pb.found = append(pb.found, davxml.Prop{Name: name})
	pb.spans = append(pb.spans, [2]int{start, len(pb.arena)})
	return true
}

func (pb *propBuilder) addFound(p davxml.Prop) {
	pb.found = append(pb.found, p)
	pb.spans = append(pb.spans, [2]int{-1, -1})
}

// build returns the propstats of one resource: found properties under 200, missing ones under 404.
// The result is valid until the next call.
func (pb *propBuilder) build(h *Handler, res *resource, pf davxml.Propfind) []davxml.Propstat {
	pb.found, pb.missing, pb.spans, pb.arena = pb.found[:0], pb.missing[:0], pb.spans[:0], pb.arena[:0]
	switch {
	case pf.PropName:
		for _, lp := range liveOrder {
			if _, ok := liveProps[lp](h, res, nil); ok {
				pb.addFound(davxml.Prop{Name: lp})
			}
		}
		for _, d := range res.dead {
			pb.addFound(davxml.Prop{Name: davxml.Name{Space: d.Space, Local: d.Name}})
		}
	case pf.AllProp:
		for _, lp := range liveOrder {
			if inAllProp(lp) || contains(pf.Include, lp) {
				pb.addLive(h, res, lp, liveProps[lp])
			}
		}
		for _, d := range res.dead {
			pb.addFound(davxml.Prop{Name: davxml.Name{Space: d.Space, Local: d.Name}, Value: d.Value, Raw: true})
		}
	default:
		for _, name := range pf.Props {
			if fn, live := liveProps[name]; live {
				if pb.addLive(h, res, name, fn) {
					continue
				}
			} else if d, ok := findDead(res.dead, name); ok {
				pb.addFound(davxml.Prop{Name: name, Value: d.Value, Raw: true})
				continue
			}
			pb.missing = append(pb.missing, davxml.Prop{Name: name})
		}
	}
	for i, sp := range pb.spans {
		if sp[0] >= 0 {
			pb.found[i].Value = pb.arena[sp[0]:sp[1]]
		}
	}
	out := pb.stats[:0]
	if len(pb.found) > 0 {
		out = append(out, davxml.Propstat{Status: http.StatusOK, Props: pb.found})
	}
	if len(pb.missing) > 0 {
		out = append(out, davxml.Propstat{Status: http.StatusNotFound, Props: pb.missing})
	}
	if len(out) == 0 {
		out = append(out, davxml.Propstat{Status: http.StatusOK})
	}
	return out
}

func findDead(ds []db.DeadProp, n davxml.Name) (db.DeadProp, bool) {
	for _, d := range ds {
		if d.Space == n.Space && d.Name == n.Local {
			return d, true
		}
	}
	return db.DeadProp{}, false
}

func contains(names []davxml.Name, n davxml.Name) bool {
	for _, x := range names {
		if x == n {
			return true
		}
	}
	return false
}

// Live properties. Quota properties are left out of allprop, as RFC 4331 §3 asks (they are costly
// on some servers; clients that want them ask).
var (
	pResourceType  = davxml.Name{Space: davxml.SpaceDAV, Local: "resourcetype"}
	pDisplayName   = davxml.Name{Space: davxml.SpaceDAV, Local: "displayname"}
	pCreationDate  = davxml.Name{Space: davxml.SpaceDAV, Local: "creationdate"}
	pLastModified  = davxml.Name{Space: davxml.SpaceDAV, Local: "getlastmodified"}
	pContentLength = davxml.Name{Space: davxml.SpaceDAV, Local: "getcontentlength"}
	pContentType   = davxml.Name{Space: davxml.SpaceDAV, Local: "getcontenttype"}
	pETag          = davxml.Name{Space: davxml.SpaceDAV, Local: "getetag"}
	pLockDiscovery = davxml.Name{Space: davxml.SpaceDAV, Local: "lockdiscovery"}
	pSupportedLock = davxml.Name{Space: davxml.SpaceDAV, Local: "supportedlock"}
	pQuotaAvail    = davxml.Name{Space: davxml.SpaceDAV, Local: "quota-available-bytes"}
	pQuotaUsed     = davxml.Name{Space: davxml.SpaceDAV, Local: "quota-used-bytes"}
)

var liveOrder = []davxml.Name{pResourceType, pDisplayName, pCreationDate, pLastModified, pContentLength, pContentType,
	pETag, pLockDiscovery, pSupportedLock, pQuotaAvail, pQuotaUsed}

func inAllProp(n davxml.Name) bool { return n != pQuotaAvail && n != pQuotaUsed }

// liveFunc appends a live property's inner XML to dst; false means the resource has no such property.
type liveFunc func(h *Handler, r *resource, dst []byte) ([]byte, bool)

// liveProps are the live properties and how to compute them.
var liveProps = map[davxml.Name]liveFunc{
	pResourceType: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		if r.node.IsDir {
			return append(dst, "<D:collection/>"...), true
		}
		return dst, true
	},
	pDisplayName: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		return append(dst, davxml.EscapeText(r.name)...), true
	},
	pCreationDate: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		return r.node.CreatedAt.UTC().AppendFormat(dst, "2006-01-02T15:04:05Z"), true
	},
	pLastModified: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		return r.node.ModifiedAt.UTC().AppendFormat(dst, http.TimeFormat), true
	},
	pContentLength: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		return strconv.AppendInt(dst, r.node.Size, 10), !r.node.IsDir
	},
	pContentType: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		return append(dst, davxml.EscapeText(r.node.ContentType)...), !r.node.IsDir
	},
	pETag: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		dst = append(dst, '"')
		dst = append(dst, davxml.EscapeText(r.node.ETag)...)
		return append(dst, '"'), true
	},
	pLockDiscovery: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		if len(r.locks) == 0 {
			return dst, true
		}
		return append(dst, davxml.LockDiscoveryXML(h.activeLocks(r.group, r.locks, r.node.Path))...), true
	},
	pSupportedLock: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		return append(dst, davxml.SupportedLockInner...), true
	},
	pQuotaAvail: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		if !r.node.IsDir {
			return dst, false
		}
		avail := int64(0)
		if r.group.QuotaBytes > 0 {
			avail = max(0, r.group.QuotaBytes-r.group.UsedBytes)
		} else if h.FreeSpace != nil {
			avail = h.FreeSpace()
		}
		return strconv.AppendInt(dst, avail, 10), true
	},
	pQuotaUsed: func(h *Handler, r *resource, dst []byte) ([]byte, bool) {
		return strconv.AppendInt(dst, r.group.UsedBytes, 10), r.node.IsDir
	},
}

// activeLocks describes the locks among ls that cover p.
func (h *Handler) activeLocks(g db.Group, ls []db.Lock, p string) []davxml.ActiveLock {
	var out []davxml.ActiveLock
	for _, l := range ls {
		if files.Covers(l, p) {
			out = append(out, h.activeLock(g, l))
		}
	}
	return out
}

func (h *Handler) activeLock(g db.Group, l db.Lock) davxml.ActiveLock {
	return davxml.ActiveLock{Token: l.Token, Root: h.href(g, l.Root, false), Exclusive: l.Exclusive, Infinite: l.Infinite,
		Owner: l.Owner, Timeout: time.Until(l.ExpiresAt).Round(time.Second)}
}
