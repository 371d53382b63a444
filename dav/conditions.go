package dav

import (
	"errors"
	"net/http"
	"net/url"
	"path"
	"strings"

	"parvis/dav/davxml"
	"parvis/files"
	"parvis/storage/db"
)

// scope is a part of the tree a request changes, whose locks it must honour.
type scope struct {
	groupID int64
	path    string
	tree    bool // the whole subtree is removed or replaced: locks below count too
	member  bool // a member of the parent folder is added or removed: the parent's depth-0 locks count
	// memberIfNew sets member when nothing exists at path yet (a PUT that creates), decided inside
	// the transaction.
	memberIfNew bool
}

// conditions gathers what a write request asserts: its If header, If-Match/If-None-Match on the
// request target, and who sends it.
type conditions struct {
	h      *Handler
	person db.Person
	self   target
	ifh    davxml.IfHeader
	hasIf  bool
	match  string // If-Match
	none   string // If-None-Match
}

// newConditions parses the request's condition headers; a malformed If header is a 400.
func (h *Handler) newConditions(r *http.Request, p db.Person, t target) (*conditions, error) {
	c := &conditions{h: h, person: p, self: t, match: r.Header.Get("If-Match"), none: r.Header.Get("If-None-Match")}
	if v := r.Header.Get("If"); v != "" {
		ifh, err := davxml.ParseIf(v)
		if err != nil {
			return nil, badRequest("malformed If header")
		}
		c.ifh, c.hasIf = ifh, true
	}
	return c, nil
}

// check returns the precondition of a write touching scopes. It runs inside the write transaction.
// The If header and If-Match/If-None-Match must hold (else 412), and every lock on the scopes must
// have its token submitted by its owner (else 423). When both fail, 423 is the answer only if the
// client tried a lock token of its own: a list that names only DAV:no-lock is a plain condition
// (RFC 4918 §10.4.1; litmus checks both cases).
func (c *conditions) check(scopes ...scope) files.Precondition {
	return func(r db.Read) error {
		condErr := c.evaluate(r)
		if condErr != nil && !errors.Is(condErr, errPrecondition) {
			return condErr
		}
		lockErr := c.honoured(r, scopes)
		switch {
		case lockErr == nil:
			return condErr
		case condErr == nil || c.triedToken():
			return lockErr
		}
		return condErr
	}
}

// honoured returns a lockedError for the first lock on the scopes whose token was not submitted.
func (c *conditions) honoured(r db.Read, scopes []scope) error {
	submitted := c.submitted()
	for _, s := range scopes {
		all, err := r.GroupLocks(s.groupID)
		if err != nil {
			return err
		}
		if len(all) == 0 {
			continue
		}
		locks, err := requiredLocks(r, s, all)
		if err != nil {
			return err
		}
		for _, l := range locks {
			if !submitted[l.Token] || l.PersonID != c.person.ID {
				g, _ := r.GroupByID(l.GroupID)
				return &lockedError{root: c.h.href(g, l.Root, false)}
			}
		}
	}
	return nil
}

// noLock is the URI that never names a lock, used by clients to write conditions that must fail.
const noLock = "DAV:no-lock"

// triedToken tells whether the If header names a lock token other than DAV:no-lock.
func (c *conditions) triedToken() bool {
	for token := range c.submitted() {
		if token != noLock {
			return true
		}
	}
	return false
}

// requiredLocks lists, of a group's locks, those a change to s must honour.
func requiredLocks(r db.Read, s scope, all []db.Lock) ([]db.Lock, error) {
	var out []db.Lock
	for _, l := range db.LocksOn(all, s.path) {
		if s.tree || l.Root == s.path || !strings.HasPrefix(l.Root, s.path+"/") {
			out = append(out, l)
		}
	}
	if s.memberIfNew {
		if _, err := r.Node(s.groupID, s.path); errors.Is(err, db.ErrNotFound) {
			s.member = true
		} else if err != nil {
			return nil, err
		}
	}
	if s.member && s.path != "/" {
		parent := path.Dir(s.path)
		for _, l := range all {
			if l.Root == parent && !l.Infinite { // infinite ones are already in LocksOn(s.path)
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// submitted is the set of lock tokens the If header names (outside Not).
func (c *conditions) submitted() map[string]bool {
	m := map[string]bool{}
	for _, l := range c.ifh.Lists {
		for _, cond := range l.Conditions {
			if cond.Token != "" && !cond.Not {
				m[cond.Token] = true
			}
		}
	}
	return m
}

// evaluate checks the If header (RFC 4918 §10.4: lists are ORed, conditions ANDed) and the HTTP
// If-Match / If-None-Match headers against the current state.
func (c *conditions) evaluate(r db.Read) error {
	if c.match != "" || c.none != "" {
		n, err := r.Node(c.self.groupID(), c.self.path)
		exists := err == nil
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		if c.match != "" && !(exists && etagListMatch(c.match, n.ETag)) {
			return errPrecondition
		}
		if c.none != "" && exists && etagListMatch(c.none, n.ETag) {
			return errPrecondition
		}
	}
	if !c.hasIf {
		return nil
	}
	for _, l := range c.ifh.Lists {
		ok, err := c.listHolds(r, l)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return errPrecondition
}

func (c *conditions) listHolds(r db.Read, l davxml.IfList) (bool, error) {
	groupID, p, known := c.self.groupID(), c.self.path, !c.self.root
	if l.Resource != "" {
		groupID, p, known = c.resource(r, l.Resource)
	}
	for _, cond := range l.Conditions {
		var holds bool
		switch {
		case !known:
			holds = false
		case cond.Token != "":
			lk, err := r.LockByToken(cond.Token)
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				return false, err
			}
			holds = err == nil && lk.GroupID == groupID && files.Covers(lk, p)
		default:
			n, err := r.Node(groupID, p)
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				return false, err
			}
			holds = err == nil && `"`+n.ETag+`"` == cond.ETag
		}
		if holds == cond.Not {
			return false, nil
		}
	}
	return true, nil
}

// resource resolves a tagged list's URL (absolute or a path) to a node address.
func (c *conditions) resource(r db.Read, raw string) (int64, string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return 0, "", false
	}
	rest, ok := strings.CutPrefix(u.Path, c.h.Prefix+"/")
	if !ok {
		return 0, "", false
	}
	slug, inner, _ := strings.Cut(rest, "/")
	clean, err := files.Clean("/" + inner)
	if err != nil {
		return 0, "", false
	}
	g, err := r.GroupBySlug(slug)
	if err != nil {
		return 0, "", false
	}
	return g.ID, clean, true
}

// etagListMatch implements If-Match / If-None-Match lists with strong comparison: "*" matches any
// existing resource; weak tags never match (RFC 9110 §13.1.1), and malformed ones are simply no match.
func etagListMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == `"`+etag+`"` {
			return true
		}
	}
	return false
}
