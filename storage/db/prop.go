package db

import "fmt"

// DeadProp is a WebDAV property stored for a client, whole, as the client wrote it.
type DeadProp struct {
	Space, Name string
	Value       []byte // the property element, self-contained XML
}

// DeadProps returns the dead properties of a node.
func (r Read) DeadProps(nodeID int64) ([]DeadProp, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT ns, name, value FROM dead_prop WHERE node_id = ? ORDER BY ns, name`, nodeID)
	if err != nil {
		return nil, fmt.Errorf("db: dead properties: %w", err)
	}
	defer rows.Close()
	var out []DeadProp
	for rows.Next() {
		var p DeadProp
		if err := rows.Scan(&p.Space, &p.Name, &p.Value); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetDeadProp stores or replaces one property.
func (tx *Tx) SetDeadProp(nodeID int64, p DeadProp) error {
	_, err := tx.exec(`INSERT INTO dead_prop (node_id, ns, name, value) VALUES (?, ?, ?, ?)
		ON CONFLICT (node_id, ns, name) DO UPDATE SET value = excluded.value`, nodeID, p.Space, p.Name, p.Value)
	if err != nil {
		return fmt.Errorf("db: set property: %w", err)
	}
	return nil
}

// RemoveDeadProp removes one property; removing an absent one is not an error (RFC 4918 §14.23).
func (tx *Tx) RemoveDeadProp(nodeID int64, space, name string) error {
	_, err := tx.exec(`DELETE FROM dead_prop WHERE node_id = ? AND ns = ? AND name = ?`, nodeID, space, name)
	return err
}

// DeadPropsBelow returns the dead properties of the folder at dir and of its children, by node id,
// in one query: a Depth 1 PROPFIND of a large folder must not cost one query per entry.
func (r Read) DeadPropsBelow(groupID int64, dir string) (map[int64][]DeadProp, error) {
	d, name := split(dir)
	// Two index probes joined by UNION ALL: an OR of the two would scan the whole group.
	rows, err := r.q.QueryContext(r.ctx, `SELECT p.node_id, p.ns, p.name, p.value FROM dead_prop p WHERE p.node_id IN (
		SELECT id FROM node WHERE group_id = ? AND dir = ? AND name <> ''
		UNION ALL SELECT id FROM node WHERE group_id = ? AND dir = ? AND name = ?) ORDER BY p.node_id, p.ns, p.name`,
		groupID, dir, groupID, d, name)
	if err != nil {
		return nil, fmt.Errorf("db: dead properties: %w", err)
	}
	defer rows.Close()
	out := map[int64][]DeadProp{}
	for rows.Next() {
		var id int64
		var p DeadProp
		if err := rows.Scan(&id, &p.Space, &p.Name, &p.Value); err != nil {
			return nil, err
		}
		out[id] = append(out[id], p)
	}
	return out, rows.Err()
}
