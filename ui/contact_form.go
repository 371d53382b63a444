package ui

import (
	"net/mail"
	"strings"

	"github.com/emersion/go-vcard"
	"github.com/gofiber/fiber/v2"

	"parvis/calendar"
	"parvis/storage/db"
)

// contactFields are the form's fields, in the order of calendar.Contact.
var contactFields = []string{"fn", "family", "given", "email", "tel", "org", "street", "postcode", "locality", "country"}

func contactFormValues(ct calendar.Contact) map[string]string {
	return map[string]string{"fn": ct.FormattedName, "family": ct.FamilyName, "given": ct.GivenName, "email": ct.Email,
		"tel": ct.Phone, "org": ct.Org, "note": ct.Note, "street": ct.Street, "postcode": ct.PostalCode,
		"locality": ct.Locality, "country": ct.Country}
}

// readContactForm reads the posted contact. A card needs a name to show (FN): when the person gave
// only the given and family names, they make it.
func readContactForm(c *fiber.Ctx) (calendar.Contact, map[string]string, map[string]string) {
	f := map[string]string{"etag": c.FormValue("etag")}
	for _, k := range contactFields {
		f[k] = strings.TrimSpace(c.FormValue(k))
	}
	f["note"] = strings.TrimSpace(strings.ReplaceAll(c.FormValue("note"), "\r\n", "\n"))
	ct := calendar.Contact{FormattedName: f["fn"], FamilyName: f["family"], GivenName: f["given"], Email: f["email"],
		Phone: f["tel"], Org: f["org"], Note: f["note"], Street: f["street"], PostalCode: f["postcode"],
		Locality: f["locality"], Country: f["country"]}
	if ct.FormattedName == "" {
		ct.FormattedName = strings.TrimSpace(ct.GivenName + " " + ct.FamilyName)
	}
	errs := map[string]string{}
	if ct.FormattedName == "" {
		errs["fn"] = "contact.name.required"
	}
	for _, k := range contactFields {
		checkText(errs, k, f[k], maxText, false)
	}
	checkText(errs, "note", f["note"], maxLong, false)
	if ct.Email != "" {
		if a, err := mail.ParseAddress(ct.Email); err != nil || a.Address != ct.Email {
			errs["email"] = "field.email.invalid"
		}
	}
	return ct, f, errs
}

func (h *handler) renderContactForm(c *fiber.Ctx, gc groupCal, status int, uid string, form, errs map[string]string) error {
	action, del := groupBase(gc)+"/contacts/new", ""
	if uid != "" {
		action, del = groupBase(gc)+"/contacts/"+pathSeg(uid)+"/edit", groupBase(gc)+"/contacts/"+pathSeg(uid)+"/delete"
	}
	title := "contact.new"
	if uid != "" {
		title = "contact.edit"
	}
	return h.render(c, status, "contact_form.html", page{Title: title, Person: gc.person, Form: form, Errors: errs,
		Data: groupData(gc, "contacts", map[string]any{"Action": action, "Delete": del, "IsNew": uid == ""})})
}

// parsedCard finds and parses the vCard of the URL's UID.
func (h *handler) parsedCard(c *fiber.Ctx, gc groupCal) (db.Object, calendar.Card, error) {
	o, err := h.objectOf(c, gc)
	if err != nil {
		return o, calendar.Card{}, err
	}
	card, err := calendar.ParseCard(o.Data)
	if err != nil {
		return o, card, fiber.ErrNotFound
	}
	return o, card, nil
}

// putCard encodes a card and stores it through the calendar write path, after check.
func (h *handler) putCard(c *fiber.Ctx, gc groupCal, name string, k vcard.Card, check func(db.Read) error) error {
	data, err := calendar.EncodeCard(k)
	if err != nil {
		return err
	}
	_, _, err = calendar.Put(c.UserContext(), h.DB, gc.coll, name, data, calendar.Edit{Check: check})
	return err
}
