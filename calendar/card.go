package calendar

import (
	"bytes"
	"errors"
	"io"

	"github.com/emersion/go-vcard"
)

// MaxCardSize caps one vCard: a contact with a photo fits; a client cannot store anything else.
const MaxCardSize = 1 << 20

// Card is a validated vCard resource: exactly one card, with a UID.
type Card struct {
	UID  string
	Card vcard.Card
}

// ParseCard decodes and validates one address object resource (RFC 6352 §5.1): a single vCard 3.0 or
// 4.0 with a UID and a formatted name. Refusals carry the CardDAV precondition to report.
func ParseCard(data []byte) (Card, error) {
	if len(data) > MaxCardSize {
		return Card{}, refuse("max-resource-size", "%d bytes, at most %d", len(data), MaxCardSize)
	}
	card, err := decodeCard(data)
	if err != nil {
		return Card{}, err
	}
	switch card.Value(vcard.FieldVersion) {
	case "3.0", "4.0":
	default:
		return Card{}, refuse("supported-address-data", "vCard version 3.0 or 4.0 only")
	}
	uid := card.Value(vcard.FieldUID)
	if uid == "" {
		return Card{}, refuse("valid-address-data", "vCard without UID")
	}
	if card.Get(vcard.FieldFormattedName) == nil {
		return Card{}, refuse("valid-address-data", "vCard without FN")
	}
	return Card{UID: uid, Card: card}, nil
}

// decodeCard reads exactly one vCard; a decoder panic on malformed input is a refusal.
func decodeCard(data []byte) (card vcard.Card, err error) {
	defer func() {
		if recover() != nil {
			card, err = nil, refuse("valid-address-data", "not a vCard")
		}
	}()
	dec := vcard.NewDecoder(bytes.NewReader(data))
	if card, err = dec.Decode(); err != nil {
		return nil, refuse("valid-address-data", "not a vCard")
	}
	if _, err := dec.Decode(); !errors.Is(err, io.EOF) {
		return nil, refuse("valid-address-data", "more than one vCard")
	}
	return card, nil
}
