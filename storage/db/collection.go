package db

import (
	"fmt"
	"strings"
	"time"
)

// Collection kinds.
const (
	KindCalendar    = "calendar"
	KindAddressBook = "addressbook"
)

// Collection is an agenda, a task list or an address book, owned by a group (all its members see it)
// or by one person. Revision counts its changes: clients compare it (ctag, sync-token) to learn
// whether anything changed without listing the objects.
type Collection struct {
	ID          int64
	GroupID     int64 // 0 for a personal collection
	PersonID    int64 // 0 for a group's collection
	Name        string
	Kind        string
	Components  []string // VEVENT, VTODO…; empty for address books
	DisplayName string
	Color       string
	Description string
	Order       int64
	Timezone    string
	Revision    int64
	CreatedAt   time.Time
}

// DefaultGroupCollections are what every group gets at creation: an agenda, a task list and an
// address book. The migration 004 gives the same to groups created before it.
func DefaultGroupCollections(groupName string) []Collection {
	return []Collection{
		{Name: "agenda", Kind: KindCalendar, Components: []string{"VEVENT"}, DisplayName: groupName + " — agenda"},
		{Name: "taches", Kind: KindCalendar, Components: []string{"VTODO"}, DisplayName: groupName + " — tâches"},
		{Name: "contacts", Kind: KindAddressBook, DisplayName: groupName + " — contacts"},
	}
}

// DefaultPersonalCollections are a person's own agenda, task list and address book.
func DefaultPersonalCollections() []Collection {
	return []Collection{
		{Name: "agenda", Kind: KindCalendar, Components: []string{"VEVENT"}, DisplayName: "Mon agenda"},
		{Name: "taches", Kind: KindCalendar, Components: []string{"VTODO"}, DisplayName: "Mes tâches"},
		{Name: "contacts", Kind: KindAddressBook, DisplayName: "Mes contacts"},
	}
}

const collectionColumns = `id, coalesce(group_id, 0), coalesce(person_id, 0), name, kind, components, displayname, color,
	description, sort_order, timezone, revision, created_at`

func scanCollection(row interface{ Scan(...any) error }) (Collection, error) {
	var c Collection
	var comps string
	var created int64
	err := row.Scan(&c.ID, &c.GroupID, &c.PersonID, &c.Name, &c.Kind, &comps, &c.DisplayName, &c.Color,
		&c.Description, &c.Order, &c.Timezone, &c.Revision, &created)
	if comps != "" {
		c.Components = strings.Split(comps, ",")
	}
	c.CreatedAt = unixTime(created)
	return c, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Collection finds a collection by owner (exactly one of groupID, personID), kind and name.
func (r Read) Collection(groupID, personID int64, kind, name string) (Collection, error) {
	q := `SELECT ` + collectionColumns + ` FROM collection WHERE group_id = ? AND kind = ? AND name = ?`
	owner := groupID
	if groupID == 0 {
		q = `SELECT ` + collectionColumns + ` FROM collection WHERE person_id = ? AND kind = ? AND name = ?`
		owner = personID
	}
	c, err := scanCollection(r.q.QueryRowContext(r.ctx, q, owner, kind, name))
	if err != nil {
		return c, notFound(err, "collection "+name)
	}
	return c, nil
}

// CollectionsOf lists the collections of a kind owned by the groups and the person given, in the
// order of groupIDs, then the person's, each by sort order and name.
func (r Read) CollectionsOf(kind string, groupIDs []int64, personID int64) ([]Collection, error) {
	var out []Collection
	for _, g := range groupIDs {
		cs, err := r.collections(`group_id = ? AND kind = ?`, g, kind)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	cs, err := r.collections(`person_id = ? AND kind = ?`, personID, kind)
	return append(out, cs...), err
}

func (r Read) collections(where string, args ...any) ([]Collection, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+collectionColumns+` FROM collection WHERE `+where+` ORDER BY sort_order, name`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: collections: %w", err)
	}
	defer rows.Close()
	var out []Collection
	for rows.Next() {
		c, err := scanCollection(rows)
		if err != nil {
			return nil, fmt.Errorf("db: collections: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CreateCollection inserts c; ErrConflict if its owner has one of that kind and name already.
func (tx *Tx) CreateCollection(c *Collection) error {
	t := now()
	res, err := tx.exec(`INSERT INTO collection (group_id, person_id, name, kind, components, displayname, color, description,
		sort_order, timezone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(c.GroupID), nullID(c.PersonID), c.Name, c.Kind, strings.Join(c.Components, ","), c.DisplayName, c.Color,
		c.Description, c.Order, c.Timezone, t)
	if isUnique(err) {
		return fmt.Errorf("db: collection %s: %w", c.Name, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("db: create collection: %w", err)
	}
	c.ID, _ = res.LastInsertId()
	c.CreatedAt = unixTime(t)
	return nil
}

// UpdateCollectionProps writes the properties clients may change (PROPPATCH).
func (tx *Tx) UpdateCollectionProps(c Collection) error {
	_, err := tx.exec(`UPDATE collection SET displayname = ?, color = ?, description = ?, sort_order = ?, timezone = ? WHERE id = ?`,
		c.DisplayName, c.Color, c.Description, c.Order, c.Timezone, c.ID)
	if err != nil {
		return fmt.Errorf("db: update collection: %w", err)
	}
	return nil
}

// DeleteCollection removes a collection with its objects and change log.
func (tx *Tx) DeleteCollection(id int64) error {
	res, err := tx.exec(`DELETE FROM collection WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("db: delete collection: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("db: delete collection: %w", ErrNotFound)
	}
	return nil
}

// EnsurePersonalCollections creates a person's default collections the first time it is called for
// them, and reports whether it did.
func (tx *Tx) EnsurePersonalCollections(personID int64) (bool, error) {
	res, err := tx.exec(`INSERT INTO calendar_home (person_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, personID, now())
	if err != nil {
		return false, fmt.Errorf("db: calendar home: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	for _, c := range DefaultPersonalCollections() {
		c.PersonID = personID
		if err := tx.CreateCollection(&c); err != nil {
			return false, err
		}
	}
	return true, nil
}

// HasCalendarHome tells whether the person's personal collections were made already.
func (r Read) HasCalendarHome(personID int64) (bool, error) {
	var n int
	err := r.q.QueryRowContext(r.ctx, `SELECT count(*) FROM calendar_home WHERE person_id = ?`, personID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("db: calendar home: %w", err)
	}
	return n > 0, nil
}
