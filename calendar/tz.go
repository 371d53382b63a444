package calendar

import (
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the IANA database travels in the binary: a server without /usr/share/zoneinfo still resolves Europe/Paris
)

// windowsZones maps the Windows time zone names Outlook and Exchange put in TZID to IANA names, for
// the zones an association in France meets. Unknown names fall back to the VTIMEZONE (see zone).
var windowsZones = map[string]string{
	"Romance Standard Time":          "Europe/Paris",
	"W. Europe Standard Time":        "Europe/Berlin",
	"Central Europe Standard Time":   "Europe/Budapest",
	"Central European Standard Time": "Europe/Warsaw",
	"GMT Standard Time":              "Europe/London",
	"Greenwich Standard Time":        "Atlantic/Reykjavik",
	"UTC":                            "UTC",
	"E. Europe Standard Time":        "Europe/Chisinau",
	"FLE Standard Time":              "Europe/Kiev",
	"GTB Standard Time":              "Europe/Bucharest",
	"Morocco Standard Time":          "Africa/Casablanca",
	"Eastern Standard Time":          "America/New_York",
	"Pacific Standard Time":          "America/Los_Angeles",
	"Reunion Standard Time":          "Indian/Reunion",
	"SA Western Standard Time":       "America/La_Paz",
	"SA Eastern Standard Time":       "America/Cayenne",
}

var zoneCache sync.Map // TZID → *time.Location, or nil when unknown

// zone resolves a TZID: an IANA name, a Windows name, or an IANA name behind a vendor prefix such as
// "/mozilla.org/20050126_1/Europe/Paris". It returns nil when nothing matches: the caller then reads
// the zone from the object's own VTIMEZONE (vtimezone.go), and failing that treats the time as
// floating, for which the index widens its window so that no query misses the object.
func zone(tzid string) *time.Location {
	if l, ok := zoneCache.Load(tzid); ok {
		loc, _ := l.(*time.Location)
		return loc
	}
	loc := lookupZone(tzid)
	zoneCache.Store(tzid, loc)
	return loc
}

func lookupZone(tzid string) *time.Location {
	name := strings.Trim(tzid, `"`)
	if iana, ok := windowsZones[name]; ok {
		name = iana
	}
	if loc, err := time.LoadLocation(name); err == nil && name != "" && name != "Local" {
		return loc
	}
	// A vendor prefix: try the longest suffix of the form Area/City.
	parts := strings.Split(name, "/")
	for i := 1; i+1 < len(parts); i++ {
		if loc, err := time.LoadLocation(strings.Join(parts[i:], "/")); err == nil {
			return loc
		}
	}
	return nil
}
