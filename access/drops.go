package access

import (
	"context"
	"net/url"
	"strings"

	"parvis/storage/db"
)

// DropReceived tells whoever made a drop link that files came through it: the folder's people
// otherwise learn of a deposit only by looking. names lists what this batch brought. The link is
// one in force (LinkInForce: its maker may still share the folder), as share serves no other.
func (s *Service) DropReceived(ctx context.Context, l db.ShareLink, folder string, names []string) error {
	if s.notifier == nil || l.CreatedBy == 0 || len(names) == 0 {
		return nil
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		r := tx.R()
		maker, err := r.PersonByID(l.CreatedBy)
		if err != nil || maker.Email == "" {
			return err
		}
		g, err := r.GroupByID(l.GroupID)
		if err != nil {
			return err
		}
		return s.notifier.Queue(tx, Notice{To: maker, Template: "drop.received", Group: g, Title: folder,
			Message: strings.Join(names, "\n"),
			Path:    "/groups/" + url.PathEscape(g.Slug) + "/files?path=" + url.QueryEscape(folder)})
	})
	s.queued(err)
	return err
}
