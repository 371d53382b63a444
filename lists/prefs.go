package lists

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"parvis/access"
	"parvis/storage/db"
)

// The ways a person receives a list they are in.
var Modes = []string{"", "digest", "mute"}

// SetMode records how p receives the list: "" (every message), digest or mute. Muting keeps the
// archive readable: the list is theirs by membership, not by subscription.
func (s *Service) SetMode(ctx context.Context, p db.Person, l db.List, mode string) error {
	if !contains(Modes, mode) {
		return fmt.Errorf("%w: %q is not a way to receive a list", access.ErrInvalid, mode)
	}
	if _, err := s.access.ListRightsOf(ctx, p, l); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *db.Tx) error { return tx.SetListPref(l.ID, p.ID, mode) })
}

// Mode is how p receives the list.
func (s *Service) Mode(ctx context.Context, p db.Person, l db.List) (string, error) {
	return s.db.R(ctx).ListPref(l.ID, p.ID)
}

// UnsubscribeToken is the token of the person's unsubscribe link for the list, as its copies
// carry it.
func (s *Service) UnsubscribeToken(ctx context.Context, l db.List, personID int64) (string, error) {
	var token string
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		var err error
		token, err = s.unsubscribeToken(tx, l.ID, personID)
		return err
	})
	return token, err
}

// ErrBadToken is an unsubscribe link that is not one of ours.
var ErrBadToken = errors.New("lists: this unsubscribe link is not valid")

// Unsubscribe mutes the list for the person of a copy's unsubscribe link (RFC 8058: one POST,
// signed out). It returns the list, for the page that confirms it.
func (s *Service) Unsubscribe(ctx context.Context, token string) (db.List, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return db.List{}, ErrBadToken
	}
	listID, err1 := strconv.ParseInt(parts[0], 10, 64)
	personID, err2 := strconv.ParseInt(parts[1], 10, 64)
	mac, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return db.List{}, ErrBadToken
	}
	var l db.List
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		want, err := s.sign(tx, "unsubscribe", fmt.Sprint(listID), fmt.Sprint(personID))
		if err != nil {
			return err
		}
		if !hmac.Equal(mac, want[:16]) {
			return ErrBadToken
		}
		if l, err = tx.R().ListByID(listID); errors.Is(err, db.ErrNotFound) {
			return ErrBadToken
		} else if err != nil {
			return err
		}
		return tx.SetListPref(listID, personID, "mute")
	})
	return l, err
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
