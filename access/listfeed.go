package access

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"

	"parvis/storage/db"
)

// ListFeedUser is the user name a list server sends with the feed password.
const ListFeedUser = "feed"

// SetListFeedPassword opens the lists' member feeds to a list server that sends this password
// (lists.feed_password); empty keeps them closed.
func (s *Service) SetListFeedPassword(password string) { s.feedPassword = password }

// ListFeed answers a list server the association keeps (Sympa, reading a remote data source)
// that asks for the members in force of the list at address: the people the list's own messages
// would reach now, so that the rule "member of the group, up to date with dues" holds there too.
// The feed is the list server's, not a person's: it opens with the instance's feed password, sent
// as HTTP Basic with ListFeedUser, and wrong attempts count against the address like wrong
// sign-ins. The list is looked up only after the password is checked, so a stranger learns no
// list's name; with no feed password set, there are no feeds (db.ErrNotFound).
func (s *Service) ListFeed(ctx context.Context, address, user, password, remote string) (db.List, []db.Person, error) {
	if s.feedPassword == "" {
		return db.List{}, nil, db.ErrNotFound
	}
	if !s.cache.admit(ListFeedUser, remote) {
		return db.List{}, nil, ErrThrottled
	}
	if user != ListFeedUser || !sameSecret(password, s.feedPassword) {
		return db.List{}, nil, ErrBadCredentials
	}
	s.cache.forgive(ListFeedUser, remote)
	r := s.db.R(ctx)
	l, err := r.ListByAddress(address)
	if err != nil {
		return db.List{}, nil, err
	}
	people, err := s.ListRecipients(r, l)
	return l, people, err
}

// sameSecret compares two secrets in constant time, whatever their lengths.
func sameSecret(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
