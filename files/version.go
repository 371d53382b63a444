package files

import (
	"context"
	"errors"
	"fmt"

	"parvis/storage/blob"
	"parvis/storage/db"
)

// Versions lists the previous contents of the file at p, newest first.
func (s *Service) Versions(ctx context.Context, groupID int64, p string) (db.Node, []db.Version, error) {
	n, err := s.Stat(ctx, groupID, p)
	if err != nil {
		return n, nil, err
	}
	if n.IsDir {
		return n, nil, ErrIsDir
	}
	vs, err := s.db.R(ctx).Versions(n.ID)
	return n, vs, mapErr(err)
}

// OpenVersion returns a reader of one previous content of the file at p.
func (s *Service) OpenVersion(ctx context.Context, groupID int64, p string, id int64) (db.Node, db.Version, blob.Reader, error) {
	n, err := s.Stat(ctx, groupID, p)
	if err != nil {
		return n, db.Version{}, nil, err
	}
	v, err := s.db.R(ctx).Version(n.ID, id)
	if err != nil {
		return n, v, nil, mapErr(err)
	}
	r, err := s.Open(ctx, db.Node{Path: n.Path, Blob: v.Blob, Size: v.Size})
	if errors.Is(err, blob.ErrNotFound) {
		err = fmt.Errorf("files: content of version %d of %s is missing: %w", id, p, err)
	}
	return n, v, r, err
}

// RestoreVersion makes a previous content of the file at p current again; the content it replaces
// becomes a version, so the restore can itself be undone.
func (s *Service) RestoreVersion(ctx context.Context, groupID int64, p string, id, by int64, check Precondition) (db.Node, error) {
	var n db.Node
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if err := check.run(tx.R()); err != nil {
			return err
		}
		cur, err := tx.R().Node(groupID, p)
		if err != nil {
			return err
		}
		if n, err = tx.RestoreVersion(cur, id, by); err != nil {
			return err
		}
		return tx.PruneVersions(n, s.keep.MaxVersions)
	})
	return n, mapErr(err)
}
