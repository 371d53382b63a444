package calendar

import (
	"bytes"
	"strings"
	"time"

	"github.com/emersion/go-vcard"
)

// Contact is what the contacts page shows and edits of a vCard: one e-mail, one phone and one postal
// address, the first of each. Editing changes the parsed card, so that photos, other addresses and
// properties the page does not know are kept.
type Contact struct {
	UID, FormattedName, FamilyName, GivenName string
	Email, Phone, Org, Note                   string
	Street, PostalCode, Locality, Country     string
}

// ReadContact reads a parsed card.
func ReadContact(c Card) Contact {
	k := c.Card
	ct := Contact{UID: c.UID, FormattedName: k.PreferredValue(vcard.FieldFormattedName), Email: k.PreferredValue(vcard.FieldEmail),
		Phone: k.PreferredValue(vcard.FieldTelephone), Note: k.Value(vcard.FieldNote)}
	if org := k.Get(vcard.FieldOrganization); org != nil {
		ct.Org = org.Value // ORG is structured (organisation;unit): the page shows it whole
	}
	if n := k.Name(); n != nil {
		ct.FamilyName, ct.GivenName = n.FamilyName, n.GivenName
	}
	if a := k.Address(); a != nil {
		ct.Street, ct.PostalCode, ct.Locality, ct.Country = a.StreetAddress, a.PostalCode, a.Locality, a.Country
	}
	return ct
}

// NewCard starts the vCard 4.0 of a new contact.
func NewCard(uid string) vcard.Card {
	k := vcard.Card{}
	k.SetValue(vcard.FieldVersion, "4.0")
	k.SetValue(vcard.FieldUID, uid)
	return k
}

// ApplyContact writes ct into the card k, leaving what it does not know alone.
func ApplyContact(k vcard.Card, ct Contact, now time.Time) {
	setCardValue(k, vcard.FieldFormattedName, ct.FormattedName)
	setCardValue(k, vcard.FieldEmail, ct.Email)
	setCardValue(k, vcard.FieldTelephone, ct.Phone)
	setCardValue(k, vcard.FieldOrganization, ct.Org)
	setCardValue(k, vcard.FieldNote, ct.Note)
	if n := k.Name(); n != nil || ct.FamilyName != "" || ct.GivenName != "" {
		if n == nil {
			n = &vcard.Name{}
		}
		n.FamilyName, n.GivenName = part(ct.FamilyName), part(ct.GivenName)
		k.SetName(n) // vCard 3.0 requires N: it is written even when empty
	}
	a := k.Address()
	empty := ct.Street == "" && ct.PostalCode == "" && ct.Locality == "" && ct.Country == ""
	switch {
	case a == nil && !empty:
		k.AddAddress(&vcard.Address{StreetAddress: part(ct.Street), PostalCode: part(ct.PostalCode), Locality: part(ct.Locality),
			Country: part(ct.Country)})
	case a != nil && empty:
		dropFirst(k, vcard.FieldAddress, a.Field)
	case a != nil:
		// The field stays in place with its parameters (TYPE, LABEL); only the parts the page
		// shows change.
		a.Field.Value = strings.Join([]string{a.PostOfficeBox, a.ExtendedAddress, part(ct.Street), part(ct.Locality), a.Region,
			part(ct.PostalCode), part(ct.Country)}, ";")
	}
	k.SetRevision(now.UTC())
}

// setCardValue changes the preferred value of a field, keeping its parameters (TYPE, PREF), adds it
// when missing, and removes that one value when v is empty.
func setCardValue(k vcard.Card, name, v string) {
	f := k.Preferred(name)
	switch {
	case f == nil && v != "":
		k.Add(name, &vcard.Field{Value: v})
	case f != nil && v == "":
		dropFirst(k, name, f)
	case f != nil:
		f.Value = v
	}
}

// dropFirst removes the field f of a card.
func dropFirst(k vcard.Card, name string, f *vcard.Field) {
	fs := k[name]
	for i := range fs {
		if fs[i] == f {
			k[name] = append(fs[:i:i], fs[i+1:]...)
			break
		}
	}
	if len(k[name]) == 0 {
		delete(k, name)
	}
}

// part keeps a component of a structured value (N, ADR) from splitting it: go-vcard joins the
// components with ";" without escaping them.
func part(s string) string { return strings.ReplaceAll(s, ";", ",") }

// EncodeCard writes a card as vCard text.
func EncodeCard(k vcard.Card) ([]byte, error) {
	var b bytes.Buffer
	err := vcard.NewEncoder(&b).Encode(k)
	return b.Bytes(), err
}
