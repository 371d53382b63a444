package dav

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"parvis/access"
	"parvis/dav/davxml"
	"parvis/files"
	"parvis/storage/db"
)

// lock creates or refreshes a write lock (RFC 4918 §9.10). Locks are rows in the database: they
// hold across restarts and between every member of the group, which is what lets two people who
// mount the same folder not overwrite each other's minutes. LOCK on an unmapped URL creates an empty
// file, as RFC 4918 §7.3 asks.
func (h *Handler) lock(w http.ResponseWriter, r *http.Request, p db.Person, t target) error {
	if err := writable(t); err != nil {
		return err
	}
	info, refresh, err := davxml.ParseLockInfo(davxml.LimitBody(r, h.MaxXMLBody))
	if err != nil {
		return xmlBodyError(err, "malformed LOCK body")
	}
	timeout := h.lockTimeout(r.Header.Get("Timeout"))
	c, err := h.newConditions(r, p, t)
	if err != nil {
		return err
	}
	if refresh {
		return h.refreshLock(w, r, p, t, c, timeout)
	}
	infinite := true
	switch r.Header.Get("Depth") {
	case "", "infinity":
	case "0":
		infinite = false
	default:
		return badRequest("Depth must be 0 or infinity")
	}
	l := db.Lock{Token: newLockToken(), GroupID: t.groupID(), Root: t.path, Infinite: infinite, Exclusive: info.Exclusive,
		Owner: info.Owner, PersonID: p.ID, ExpiresAt: time.Now().Add(timeout)}
	created, err := h.Files.Lock(r.Context(), c.evaluate, l)
	var conflict *files.LockConflictError
	if errors.As(err, &conflict) {
		return &statusError{code: http.StatusLocked, msg: "locked by someone else",
			cond: "<D:no-conflicting-lock><D:href>" + davxml.EscapeText(h.href(t.grant.Group, conflict.Root, false)) + "</D:href></D:no-conflicting-lock>"}
	}
	if err != nil {
		return err
	}
	w.Header().Set("Lock-Token", "<"+l.Token+">")
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	if created {
		w.WriteHeader(http.StatusCreated)
	} else {
		w.WriteHeader(http.StatusOK)
	}
	return davxml.WriteLockResponse(w, h.activeLock(t.grant.Group, l))
}

// refreshLock extends the lock named in the If header.
func (h *Handler) refreshLock(w http.ResponseWriter, r *http.Request, p db.Person, t target, c *conditions, timeout time.Duration) error {
	var tokens []string
	for token := range c.submitted() {
		tokens = append(tokens, token)
	}
	found, err := h.Files.RefreshLock(r.Context(), tokens, t.groupID(), t.path, p.ID, time.Now().Add(timeout))
	if errors.Is(err, files.ErrNoLock) {
		return &statusError{code: http.StatusPreconditionFailed, msg: "no lock of yours to refresh here", cond: "<D:lock-token-matches-request-uri/>"}
	} else if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	return davxml.WriteLockResponse(w, h.activeLock(t.grant.Group, found))
}

// unlock removes a lock; only its owner may, and only through a URL the lock covers (§9.11).
func (h *Handler) unlock(w http.ResponseWriter, r *http.Request, p db.Person, t target) error {
	if err := writable(t); err != nil { // only those who may lock unlock
		return err
	}
	token := strings.TrimSpace(r.Header.Get("Lock-Token"))
	if len(token) < 3 || token[0] != '<' || token[len(token)-1] != '>' {
		return badRequest("missing or malformed Lock-Token header")
	}
	token = token[1 : len(token)-1]
	anyone := t.grant.Allows(access.LocksBreak, t.path)
	switch err := h.Files.Unlock(r.Context(), token, t.groupID(), t.path, p.ID, anyone); {
	case errors.Is(err, files.ErrNoLock):
		return &statusError{code: http.StatusConflict, msg: "no such lock on this resource", cond: "<D:lock-token-matches-request-uri/>"}
	case errors.Is(err, files.ErrNotYourLock):
		return &statusError{code: http.StatusForbidden, msg: "this lock belongs to someone else"}
	case err != nil:
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// lockTimeout reads a Timeout header ("Second-600", "Infinite", or a list of them), capped.
func (h *Handler) lockTimeout(v string) time.Duration {
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if strings.EqualFold(part, "Infinite") {
			return h.MaxLockTimeout
		}
		if s, ok := strings.CutPrefix(part, "Second-"); ok {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
				return min(time.Duration(min(n, 1<<32))*time.Second, h.MaxLockTimeout)
			}
		}
	}
	return h.MaxLockTimeout
}

// newLockToken returns a fresh urn:uuid lock token (RFC 4918 §6.5 recommends UUID URNs).
func newLockToken() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
