package files

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"parvis/access"
	"parvis/storage/db"
)

// Kinds of share links.
const (
	ShareRead = "read" // download a file, or browse and download a folder
	ShareDrop = "drop" // upload into a folder, see nothing of it
)

// ShareOptions qualify a new link.
type ShareOptions struct {
	Kind     string
	Password string    // "" for none
	Expires  time.Time // zero for never
	By       int64
}

// ErrShareLocked is returned for a link that needs its password.
var ErrShareLocked = errors.New("files: this link needs its password")

// CreateShare makes a link to the file or folder at p. Drop links need a folder.
func (s *Service) CreateShare(ctx context.Context, groupID int64, p string, o ShareOptions) (db.ShareLink, error) {
	if o.Kind != ShareRead && o.Kind != ShareDrop {
		return db.ShareLink{}, fmt.Errorf("%w: unknown kind of link %q", ErrForbidden, o.Kind)
	}
	n, err := s.Stat(ctx, groupID, p)
	if err != nil {
		return db.ShareLink{}, err
	}
	if o.Kind == ShareDrop && !n.IsDir {
		return db.ShareLink{}, fmt.Errorf("%w: a drop link opens a folder", ErrForbidden)
	}
	l := db.ShareLink{Token: newToken(), GroupID: groupID, NodeID: n.ID, Kind: o.Kind, ExpiresAt: o.Expires, CreatedBy: o.By}
	if o.Password != "" {
		if l.PasswordHash, err = access.HashPassword(o.Password); err != nil {
			return l, err
		}
	}
	err = s.db.Write(ctx, func(tx *db.Tx) error { return tx.CreateShareLink(&l) })
	return l, mapErr(err)
}

// newToken returns 128 random bits, URL-safe.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Shares lists the links of a group that are in force, with the path each one opens now and who
// made it.
func (s *Service) Shares(ctx context.Context, groupID int64) ([]Share, error) {
	r := s.db.R(ctx)
	links, err := r.ShareLinks(groupID)
	if err != nil {
		return nil, err
	}
	out := make([]Share, len(links))
	makers := map[int64]string{}
	for i, l := range links {
		out[i].ShareLink = l
		if n, err := r.NodeByID(l.NodeID); err == nil {
			out[i].Path = n.Path
		}
		name, ok := makers[l.CreatedBy]
		if !ok {
			if p, err := r.PersonByID(l.CreatedBy); err == nil {
				name = p.DisplayName()
			}
			makers[l.CreatedBy] = name
		}
		out[i].Maker = name
	}
	return out, nil
}

// Share is a link in force, with what it opens and who made it: a link speaks for its maker and
// stops with their access, so the group sees whose links it relies on.
type Share struct {
	db.ShareLink
	Path  string // the file or folder it opens
	Maker string // the maker's name, else e-mail; empty for an erased account
}

// RevokeShare ends a link.
func (s *Service) RevokeShare(ctx context.Context, groupID, id int64) error {
	return mapErr(s.db.Write(ctx, func(tx *db.Tx) error { return tx.RevokeShareLink(groupID, id) }))
}

// OpenShare returns the link of a token and the node it opens, if the link is in force: not
// revoked, not expired, its target not in the trash. All these answer ErrNotFound alike.
func (s *Service) OpenShare(ctx context.Context, token string) (db.ShareLink, db.Node, error) {
	r := s.db.R(ctx)
	l, err := r.ShareLinkByToken(token)
	if err != nil {
		return l, db.Node{}, ErrNotFound
	}
	if !l.RevokedAt.IsZero() || !l.ExpiresAt.IsZero() && db.Now().After(l.ExpiresAt) {
		return l, db.Node{}, ErrNotFound
	}
	n, err := r.NodeByID(l.NodeID)
	if err != nil || !strings.HasPrefix(n.Path, "/") {
		return l, db.Node{}, ErrNotFound
	}
	return l, n, nil
}

// CheckSharePassword tells whether password opens a link.
func CheckSharePassword(l db.ShareLink, password string) bool {
	ok, err := access.CheckPassword(l.PasswordHash, password)
	return err == nil && ok
}

// CountShareUse records a download or an upload through a link.
func (s *Service) CountShareUse(ctx context.Context, id int64, upload bool) error {
	return s.db.Write(ctx, func(tx *db.Tx) error { return tx.CountShareUse(id, upload) })
}
