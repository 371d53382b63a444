package ui

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/cases"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"parvis/calendar"
	"parvis/storage/db"
)

// A group's address book: a list searchable by name, a card per contact, and a form. Writes go
// through calendar.Put like CardDAV's, on the parsed card, so that what clients stored and the page
// does not show is kept.

// contactRow is a contact with the address of its card.
type contactRow struct {
	calendar.Contact
	Path string
}

// contactsPage lists the contacts by name; q keeps those whose name, organisation or e-mail holds it,
// case aside.
func (h *handler) contactsPage(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindAddressBook, collContacts, false)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(c.Query("q"))
	fold := cases.Fold()
	needle := fold.String(q)
	var list []contactRow
	err = calendar.EachObject(c.UserContext(), h.DB, gc.coll.ID, true, func(o db.Object) error {
		card, err := calendar.ParseCard(o.Data)
		if err != nil {
			return nil
		}
		ct := calendar.ReadContact(card)
		if needle == "" || strings.Contains(fold.String(ct.FormattedName+" "+ct.Org+" "+ct.Email), needle) {
			list = append(list, contactRow{Contact: ct, Path: pathSeg(ct.UID)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	coll := collator()
	slices.SortStableFunc(list, func(a, b contactRow) int { return coll(a.FormattedName, b.FormattedName) })
	return h.render(c, fiber.StatusOK, "contacts.html", page{Title: "contacts.title", Person: p, Form: map[string]string{"q": q},
		Data: groupData(gc, "contacts", map[string]any{"Contacts": list})})
}

// collator compares names the way people sort them in French: case and accents aside (Élodie
// between Eddy and Emma).
func collator() func(a, b string) int {
	return collate.New(language.French, collate.Loose).CompareString
}

// contactView shows one card.
func (h *handler) contactView(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindAddressBook, collContacts, false)
	if err != nil {
		return err
	}
	o, card, err := h.parsedCard(c, gc)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "contact.html", page{Title: "contacts.title", Person: p,
		Data: groupData(gc, "contacts", map[string]any{"Contact": calendar.ReadContact(card), "ETag": o.ETag, "Path": pathSeg(card.UID)})})
}

func (h *handler) contactNew(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindAddressBook, collContacts, true)
	if err != nil {
		return err
	}
	return h.renderContactForm(c, gc, fiber.StatusOK, "", map[string]string{}, nil)
}

func (h *handler) contactCreate(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindAddressBook, collContacts, true)
	if err != nil {
		return err
	}
	ct, form, errs := readContactForm(c)
	if len(errs) > 0 {
		return h.renderContactForm(c, gc, fiber.StatusUnprocessableEntity, "", form, errs)
	}
	ct.UID = newUID()
	k := calendar.NewCard(ct.UID)
	calendar.ApplyContact(k, ct, time.Now())
	if err := h.putCard(c, gc, ct.UID+".vcf", k, nil); err != nil {
		return err
	}
	return c.Redirect(groupBase(gc)+"/contacts/"+pathSeg(ct.UID), fiber.StatusSeeOther)
}

func (h *handler) contactEdit(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindAddressBook, collContacts, true)
	if err != nil {
		return err
	}
	o, card, err := h.parsedCard(c, gc)
	if err != nil {
		return err
	}
	form := contactFormValues(calendar.ReadContact(card))
	form["etag"] = o.ETag
	return h.renderContactForm(c, gc, fiber.StatusOK, card.UID, form, nil)
}

func (h *handler) contactUpdate(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindAddressBook, collContacts, true)
	if err != nil {
		return err
	}
	o, card, err := h.parsedCard(c, gc)
	if err != nil {
		return err
	}
	ct, form, errs := readContactForm(c)
	if len(errs) == 0 {
		ct.UID = card.UID
		calendar.ApplyContact(card.Card, ct, time.Now())
		err = h.putCard(c, gc, o.Name, card.Card, stillSame(gc.coll.ID, o.Name, form["etag"]))
		if errors.Is(err, errChanged) {
			errs = map[string]string{"form": "cal.changed"}
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return h.renderContactForm(c, gc, fiber.StatusUnprocessableEntity, card.UID, form, errs)
	}
	return c.Redirect(groupBase(gc)+"/contacts/"+pathSeg(card.UID), fiber.StatusSeeOther)
}

func (h *handler) contactDelete(c *fiber.Ctx, p db.Person) error {
	gc, err := h.groupCollection(c, p, db.KindAddressBook, collContacts, true)
	if err != nil {
		return err
	}
	if err := h.deleteObject(c, gc); err != nil {
		return err
	}
	return c.Redirect(groupBase(gc)+"/contacts", fiber.StatusSeeOther)
}
