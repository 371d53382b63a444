package access

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"parvis/storage/db"
)

// A group's mailing lists: who receives one, who may post to it, who moderates it and who reads
// its archive are decided here, from the standing people have now. A list's audience is an
// Audience (the group's people from a least role, or every member of the association), so the
// rule "member of X and up to date with dues" that the group's access follows is the list's too:
// someone suspended for unpaid dues, whose guest access ended, or who left, stops receiving the
// next message, and paying gives it back.

// The audiences a list may have (db.List.Audience), widest of the group first.
var ListAudiences = []string{"all", "members", "animators", "association"}

// Who posts freely to a list (db.List.Posters): the audience itself (a discussion list), the
// group's animators, or named people (an announcement list's president and IT lead).
var ListPosters = []string{"audience", "animators", "named"}

// What happens to a message from anyone else (db.List.Others).
var ListOthers = []string{"moderate", "refuse"}

// PostRule is what becomes of a message to a list.
type PostRule int

const (
	PostFreely    PostRule = iota // distributed at once
	PostModerated                 // held until an animator approves it
	PostRefused                   // refused with a message saying why
)

// ErrListAddress refuses a list address that is not a plain local part.
var ErrListAddress = fmt.Errorf("%w: a list address is made of lower-case letters, digits and dashes", ErrInvalid)

// ErrListAddressReserved refuses an address the mail domain or the pages already use.
var ErrListAddressReserved = fmt.Errorf("%w: this address is reserved", ErrInvalid)

// reservedAddresses are local parts a list may not take: the role addresses every mail domain
// answers (RFC 2142), the server's own, and "new", the path of the page that creates a list.
var reservedAddresses = []string{"new", "postmaster", "abuse", "hostmaster", "webmaster", "mailer-daemon", "root", "noreply", "no-reply", "nobody"}

// reservedSuffixes are the conventions of list servers (Mailman, Sympa) for a list's service
// addresses: a list "atelier-request" would read as the requests of "atelier".
var reservedSuffixes = []string{"-request", "-owner", "-bounces", "-admin", "-join", "-leave"}

var listAddress = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9.-]{0,62}[a-z0-9])?$`)

// ListAudience is a list's audience as an Audience.
func ListAudience(l db.List, g db.Group) Audience {
	switch l.Audience {
	case "association":
		return Audience{Least: db.RoleMember}
	case "all":
		return Audience{Group: g.Slug, Least: db.RoleGuest}
	case "animators":
		return Audience{Group: g.Slug, Least: db.RoleAnimator}
	}
	return Audience{Group: g.Slug, Least: db.RoleMember}
}

// ListRecipients are the people a message of the list reaches now, read through r: its audience
// in force, with an e-mail address. Mutes and digests are the reader's choice, not access's.
func (s *Service) ListRecipients(r db.Read, l db.List) ([]db.Person, error) {
	g, err := r.GroupByID(l.GroupID)
	if err != nil {
		return nil, err
	}
	people, err := s.AudiencePeople(r, ListAudience(l, g))
	if err != nil {
		return nil, err
	}
	out := people[:0]
	for _, p := range people {
		if p.Email != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// inAudience tells whether p is in the list's audience now.
func (s *Service) inAudience(r db.Read, p db.Person, l db.List, g db.Group) (bool, error) {
	a := ListAudience(l, g)
	if a.Group == "" {
		return s.associationMember(r, p)
	}
	return s.hasRole(r, p, g, a.Least)
}

// hasRole tells whether p's own standing in g, in force, is at least least.
func (s *Service) hasRole(r db.Read, p db.Person, g db.Group, least db.Role) (bool, error) {
	gr, err := s.standing(r, p, g.Slug)
	if errors.Is(err, ErrNoAccess) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	have, own := rank[gr.Role]
	return own && have >= rank[least], nil
}

// ListPostRule decides a message to the list from a person (zero when the sender's address is
// nobody's here): posted freely when the list's posters include them, else as the list says of
// others. An announcement list's named posters lose it with their account's suspension.
func (s *Service) ListPostRule(r db.Read, l db.List, from db.Person) (PostRule, error) {
	g, err := r.GroupByID(l.GroupID)
	if err != nil {
		return 0, err
	}
	free := false
	if from.ID != 0 && !from.Suspended {
		switch l.Posters {
		case "audience":
			free, err = s.inAudience(r, from, l, g)
		case "animators":
			free, err = s.hasRole(r, from, g, db.RoleAnimator)
		case "named":
			var posters []db.Person
			posters, err = r.ListPosters(l.ID)
			for _, p := range posters {
				free = free || p.ID == from.ID
			}
		}
		if err != nil {
			return 0, err
		}
	}
	switch {
	case free:
		return PostFreely, nil
	case l.Others == "refuse":
		return PostRefused, nil
	}
	return PostModerated, nil
}

// ListRights is what a person may do with one list.
type ListRights struct {
	Read     bool     // the archive
	Post     bool     // from the page (members without e-mail post there)
	Rule     PostRule // what becomes of their post
	Moderate bool     // approve or reject held messages
	Manage   bool     // change the list's rules, delete it
}

// ListRightsOf says what p may do with the list. Its archive is for whoever receives it, its
// moderators and its named posters; anyone else learns nothing of it (ErrNoAccess). A group's
// animators moderate and manage its lists.
func (s *Service) ListRightsOf(ctx context.Context, p db.Person, l db.List) (ListRights, error) {
	r := s.db.R(ctx)
	g, err := r.GroupByID(l.GroupID)
	if err != nil {
		return ListRights{}, err
	}
	var rights ListRights
	if gr, err := s.standing(r, p, g.Slug); err == nil {
		rights.Manage = gr.Allows(ListsManage, "")
		rights.Moderate = gr.Allows(ListsModerate, "")
	} else if !errors.Is(err, ErrNoAccess) {
		return ListRights{}, err
	}
	in, err := s.inAudience(r, p, l, g)
	if err != nil {
		return ListRights{}, err
	}
	if rights.Rule, err = s.ListPostRule(r, l, p); err != nil {
		return ListRights{}, err
	}
	named := l.Posters == "named" && rights.Rule == PostFreely
	rights.Read = in || rights.Moderate || named
	if !rights.Read {
		return ListRights{}, ErrNoAccess
	}
	rights.Post = rights.Rule != PostRefused
	return rights, nil
}

// ListsOf are the lists p may read: those of the groups where p stands, and the association's,
// each with p's rights.
func (s *Service) ListsOf(ctx context.Context, p db.Person, groupID int64) ([]db.List, []ListRights, error) {
	r := s.db.R(ctx)
	var lists []db.List
	var err error
	if groupID != 0 {
		lists, err = r.Lists(groupID)
	} else {
		lists, err = r.ListsForAssociation()
	}
	if err != nil {
		return nil, nil, err
	}
	var out []db.List
	var rights []ListRights
	for _, l := range lists {
		rt, err := s.ListRightsOf(ctx, p, l)
		if errors.Is(err, ErrNoAccess) {
			continue
		} else if err != nil {
			return nil, nil, err
		}
		out, rights = append(out, l), append(rights, rt)
	}
	return out, rights, nil
}

// NewList is what an animator fills in to create a list.
type NewList struct {
	Address, Name, Description string
	Audience, Posters, Others  string
	ReplyTo                    string
	Named                      []string // e-mails of the named posters
}

// CreateList creates a list of the group, decided and audited here (ListsManage).
func (s *Service) CreateList(ctx context.Context, by Actor, slug string, nl NewList) (db.List, error) {
	l := db.List{Address: strings.ToLower(strings.TrimSpace(nl.Address)), Name: strings.TrimSpace(nl.Name), Description: strings.TrimSpace(nl.Description),
		Audience: nl.Audience, Posters: nl.Posters, Others: nl.Others, ReplyTo: nl.ReplyTo, CreatedBy: by.Person.ID}
	if err := checkList(&l); err != nil {
		return db.List{}, err
	}
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		g, err := s.allowed(tx.R(), by, slug, ListsManage)
		if err != nil {
			return err
		}
		l.GroupID = g.ID
		if err := tx.CreateList(&l); errors.Is(err, db.ErrConflict) {
			return inField("address", err)
		} else if err != nil {
			return err
		}
		named, err := s.setPosters(tx, l, nl.Named)
		if err != nil {
			return err
		}
		return tx.Audit(by.audit("list.create", slug+"/"+l.Address, listRules(l, named)))
	})
	if err == nil {
		s.grants.changed()
	}
	return l, err
}

// UpdateList changes a list's rules (ListsManage), audited with the rules it now has.
func (s *Service) UpdateList(ctx context.Context, by Actor, slug string, id int64, nl NewList) (db.List, error) {
	var l db.List
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		g, err := s.allowed(tx.R(), by, slug, ListsManage)
		if err != nil {
			return err
		}
		if l, err = tx.R().ListByID(id); err != nil || l.GroupID != g.ID {
			return ErrNoAccess
		}
		l.Name, l.Description = strings.TrimSpace(nl.Name), strings.TrimSpace(nl.Description)
		l.Audience, l.Posters, l.Others, l.ReplyTo = nl.Audience, nl.Posters, nl.Others, nl.ReplyTo
		if err := checkList(&l); err != nil {
			return err
		}
		if err := tx.UpdateList(l); err != nil {
			return err
		}
		named, err := s.setPosters(tx, l, nl.Named)
		if err != nil {
			return err
		}
		return tx.Audit(by.audit("list.rules", slug+"/"+l.Address, listRules(l, named)))
	})
	if err == nil {
		s.grants.changed() // the audience may have changed
	}
	return l, err
}

// DeleteList removes a list and its archive (ListsManage).
func (s *Service) DeleteList(ctx context.Context, by Actor, slug string, id int64) error {
	return s.db.Write(ctx, func(tx *db.Tx) error {
		g, err := s.allowed(tx.R(), by, slug, ListsManage)
		if err != nil {
			return err
		}
		l, err := tx.R().ListByID(id)
		if err != nil || l.GroupID != g.ID {
			return ErrNoAccess
		}
		if err := tx.DeleteList(id); err != nil {
			return err
		}
		return tx.Audit(by.audit("list.delete", slug+"/"+l.Address, ""))
	})
}

// setPosters records a named list's posters, who must have accounts.
func (s *Service) setPosters(tx *db.Tx, l db.List, emails []string) ([]string, error) {
	var ids []int64
	var named []string
	if l.Posters == "named" {
		for _, e := range emails {
			if e = strings.TrimSpace(e); e == "" {
				continue
			}
			p, err := tx.R().PersonByEmail(e)
			if errors.Is(err, db.ErrNotFound) {
				return nil, inField("named", fmt.Errorf("%w: no account has the address %s", ErrInvalid, e))
			} else if err != nil {
				return nil, err
			}
			ids, named = append(ids, p.ID), append(named, p.Email)
		}
		if len(ids) == 0 {
			return nil, inField("named", fmt.Errorf("%w: name at least one person who may post", ErrInvalid))
		}
	}
	return named, tx.SetListPosters(l.ID, ids)
}

// checkList validates a list's fields.
func checkList(l *db.List) error {
	if !listAddress.MatchString(l.Address) || strings.Contains(l.Address, "..") || strings.Contains(l.Address, "+") {
		return inField("address", ErrListAddress)
	}
	if contains(reservedAddresses, l.Address) || hasAnySuffix(l.Address, reservedSuffixes) {
		return inField("address", ErrListAddressReserved)
	}
	if l.Name == "" {
		l.Name = l.Address
	}
	for _, c := range []struct {
		field, v string
		in       []string
	}{{"audience", l.Audience, ListAudiences}, {"posters", l.Posters, ListPosters}, {"others", l.Others, ListOthers}, {"reply_to", l.ReplyTo, []string{"list", "author"}}} {
		if !contains(c.in, c.v) {
			return inField(c.field, fmt.Errorf("%w: %q is not one of %s", ErrInvalid, c.v, strings.Join(c.in, ", ")))
		}
	}
	return nil
}

func hasAnySuffix(v string, suffixes []string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(v, x) {
			return true
		}
	}
	return false
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// listRules is the audit log's detail of a list's rules.
func listRules(l db.List, named []string) string {
	d := fmt.Sprintf("audience=%s posters=%s others=%s reply_to=%s", l.Audience, l.Posters, l.Others, l.ReplyTo)
	if len(named) > 0 {
		d += " named=" + strings.Join(named, ",")
	}
	return d
}
