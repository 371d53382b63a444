package db

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// List is a group's mailing list. Who receives it is computed when a message goes out (Audience),
// never stored; who may post is Posters, and what happens to everyone else's messages is Others.
type List struct {
	ID          int64
	GroupID     int64
	Address     string // the local part, lower case; the domain is the instance's lists domain
	Name        string
	Description string
	Audience    string // all, members, animators (of the group), association (every member)
	Posters     string // audience, animators, named
	Others      string // moderate, refuse
	ReplyTo     string // list, author
	CreatedBy   int64
	CreatedAt   time.Time
	DigestAt    time.Time // when its last daily digest went out; zero before the first
}

// The statuses of a list's message.
const (
	MessageHeld        = "held"
	MessageDistributed = "distributed"
	MessageRejected    = "rejected"
)

// ListMessage is a message a list received, kept whole (Raw) for distribution and the archive.
type ListMessage struct {
	ID         int64
	ListID     int64
	MessageID  string // its Message-ID header, without the angle brackets
	Sender     string // the From address
	SenderName string
	AuthorID   int64 // the person who sent it, when the address is someone's; 0 otherwise
	Subject    string
	Text       string // the plain text, for search and the archive
	ReceivedAt time.Time
	Status     string
	DecidedBy  int64
	DecidedAt  time.Time
	Size       int64
	Raw        []byte // nil in listings
}

// ErrDuplicate is a message a list already has (the same Message-ID): a relay's retry.
var ErrDuplicate = errors.New("db: this message was already received")

const listColumns = `id, group_id, address, name, description, audience, posters, others, reply_to, coalesce(created_by, 0), created_at, digest_at`

func scanList(row interface{ Scan(...any) error }) (List, error) {
	var l List
	var created, digest int64
	err := row.Scan(&l.ID, &l.GroupID, &l.Address, &l.Name, &l.Description, &l.Audience, &l.Posters, &l.Others, &l.ReplyTo, &l.CreatedBy, &created, &digest)
	l.CreatedAt, l.DigestAt = unixTime(created), unixTime(digest)
	return l, err
}

// CreateList stores a list and sets its ID; ErrConflict when the address is taken.
func (tx *Tx) CreateList(l *List) error {
	t := now()
	res, err := tx.exec(`INSERT INTO list (group_id, address, name, description, audience, posters, others, reply_to, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.GroupID, l.Address, l.Name, l.Description, l.Audience, l.Posters, l.Others, l.ReplyTo, nullID(l.CreatedBy), t)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("%w: the address %q is taken", ErrConflict, l.Address)
		}
		return fmt.Errorf("db: create list: %w", err)
	}
	l.ID, _ = res.LastInsertId()
	l.CreatedAt = unixTime(t)
	return nil
}

// UpdateList changes a list's name, description and rules (not its address, which people have
// in their address books, nor its group).
func (tx *Tx) UpdateList(l List) error {
	return affectOne(tx.exec(`UPDATE list SET name = ?, description = ?, audience = ?, posters = ?, others = ?, reply_to = ? WHERE id = ?`,
		l.Name, l.Description, l.Audience, l.Posters, l.Others, l.ReplyTo, l.ID))
}

// DeleteList removes a list with its archive.
func (tx *Tx) DeleteList(id int64) error {
	return affectOne(tx.exec(`DELETE FROM list WHERE id = ?`, id))
}

// ListByAddress returns the list of a local part.
func (r Read) ListByAddress(address string) (List, error) {
	l, err := scanList(r.q.QueryRowContext(r.ctx, `SELECT `+listColumns+` FROM list WHERE address = ?`, strings.ToLower(address)))
	if err != nil {
		return l, notFound(err, "list "+address)
	}
	return l, nil
}

// ListByID returns a list.
func (r Read) ListByID(id int64) (List, error) {
	l, err := scanList(r.q.QueryRowContext(r.ctx, `SELECT `+listColumns+` FROM list WHERE id = ?`, id))
	if err != nil {
		return l, notFound(err, "list")
	}
	return l, nil
}

// Lists returns a group's lists by name.
func (r Read) Lists(groupID int64) ([]List, error) {
	return r.lists(`WHERE group_id = ? ORDER BY name`, groupID)
}

// AllLists returns every list, for the daily digests.
func (r Read) AllLists() ([]List, error) { return r.lists(`ORDER BY id`) }

// SetListDigestAt records when the list's digest went out.
func (tx *Tx) SetListDigestAt(listID int64, at time.Time) error {
	_, err := tx.exec(`UPDATE list SET digest_at = ? WHERE id = ?`, at.UnixNano(), listID)
	return err
}

// ListPostsSince counts the messages a person sent to any list after since: by their account
// when the lists know who they are (authorID, whatever address or page they wrote from), else by
// the sender's address.
func (r Read) ListPostsSince(authorID int64, sender string, since time.Time) (int, error) {
	q, arg := `SELECT count(*) FROM list_message WHERE sender = ? AND received_at > ?`, any(sender)
	if authorID != 0 {
		q, arg = `SELECT count(*) FROM list_message WHERE author_id = ? AND received_at > ?`, authorID
	}
	var n int
	if err := r.q.QueryRowContext(r.ctx, q, arg, since.UnixNano()).Scan(&n); err != nil {
		return 0, fmt.Errorf("db: list posts since: %w", err)
	}
	return n, nil
}

// ListMessagesDistributed returns a list's messages distributed after since and up to until
// (received then, or approved then), oldest first: a digest's contents.
func (r Read) ListMessagesDistributed(listID int64, since, until time.Time) ([]ListMessage, error) {
	return r.listMessages(`WHERE list_id = ? AND status = 'distributed' AND max(received_at, decided_at) > ? AND max(received_at, decided_at) <= ?
		ORDER BY max(received_at, decided_at), id`, listID, since.UnixNano(), until.UnixNano())
}

func (r Read) listMessages(where string, args ...any) ([]ListMessage, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+listMessageColumns+` FROM list_message `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: list messages: %w", err)
	}
	defer rows.Close()
	var out []ListMessage
	for rows.Next() {
		m, err := scanListMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ListsForAssociation returns every list whose audience is the whole association, by name.
func (r Read) ListsForAssociation() ([]List, error) {
	return r.lists(`WHERE audience = 'association' ORDER BY name`)
}

func (r Read) lists(where string, args ...any) ([]List, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+listColumns+` FROM list `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: lists: %w", err)
	}
	defer rows.Close()
	var out []List
	for rows.Next() {
		l, err := scanList(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// SetListPosters replaces the people a 'named' list lets post.
func (tx *Tx) SetListPosters(listID int64, people []int64) error {
	if _, err := tx.exec(`DELETE FROM list_poster WHERE list_id = ?`, listID); err != nil {
		return err
	}
	for _, p := range people {
		if _, err := tx.exec(`INSERT OR IGNORE INTO list_poster (list_id, person_id) VALUES (?, ?)`, listID, p); err != nil {
			return err
		}
	}
	return nil
}

// ListPosters returns the people a 'named' list lets post.
func (r Read) ListPosters(listID int64) ([]Person, error) {
	return r.people(`WHERE id IN (SELECT person_id FROM list_poster WHERE list_id = ?) ORDER BY email`, listID)
}

// SetListPref records how a person receives a list: "" (every message), mute or digest.
func (tx *Tx) SetListPref(listID, personID int64, mode string) error {
	if mode == "" {
		_, err := tx.exec(`DELETE FROM list_pref WHERE list_id = ? AND person_id = ?`, listID, personID)
		return err
	}
	_, err := tx.exec(`INSERT INTO list_pref (list_id, person_id, mode) VALUES (?, ?, ?)
		ON CONFLICT (list_id, person_id) DO UPDATE SET mode = excluded.mode`, listID, personID, mode)
	return err
}

// ListPrefs returns the choices of a list's people who chose: person ID → mute or digest.
func (r Read) ListPrefs(listID int64) (map[int64]string, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT person_id, mode FROM list_pref WHERE list_id = ?`, listID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var mode string
		if err := rows.Scan(&id, &mode); err != nil {
			return nil, err
		}
		out[id] = mode
	}
	return out, rows.Err()
}

// ListPref is how one person receives a list: "", mute or digest.
func (r Read) ListPref(listID, personID int64) (string, error) {
	var mode string
	err := r.q.QueryRowContext(r.ctx, `SELECT mode FROM list_pref WHERE list_id = ? AND person_id = ?`, listID, personID).Scan(&mode)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return mode, err
}

const listMessageColumns = `id, list_id, message_id, sender, sender_name, coalesce(author_id, 0), subject, body_text, received_at, status,
	coalesce(decided_by, 0), decided_at, size`

func scanListMessage(row interface{ Scan(...any) error }, extra ...any) (ListMessage, error) {
	var m ListMessage
	var received, decided int64
	err := row.Scan(append([]any{&m.ID, &m.ListID, &m.MessageID, &m.Sender, &m.SenderName, &m.AuthorID, &m.Subject, &m.Text, &received,
		&m.Status, &m.DecidedBy, &decided, &m.Size}, extra...)...)
	m.ReceivedAt, m.DecidedAt = unixTime(received), unixTime(decided)
	return m, err
}

// AddListMessage stores a received message and sets its ID; ErrDuplicate when the list has its
// Message-ID already.
func (tx *Tx) AddListMessage(m *ListMessage) error {
	t := now()
	res, err := tx.exec(`INSERT INTO list_message (list_id, message_id, sender, sender_name, author_id, subject, body_text, received_at, status, size, raw)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ListID, m.MessageID, m.Sender, m.SenderName, nullID(m.AuthorID), m.Subject, m.Text, t,
		m.Status, len(m.Raw), m.Raw)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return ErrDuplicate
		}
		return fmt.Errorf("db: add list message: %w", err)
	}
	m.ID, _ = res.LastInsertId()
	m.ReceivedAt, m.Size = unixTime(t), int64(len(m.Raw))
	return nil
}

// DecideListMessage records a moderator's decision on a held message; ErrNotFound when it is not
// held any more (decided by someone else meanwhile).
func (tx *Tx) DecideListMessage(id int64, status string, by int64) error {
	return affectOne(tx.exec(`UPDATE list_message SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'held'`,
		status, nullID(by), now(), id))
}

// ListMessage returns one message of a list, with its raw text.
func (r Read) ListMessage(listID, id int64) (ListMessage, error) {
	var raw []byte
	m, err := scanListMessage(r.q.QueryRowContext(r.ctx, `SELECT `+listMessageColumns+`, raw FROM list_message WHERE id = ? AND list_id = ?`,
		id, listID), &raw)
	m.Raw = raw
	if err != nil {
		return m, notFound(err, "list message")
	}
	return m, nil
}

// ListMessages returns a list's messages of a status, newest first, whose subject, sender or text
// contains q (every one when q is ""), at most limit.
func (r Read) ListMessages(listID int64, status, q string, limit int) ([]ListMessage, error) {
	where := `WHERE list_id = ? AND status = ?`
	args := []any{listID, status}
	if q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
		where += ` AND (subject LIKE ? ESCAPE '\' OR sender LIKE ? ESCAPE '\' OR sender_name LIKE ? ESCAPE '\' OR body_text LIKE ? ESCAPE '\')`
		args = append(args, like, like, like, like)
	}
	return r.listMessages(where+` ORDER BY received_at DESC, id DESC LIMIT ?`, append(args, limit)...)
}

// ListDelivery is one copy of a distributed message to one person.
type ListDelivery struct {
	ID        int64
	MessageID int64
	PersonID  int64
	Address   string
	Attempts  int
}

// AddListDeliveries queues a message's copies, one per person, in one statement per hundred.
func (tx *Tx) AddListDeliveries(messageID int64, people []Person) error {
	t := now()
	for start := 0; start < len(people); start += 100 {
		batch := people[start:min(start+100, len(people))]
		var b strings.Builder
		args := make([]any, 0, 4*len(batch))
		b.WriteString(`INSERT INTO list_delivery (message_id, person_id, address, next_attempt_at) VALUES `)
		for i, p := range batch {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, messageID, p.ID, p.Email, t)
		}
		if _, err := tx.exec(b.String(), args...); err != nil {
			return fmt.Errorf("db: list deliveries: %w", err)
		}
	}
	return nil
}

// DueListDeliveries returns unsent copies whose next attempt is due, oldest message first.
func (r Read) DueListDeliveries(limit int) ([]ListDelivery, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id, message_id, person_id, address, attempts FROM list_delivery
		WHERE sent_at = 0 AND next_attempt_at <= ? ORDER BY message_id, id LIMIT ?`, now(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ListDelivery
	for rows.Next() {
		var d ListDelivery
		if err := rows.Scan(&d.ID, &d.MessageID, &d.PersonID, &d.Address, &d.Attempts); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ListDeliveryByID returns one copy.
func (r Read) ListDeliveryByID(id int64) (ListDelivery, error) {
	var d ListDelivery
	err := r.q.QueryRowContext(r.ctx, `SELECT id, message_id, person_id, address, attempts FROM list_delivery WHERE id = ?`, id).
		Scan(&d.ID, &d.MessageID, &d.PersonID, &d.Address, &d.Attempts)
	if err != nil {
		return d, notFound(err, "list delivery")
	}
	return d, nil
}

// ListDeliverySent marks a copy sent.
func (tx *Tx) ListDeliverySent(id int64) error {
	_, err := tx.exec(`UPDATE list_delivery SET sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`, now(), id)
	return err
}

// ListDeliveryFailed records a failed attempt and when to try again; a zero next gives up.
func (tx *Tx) ListDeliveryFailed(id int64, reason string, next time.Time) error {
	at := next.UnixNano()
	if next.IsZero() {
		at = -1 // never due again; sent_at stays 0 so the copy shows as failed
	}
	_, err := tx.exec(`UPDATE list_delivery SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`, reason, at, id)
	return err
}

// PendingListDeliveries counts the copies not sent yet, for the dashboard and the tests.
func (r Read) PendingListDeliveries() (int, error) {
	var n int
	err := r.q.QueryRowContext(r.ctx, `SELECT count(*) FROM list_delivery WHERE sent_at = 0 AND next_attempt_at >= 0`).Scan(&n)
	return n, err
}

// Bounce is an address that bounced, as administrators see it.
type Bounce struct {
	Person Person
	At     time.Time
	Count  int
	Reason string
}

// RecordBounce flags a person's address as bouncing.
func (tx *Tx) RecordBounce(personID int64, reason string) error {
	_, err := tx.exec(`UPDATE person SET bounced_at = ?, bounces = bounces + 1, bounce_reason = ? WHERE id = ?`, now(), reason, personID)
	return err
}

// ClearBounce forgets that an address bounced: it was corrected, or works again.
func (tx *Tx) ClearBounce(personID int64) error {
	_, err := tx.exec(`UPDATE person SET bounced_at = 0, bounces = 0, bounce_reason = '' WHERE id = ?`, personID)
	return err
}

// Bounces returns the people whose address bounced, most recent first.
func (r Read) Bounces() ([]Bounce, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT `+personColumns+`, bounced_at, bounces, bounce_reason FROM person WHERE bounced_at != 0 ORDER BY bounced_at DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Bounce
	for rows.Next() {
		var b Bounce
		var at int64
		p, err := scanPerson(scanTail{rows, []any{&at, &b.Count, &b.Reason}})
		if err != nil {
			return nil, err
		}
		b.Person, b.At = p, unixTime(at)
		out = append(out, b)
	}
	return out, rows.Err()
}

// scanTail scans a row whose first columns are read by another scanner and whose last are tail.
type scanTail struct {
	row  interface{ Scan(...any) error }
	tail []any
}

func (s scanTail) Scan(dest ...any) error { return s.row.Scan(append(dest, s.tail...)...) }

// Secret returns the instance's key of that name, made (32 random bytes) on first use.
func (tx *Tx) Secret(name string) ([]byte, error) {
	var v []byte
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT value FROM secret WHERE name = ?`, name).Scan(&v)
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	v = make([]byte, 32)
	if _, err := rand.Read(v); err != nil {
		return nil, err
	}
	_, err = tx.exec(`INSERT INTO secret (name, value) VALUES (?, ?)`, name, v)
	return v, err
}

// ListMessageByID returns a message of any list, with its raw text: the distributor's read.
func (r Read) ListMessageByID(id int64) (ListMessage, error) {
	var raw []byte
	m, err := scanListMessage(r.q.QueryRowContext(r.ctx, `SELECT `+listMessageColumns+`, raw FROM list_message WHERE id = ?`, id), &raw)
	m.Raw = raw
	if err != nil {
		return m, notFound(err, "list message")
	}
	return m, nil
}
