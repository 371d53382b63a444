package replica

import (
	"sort"
	"time"
)

// Retention of database copies on the partner: many recent ones to undo a mistake noticed at once,
// hourly ones to go back to this morning, daily ones for a month.
const (
	keepNewest = 20
	keepHourly = 48 * time.Hour
	keepDaily  = 30 * 24 * time.Hour
)

// Thin returns the copies to delete: all but the keepNewest newest, the newest of each hour of the
// last keepHourly and the newest of each day (UTC) of the last keepDaily. The newest copy is always
// kept, however old.
func Thin(snaps []Snapshot, now time.Time) []Snapshot {
	s := append([]Snapshot(nil), snaps...)
	sort.Slice(s, func(i, j int) bool { return s[i].At.After(s[j].At) })
	hours, days := map[int64]bool{}, map[string]bool{}
	var drop []Snapshot
	for i, sn := range s {
		age := now.Sub(sn.At)
		keep := i < keepNewest
		if h := sn.At.Unix() / 3600; age < keepHourly && !hours[h] {
			hours[h], keep = true, true
		}
		if d := sn.At.UTC().Format(time.DateOnly); age < keepDaily && !days[d] {
			days[d], keep = true, true
		}
		if !keep {
			drop = append(drop, sn)
		}
	}
	return drop
}
