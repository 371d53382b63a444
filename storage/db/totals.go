package db

import "fmt"

// Totals count what an instance holds, for the report of a restore.
type Totals struct {
	People, Groups, Files, TrashedFiles, Events, Tasks, Contacts int64
}

// Totals counts people, groups, files (live and in the trash) and calendar objects.
func (r Read) Totals() (Totals, error) {
	var t Totals
	err := r.q.QueryRowContext(r.ctx, `SELECT
		(SELECT count(*) FROM person),
		(SELECT count(*) FROM grp),
		(SELECT count(*) FROM node WHERE NOT is_dir AND dir NOT LIKE '#%'),
		(SELECT count(*) FROM node WHERE NOT is_dir AND dir LIKE '#%'),
		(SELECT count(*) FROM cal_object WHERE component = 'VEVENT'),
		(SELECT count(*) FROM cal_object WHERE component = 'VTODO'),
		(SELECT count(*) FROM cal_object WHERE component = 'VCARD')`).
		Scan(&t.People, &t.Groups, &t.Files, &t.TrashedFiles, &t.Events, &t.Tasks, &t.Contacts)
	if err != nil {
		return t, fmt.Errorf("db: totals: %w", err)
	}
	return t, nil
}
