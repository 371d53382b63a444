package access

import (
	"context"
	"net/url"
	"strings"
	"time"

	"parvis/storage/db"
)

// DropQuiet is how long after a drop mail a link stays silent.
const DropQuiet = 30 * time.Minute

// DropReceived tells whoever made a drop link that files came through it: the folder's people
// otherwise learn of a deposit only by looking. names lists what this batch brought. The link is
// one in force (LinkInForce: its maker may still share the folder), as share serves no other.
//
// A link mails at most once per DropQuiet: a visitor dropping twenty batches, or a script posting in
// a loop, does not flood the maker; the folder shows every file.
func (s *Service) DropReceived(ctx context.Context, l db.ShareLink, folder string, names []string) error {
	if s.notifier == nil || l.CreatedBy == 0 || len(names) == 0 {
		return nil
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		if first, err := tx.ClaimDropNotice(l.ID, DropQuiet); err != nil || !first {
			return err
		}
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
