package access

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"parvis/storage/db"
)

// Errors of the links page, each shown next to its field.
var (
	ErrLinkURL  = fmt.Errorf("%w: a link is an http:// or https:// address", ErrInvalid)
	ErrLinkLong = fmt.Errorf("%w: a link's title, address or note is too long", ErrInvalid)
)

// Limits of a bookmark: generous for real use, small enough for a page.
const (
	maxLinkTitle = 200
	maxLinkURL   = 2048
	maxLinkNote  = 2000
)

// Links lists the bookmarks of the group of g: its members, animators and guests read them; readers
// of its publications are not in the group and see none.
func (s *Service) Links(ctx context.Context, g Grant) ([]db.Link, error) {
	if err := g.Allow(LinksRead, ""); err != nil {
		return nil, err
	}
	return s.db.R(ctx).Links(g.Group.ID)
}

// SaveLink adds a bookmark to the group of g (l.ID 0) or changes one of its own; members and
// animators write, guests only read. Only web addresses are kept: a javascript: or data: address in
// a page is a script one click away.
func (s *Service) SaveLink(ctx context.Context, by Actor, g Grant, l db.Link) (db.Link, error) {
	if err := g.Allow(LinksWrite, ""); err != nil {
		return l, err
	}
	if err := cleanLink(&l); err != nil {
		return l, err
	}
	l.GroupID = g.Group.ID
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		action := "link.update"
		if l.ID == 0 {
			action, l.CreatedBy = "link.create", by.Person.ID
			if err := tx.CreateLink(&l); err != nil {
				return err
			}
		} else if err := tx.UpdateLink(l); err != nil {
			return err
		}
		return tx.Audit(by.audit(action, g.Group.Slug+" "+fmt.Sprint(l.ID), l.URL))
	})
	if errors.Is(err, db.ErrNotFound) {
		return l, ErrNoAccess
	}
	return l, err
}

// DeleteLink removes a bookmark of the group of g.
func (s *Service) DeleteLink(ctx context.Context, by Actor, g Grant, id int64) error {
	if err := g.Allow(LinksWrite, ""); err != nil {
		return err
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := tx.DeleteLink(g.Group.ID, id); err != nil {
			return err
		}
		return tx.Audit(by.audit("link.delete", g.Group.Slug+" "+fmt.Sprint(id), ""))
	})
	if errors.Is(err, db.ErrNotFound) {
		return ErrNoAccess
	}
	return err
}

// cleanLink trims a bookmark and checks it; a missing title becomes the address's host.
func cleanLink(l *db.Link) error {
	l.Title, l.URL, l.Note = strings.TrimSpace(l.Title), strings.TrimSpace(l.URL), strings.TrimSpace(l.Note)
	u, err := url.Parse(l.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ErrLinkURL
	}
	if utf8.RuneCountInString(l.Title) > maxLinkTitle || len(l.URL) > maxLinkURL || utf8.RuneCountInString(l.Note) > maxLinkNote {
		return ErrLinkLong
	}
	if l.Title == "" {
		l.Title = u.Host
	}
	return nil
}
