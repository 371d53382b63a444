package db

import (
	"fmt"
	"strings"
	"time"
)

// Publication opens a group's folder, read-only, to another group or to everyone.
type Publication struct {
	ID         int64
	GroupID    int64
	NodeID     int64
	Path       string // where the folder is now
	AudienceID int64  // 0: every member of the association
	CreatedBy  int64
	CreatedAt  time.Time
}

// CreatePublication stores a publication; ErrConflict if the same folder is already published to
// the same audience.
func (tx *Tx) CreatePublication(p *Publication) error {
	var audience, by any
	if p.AudienceID != 0 {
		audience = p.AudienceID
	}
	if p.CreatedBy != 0 {
		by = p.CreatedBy
	}
	t := now()
	res, err := tx.exec(`INSERT INTO publication (group_id, node_id, audience_id, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
		p.GroupID, p.NodeID, audience, by, t)
	if isUnique(err) {
		return fmt.Errorf("db: publication: %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("db: publication: %w", err)
	}
	p.ID, _ = res.LastInsertId()
	p.CreatedAt = unixTime(t)
	return nil
}

// DeletePublication withdraws a publication of a group.
func (tx *Tx) DeletePublication(groupID, id int64) error {
	return affectOne(tx.exec(`DELETE FROM publication WHERE id = ? AND group_id = ?`, id, groupID))
}

const publicationSelect = `SELECT p.id, p.group_id, p.node_id, n.dir, n.name, coalesce(p.audience_id, 0), coalesce(p.created_by, 0), p.created_at
	FROM publication p JOIN node n ON n.id = p.node_id `

// Publications lists what a group publishes.
func (r Read) Publications(groupID int64) ([]Publication, error) {
	return r.publications(`WHERE p.group_id = ? ORDER BY n.dir, n.name`, groupID)
}

// PublishedTo lists the folders of group groupID published to someone who belongs to the groups
// memberOf (everyone-publications included). Folders in the trash are left out.
func (r Read) PublishedTo(groupID int64, memberOf []int64) ([]Publication, error) {
	cond := `p.audience_id IS NULL`
	args := []any{groupID}
	if len(memberOf) > 0 {
		cond += ` OR p.audience_id IN (?` + strings.Repeat(", ?", len(memberOf)-1) + `)`
		for _, id := range memberOf {
			args = append(args, id)
		}
	}
	return r.publications(`WHERE p.group_id = ? AND n.dir <> '' AND substr(n.dir, 1, 1) = '/' AND (`+cond+`)`, args...)
}

// PublishingGroups lists the groups that publish something to members of memberOf or to everyone.
func (r Read) PublishingGroups(memberOf []int64) ([]int64, error) {
	cond := `audience_id IS NULL`
	var args []any
	if len(memberOf) > 0 {
		cond += ` OR audience_id IN (?` + strings.Repeat(", ?", len(memberOf)-1) + `)`
		for _, id := range memberOf {
			args = append(args, id)
		}
	}
	rows, err := r.q.QueryContext(r.ctx, `SELECT DISTINCT group_id FROM publication WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("db: publishing groups: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (r Read) publications(where string, args ...any) ([]Publication, error) {
	rows, err := r.q.QueryContext(r.ctx, publicationSelect+where, args...)
	if err != nil {
		return nil, fmt.Errorf("db: publications: %w", err)
	}
	defer rows.Close()
	var out []Publication
	for rows.Next() {
		var p Publication
		var dir, name string
		var created int64
		if err := rows.Scan(&p.ID, &p.GroupID, &p.NodeID, &dir, &name, &p.AudienceID, &p.CreatedBy, &created); err != nil {
			return nil, err
		}
		p.Path, p.CreatedAt = join(dir, name), unixTime(created)
		out = append(out, p)
	}
	return out, rows.Err()
}
