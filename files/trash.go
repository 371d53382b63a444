package files

import (
	"context"
	"time"

	"parvis/storage/db"
)

// Trash lists a group's deleted files and folders, most recent first.
func (s *Service) Trash(ctx context.Context, groupID int64) ([]db.TrashItem, error) {
	items, err := s.db.R(ctx).TrashItems(groupID)
	return items, mapErr(err)
}

// Restore puts a deleted item back at dest, or at its original place when dest is "". Missing
// parent folders are created; ErrExists when dest is taken (the caller then offers another place).
func (s *Service) Restore(ctx context.Context, groupID, id int64, dest string) (db.TrashItem, error) {
	if dest != "" {
		var err error
		if dest, err = Clean(dest); err != nil || dest == "/" {
			return db.TrashItem{}, ErrForbidden
		}
	}
	var item db.TrashItem
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		item, err = tx.RestoreTrash(groupID, id, dest)
		return err
	})
	return item, mapErr(err)
}

// Purge deletes one trash item for good.
func (s *Service) Purge(ctx context.Context, groupID, id int64) error {
	return mapErr(s.db.Write(ctx, func(tx *db.Tx) error { return tx.PurgeTrash(groupID, id) }))
}

// EmptyTrash deletes a group's whole trash for good, and tells how many items it held.
func (s *Service) EmptyTrash(ctx context.Context, groupID int64) (int, error) {
	items, err := s.Trash(ctx, groupID)
	if err != nil {
		return 0, err
	}
	for _, it := range items {
		if err := s.Purge(ctx, groupID, it.ID); err != nil {
			return 0, err
		}
	}
	return len(items), nil
}

// Expire applies the retention at time now: trash items and versions older than theirs are
// deleted. It returns how many of each went.
func (s *Service) Expire(ctx context.Context, now time.Time) (trashed, versions int, err error) {
	for {
		items, err := s.db.R(ctx).ExpiredTrash(now.Add(-s.keep.Trash), 200)
		if err != nil || len(items) == 0 {
			break
		}
		for _, it := range items {
			if err := s.Purge(ctx, it.GroupID, it.ID); err != nil {
				return trashed, versions, err
			}
			trashed++
		}
	}
	for {
		var n int
		err := s.db.Write(ctx, func(tx *db.Tx) error {
			var err error
			n, err = tx.ExpireVersions(now.Add(-s.keep.Versions), 500)
			return err
		})
		if err != nil {
			return trashed, versions, err
		}
		versions += n
		if n == 0 {
			break
		}
	}
	return trashed, versions, s.keepWithinQuota(ctx)
}

// keepWithinQuota bounds what the trash and the versions keep outside a group's quota by the quota
// itself, dropping the oldest first: a group cannot fill the disk through its trash.
func (s *Service) keepWithinQuota(ctx context.Context) error {
	groups, err := s.db.R(ctx).GroupsOverKept()
	if err != nil {
		return err
	}
	for _, id := range groups {
		for {
			g, err := s.Group(ctx, id)
			if err != nil || g.TrashBytes+g.VersionBytes <= g.QuotaBytes {
				break
			}
			var dropped bool
			if err := s.db.Write(ctx, func(tx *db.Tx) (err error) { dropped, err = tx.DropOldestKept(id); return }); err != nil {
				return err
			}
			if !dropped {
				break
			}
		}
	}
	return nil
}

// Retention returns how long deleted files and versions are kept.
func (s *Service) Retention() Retention { return s.keep }
