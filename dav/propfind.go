package dav

import (
	"io"
	"net/http"
	"path"
	"strconv"
	"time"

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
	pf, err := ParsePropfind(io.LimitReader(r.Body, h.MaxXMLBody))
	if err != nil {
		return badRequest("malformed PROPFIND body")
	}
	list, err := h.propfindResources(r, p, t, depth == "1", pf.AllProp || pf.PropName || wantsDead(pf.Props))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	ms := NewMultistatusWriter(w)
	if err := list(func(res *resource) error { return ms.Propstats(res.href, h.propstats(res, pf)) }); err != nil {
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
	rd := h.Files.Read(ctx)
	locks, err := rd.LocksOn(t.groupID(), "/")
	if err != nil {
		return nil, err
	}
	var props map[int64][]db.DeadProp
	if dead {
		dir := t.path
		if !self.IsDir {
			dir = path.Dir(t.path)
		}
		if props, err = rd.DeadPropsBelow(t.groupID(), dir); err != nil {
			return nil, err
		}
	}
	g := t.grant.Group
	mk := func(n db.Node) *resource {
		name := path.Base(n.Path)
		if n.Path == "/" {
			name = g.Name
		}
		return &resource{href: h.href(g, n.Path, n.IsDir), name: name, node: n, group: g, locks: locks, dead: props[n.ID]}
	}
	return func(yield func(*resource) error) error {
		if err := yield(mk(self)); err != nil || !children || !self.IsDir {
			return err
		}
		return h.Files.List(ctx, t.groupID(), t.path, func(n db.Node) error { return yield(mk(n)) })
	}, nil
}

func wantsDead(names []Name) bool {
	for _, n := range names {
		if _, live := liveProps[n]; !live {
			return true
		}
	}
	return false
}

// propstats builds the answer for one resource: found properties under 200, missing ones under 404.
func (h *Handler) propstats(res *resource, pf Propfind) []Propstat {
	var found, missing []Prop
	switch {
	case pf.PropName:
		for _, lp := range liveOrder {
			if _, ok := liveProps[lp](h, res); ok {
				found = append(found, Prop{Name: lp})
			}
		}
		for _, d := range res.dead {
			found = append(found, Prop{Name: Name{d.Space, d.Name}})
		}
	case pf.AllProp:
		for _, lp := range liveOrder {
			if !inAllProp(lp) && !contains(pf.Include, lp) {
				continue
			}
			if v, ok := liveProps[lp](h, res); ok {
				found = append(found, Prop{Name: lp, Value: v})
			}
		}
		for _, d := range res.dead {
			found = append(found, Prop{Name: Name{d.Space, d.Name}, Value: d.Value, Raw: true})
		}
	default:
		for _, name := range pf.Props {
			if fn, live := liveProps[name]; live {
				if v, ok := fn(h, res); ok {
					found = append(found, Prop{Name: name, Value: v})
					continue
				}
			} else if d, ok := findDead(res.dead, name); ok {
				found = append(found, Prop{Name: name, Value: d.Value, Raw: true})
				continue
			}
			missing = append(missing, Prop{Name: name})
		}
	}
	var out []Propstat
	if len(found) > 0 {
		out = append(out, Propstat{Status: http.StatusOK, Props: found})
	}
	if len(missing) > 0 {
		out = append(out, Propstat{Status: http.StatusNotFound, Props: missing})
	}
	if out == nil {
		out = []Propstat{{Status: http.StatusOK}}
	}
	return out
}

func findDead(ds []db.DeadProp, n Name) (db.DeadProp, bool) {
	for _, d := range ds {
		if d.Space == n.Space && d.Name == n.Local {
			return d, true
		}
	}
	return db.DeadProp{}, false
}

func contains(names []Name, n Name) bool {
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
	pResourceType  = Name{spaceDAV, "resourcetype"}
	pDisplayName   = Name{spaceDAV, "displayname"}
	pCreationDate  = Name{spaceDAV, "creationdate"}
	pLastModified  = Name{spaceDAV, "getlastmodified"}
	pContentLength = Name{spaceDAV, "getcontentlength"}
	pContentType   = Name{spaceDAV, "getcontenttype"}
	pETag          = Name{spaceDAV, "getetag"}
	pLockDiscovery = Name{spaceDAV, "lockdiscovery"}
	pSupportedLock = Name{spaceDAV, "supportedlock"}
	pQuotaAvail    = Name{spaceDAV, "quota-available-bytes"}
	pQuotaUsed     = Name{spaceDAV, "quota-used-bytes"}
)

var liveOrder = []Name{pResourceType, pDisplayName, pCreationDate, pLastModified, pContentLength, pContentType,
	pETag, pLockDiscovery, pSupportedLock, pQuotaAvail, pQuotaUsed}

func inAllProp(n Name) bool { return n != pQuotaAvail && n != pQuotaUsed }

// liveProps computes each live property's inner XML; false means the resource has no such property.
var liveProps = map[Name]func(h *Handler, r *resource) ([]byte, bool){
	pResourceType: func(h *Handler, r *resource) ([]byte, bool) {
		if r.node.IsDir {
			return []byte("<D:collection/>"), true
		}
		return nil, true
	},
	pDisplayName: func(h *Handler, r *resource) ([]byte, bool) { return []byte(EscapeText(r.name)), true },
	pCreationDate: func(h *Handler, r *resource) ([]byte, bool) {
		return r.node.CreatedAt.UTC().AppendFormat(nil, "2006-01-02T15:04:05Z"), true
	},
	pLastModified: func(h *Handler, r *resource) ([]byte, bool) {
		return r.node.ModifiedAt.UTC().AppendFormat(nil, http.TimeFormat), true
	},
	pContentLength: func(h *Handler, r *resource) ([]byte, bool) {
		return strconv.AppendInt(nil, r.node.Size, 10), !r.node.IsDir
	},
	pContentType: func(h *Handler, r *resource) ([]byte, bool) {
		return []byte(EscapeText(r.node.ContentType)), !r.node.IsDir
	},
	pETag: func(h *Handler, r *resource) ([]byte, bool) {
		return []byte(`"` + EscapeText(r.node.ETag) + `"`), true
	},
	pLockDiscovery: func(h *Handler, r *resource) ([]byte, bool) {
		return LockDiscoveryXML(h.activeLocks(r.group, r.locks, r.node.Path)), true
	},
	pSupportedLock: func(h *Handler, r *resource) ([]byte, bool) { return SupportedLockXML(), true },
	pQuotaAvail: func(h *Handler, r *resource) ([]byte, bool) {
		if !r.node.IsDir {
			return nil, false
		}
		avail := int64(0)
		if r.group.QuotaBytes > 0 {
			avail = max(0, r.group.QuotaBytes-r.group.UsedBytes)
		} else if h.FreeSpace != nil {
			avail = h.FreeSpace()
		}
		return strconv.AppendInt(nil, avail, 10), true
	},
	pQuotaUsed: func(h *Handler, r *resource) ([]byte, bool) {
		return strconv.AppendInt(nil, r.group.UsedBytes, 10), r.node.IsDir
	},
}

// activeLocks describes the locks among ls that cover p.
func (h *Handler) activeLocks(g db.Group, ls []db.Lock, p string) []ActiveLock {
	var out []ActiveLock
	for _, l := range ls {
		if covers(l, p) {
			out = append(out, h.activeLock(g, l))
		}
	}
	return out
}

func (h *Handler) activeLock(g db.Group, l db.Lock) ActiveLock {
	return ActiveLock{Token: l.Token, Root: h.href(g, l.Root, false), Exclusive: l.Exclusive, Infinite: l.Infinite,
		Owner: l.Owner, Timeout: time.Until(l.ExpiresAt).Round(time.Second)}
}
