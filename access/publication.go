package access

import (
	"context"
	"errors"
	"fmt"

	"parvis/storage/db"
)

// AudienceAll publishes to every member of the association.
const AudienceAll = "all"

// Publish opens the folder at path of group slug, read-only, to the members of the group audience,
// or to every member with AudienceAll. Animators of the group decide what it publishes.
func (s *Service) Publish(ctx context.Context, by Actor, slug, path, audience string) (db.Publication, error) {
	var pub db.Publication
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		g, err := s.allowed(tx.R(), by, slug, Publish)
		if err != nil {
			return err
		}
		n, err := tx.R().Node(g.ID, path)
		if errors.Is(err, db.ErrNotFound) || err == nil && !n.IsDir {
			return inField("path", fmt.Errorf("%w: %s is not a folder of %s", ErrInvalid, path, slug))
		} else if err != nil {
			return err
		}
		pub = db.Publication{GroupID: g.ID, NodeID: n.ID, Path: path, CreatedBy: by.Person.ID}
		if audience != AudienceAll {
			a, err := tx.R().GroupBySlug(audience)
			if err != nil || a.ID == g.ID {
				return inField("audience", fmt.Errorf("%w: no other group named %s", ErrInvalid, audience))
			}
			pub.AudienceID = a.ID
		}
		if err := tx.CreatePublication(&pub); errors.Is(err, db.ErrConflict) {
			return inField("path", fmt.Errorf("%w: %s is already published to %s", ErrExists, path, audience))
		} else if err != nil {
			return err
		}
		return tx.Audit(by.audit("publication.create", slug+" "+path, "to "+audience))
	})
	s.grants.clear()
	return pub, err
}

// Unpublish withdraws a publication of group slug.
func (s *Service) Unpublish(ctx context.Context, by Actor, slug string, id int64) error {
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		g, err := s.allowed(tx.R(), by, slug, Publish)
		if err != nil {
			return err
		}
		if err := tx.DeletePublication(g.ID, id); errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("%w: no such publication", ErrInvalid)
		} else if err != nil {
			return err
		}
		return tx.Audit(by.audit("publication.delete", slug, fmt.Sprint(id)))
	})
	s.grants.clear()
	return err
}

// Publications lists what group slug publishes; its members may see it.
func (s *Service) Publications(ctx context.Context, g db.Group) ([]db.Publication, error) {
	return s.db.R(ctx).Publications(g.ID)
}

// GroupByID returns a group, for naming the audience of a publication.
func (s *Service) GroupByID(ctx context.Context, id int64) (db.Group, error) {
	return s.db.R(ctx).GroupByID(id)
}
