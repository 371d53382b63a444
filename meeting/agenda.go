package meeting

import (
	"context"
	"time"

	"parvis/access"
	"parvis/files"
	"parvis/storage/db"
)

// A meeting's agenda (ordre du jour) is a file of the group's folder. The people a convocation
// reaches are not all of the group (an AG convenes the whole association), so the event carries a
// read-only share link to the file, made by whoever attaches it: like every share link it speaks
// for its maker, and it stops when they lose the right to share.

// agendaKeep is how long after the meeting its agenda's link stays open: the minutes refer to it.
const agendaKeep = 90 * 24 * time.Hour

// AgendaLink returns the share path ("/s/<token>") of the agenda file at p for a meeting ending
// at end, made by by: the link they made already when it still reaches that far, or a new one.
// A field error "agenda" when p is not a file of the group's folder.
func (s *Service) AgendaLink(ctx context.Context, by db.Person, g access.Grant, p string, end time.Time) (string, error) {
	if err := g.Allow(access.SharesWrite, ""); err != nil {
		return "", err
	}
	clean, err := files.Clean(p)
	if err != nil {
		return "", &access.FieldError{Field: "agenda", Err: errDocument}
	}
	if n, err := s.files.Stat(ctx, g.Group.ID, clean); err != nil || n.IsDir {
		return "", &access.FieldError{Field: "agenda", Err: errDocument}
	}
	until := end.Add(agendaKeep)
	shares, err := s.files.Shares(ctx, g.Group.ID)
	if err != nil {
		return "", err
	}
	for _, l := range shares {
		if l.Path == clean && l.Kind == files.ShareRead && l.PasswordHash == "" && l.CreatedBy == by.ID &&
			(l.ExpiresAt.IsZero() || !l.ExpiresAt.Before(until)) {
			return "/s/" + l.Token, nil
		}
	}
	l, err := s.files.CreateShare(ctx, g.Group.ID, clean, files.ShareOptions{Kind: files.ShareRead, Expires: until, By: by.ID})
	if err != nil {
		return "", err
	}
	return "/s/" + l.Token, nil
}
