package calendar

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// A TZID that is neither an IANA name, a Windows name nor a vendor-prefixed IANA name (zone) is
// defined by the VTIMEZONE the object carries (RFC 5545 §3.6.5): its STANDARD and DAYLIGHT
// observances say from which instant on each offset applies. We turn those onsets into a
// *time.Location, by way of the TZif format that time.LoadLocationFromTZData reads, so that wall
// clocks in that zone go through the same code as IANA ones: time.ParseInLocation for values and
// rrule-go for recurrences, both of which need a Location, not an offset function.

// vtzHorizon is how far observance rules are followed: after it the last offset holds.
var vtzHorizon = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// maxOnsets caps the transitions one VTIMEZONE may define: real zones have two a year.
const maxOnsets = 4000

var errBadTimezone = errors.New("calendar: unusable VTIMEZONE")

// onset is the instant an observance starts, with the offset it brings.
type onset struct {
	at     int64 // Unix seconds
	from   int   // offset before, seconds east of UTC
	to     int   // offset after
	dst    bool
	abbrev string
}

// vtimezoneLocation builds the location a VTIMEZONE defines.
func vtimezoneLocation(c *ical.Component) (loc *time.Location, err error) {
	defer func() {
		if recover() != nil { // rrule-go panics on some rules it accepts (see expansion.each)
			loc, err = nil, errBadTimezone
		}
	}()
	tzid := c.Props.Get(ical.PropTimezoneID)
	if tzid == nil || tzid.Value == "" {
		return nil, errBadTimezone
	}
	var all []onset
	for _, obs := range c.Children {
		if obs.Name != "STANDARD" && obs.Name != "DAYLIGHT" {
			continue
		}
		os, err := observanceOnsets(obs, maxOnsets-len(all))
		if err != nil {
			return nil, err
		}
		all = append(all, os...)
	}
	if len(all) == 0 {
		return nil, errBadTimezone
	}
	slices.SortStableFunc(all, func(a, b onset) int { return cmp.Compare(a.at, b.at) })
	return time.LoadLocationFromTZData(tzid.Value, tzif(all))
}

// observanceOnsets lists the onsets of one observance: DTSTART, the RRULE's instances up to the
// horizon, and the RDATEs. DTSTART and RDATE are local times in the offset before the onset.
func observanceOnsets(obs *ical.Component, limit int) ([]onset, error) {
	from, err1 := utcOffset(obs.Props.Get("TZOFFSETFROM"))
	to, err2 := utcOffset(obs.Props.Get("TZOFFSETTO"))
	start := obs.Props.Get(ical.PropDateTimeStart)
	if err1 != nil || err2 != nil || start == nil {
		return nil, errBadTimezone
	}
	// Wall clocks are handled as if they were UTC, then moved by the offset in force before.
	wall, err := time.ParseInLocation("20060102T150405", start.Value, time.UTC)
	if err != nil {
		return nil, errBadTimezone
	}
	o := onset{from: from, to: to, dst: obs.Name == "DAYLIGHT", abbrev: abbreviation(obs, to)}
	at := func(w time.Time) onset { o.at = w.Unix() - int64(from); return o }
	out := []onset{at(wall)}
	if rr := obs.Props.Get(ical.PropRecurrenceRule); rr != nil {
		opt, err := rrule.StrToROptionInLocation(rr.Value, time.UTC)
		if err != nil {
			return nil, errBadTimezone
		}
		opt.Dtstart = wall
		if !opt.Until.IsZero() {
			opt.Until = opt.Until.Add(time.Duration(from) * time.Second) // UNTIL is UTC: make it a wall clock
		}
		if opt.Until.IsZero() || opt.Until.After(vtzHorizon) {
			opt.Until = vtzHorizon // also stops a rule that never occurs from searching to year 9999
		}
		r, err := rrule.NewRRule(*opt)
		if err != nil {
			return nil, errBadTimezone
		}
		next := r.Iterator()
		for w, ok := next(); ok && w.Before(vtzHorizon); w, ok = next() {
			if len(out) >= limit {
				return nil, errBadTimezone
			}
			if !w.Equal(wall) {
				out = append(out, at(w))
			}
		}
	}
	for _, p := range obs.Props.Values(ical.PropRecurrenceDates) {
		for _, v := range strings.Split(p.Value, ",") {
			w, err := time.ParseInLocation("20060102T150405", strings.TrimSpace(v), time.UTC)
			if err != nil || len(out) >= limit {
				return nil, errBadTimezone
			}
			out = append(out, at(w))
		}
	}
	return out, nil
}

// utcOffset reads a UTC-OFFSET value: ±hhmm or ±hhmmss.
func utcOffset(p *ical.Prop) (int, error) {
	if p == nil {
		return 0, errBadTimezone
	}
	v := strings.TrimSpace(p.Value)
	if len(v) != 5 && len(v) != 7 || v[0] != '+' && v[0] != '-' {
		return 0, errBadTimezone
	}
	n, err := strconv.Atoi(v[1:])
	if err != nil || n < 0 {
		return 0, errBadTimezone
	}
	if len(v) == 5 {
		n *= 100
	}
	h, m, s := n/10000, n/100%100, n%100
	if h > 23 || m > 59 || s > 59 {
		return 0, errBadTimezone
	}
	secs := h*3600 + m*60 + s
	if v[0] == '-' {
		secs = -secs
	}
	return secs, nil
}

// abbreviation is the observance's TZNAME when it is a plain short name, else the offset ("+0130").
func abbreviation(obs *ical.Component, offset int) string {
	if p := obs.Props.Get("TZNAME"); p != nil && len(p.Value) >= 3 && len(p.Value) <= 6 &&
		strings.IndexFunc(p.Value, func(r rune) bool { return !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z') }) < 0 {
		return p.Value
	}
	sign := '+'
	if offset < 0 {
		sign, offset = '-', -offset
	}
	return fmt.Sprintf("%c%02d%02d", sign, offset/3600, offset/60%60)
}

// tzif encodes sorted onsets as TZif version 2 data (RFC 8536): an empty version 1 block, then the
// 64-bit one. A first transition far in the past gives times before the first onset the offset the
// first onset starts from.
func tzif(onsets []onset) []byte {
	type ztype struct {
		off    int
		dst    bool
		abbrev string
	}
	var types []ztype
	typeOf := func(t ztype) byte {
		if i := slices.Index(types, t); i >= 0 {
			return byte(i)
		}
		types = append(types, t)
		return byte(len(types) - 1)
	}
	first := onsets[0]
	times := []int64{-1 << 59}
	idx := []byte{typeOf(ztype{off: first.from, abbrev: abbreviationOf(first.from)})}
	for _, o := range onsets {
		if o.at == times[len(times)-1] {
			times, idx = times[:len(times)-1], idx[:len(idx)-1] // two onsets at once: the later listed wins
		}
		times = append(times, o.at)
		idx = append(idx, typeOf(ztype{off: o.to, dst: o.dst, abbrev: o.abbrev}))
		if len(types) > 255 {
			types, idx = types[:255], idx[:len(idx)-1]
			times = times[:len(times)-1]
			break
		}
	}
	var chars []byte
	be := binary.BigEndian
	header := func(b []byte, timecnt, typecnt, charcnt int) []byte {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, n := range []int{0, 0, 0, timecnt, typecnt, charcnt} {
			b = be.AppendUint32(b, uint32(n))
		}
		return b
	}
	b := header(nil, 0, 1, 1)
	b = append(b, 0, 0, 0, 0, 0, 0, 0) // one UTC type, one NUL abbreviation
	b = header(b, len(times), len(types), 0)
	for _, t := range times {
		b = be.AppendUint64(b, uint64(t))
	}
	b = append(b, idx...)
	for _, t := range types {
		b = be.AppendUint32(b, uint32(int32(t.off)))
		dst := byte(0)
		if t.dst {
			dst = 1
		}
		b = append(b, dst, byte(len(chars)))
		chars = append(append(chars, t.abbrev...), 0)
	}
	b = append(b, chars...)
	// charcnt is only known now: patch it into the second header.
	be.PutUint32(b[44+7+20+20:], uint32(len(chars)))
	return append(b, '\n', '\n')
}

func abbreviationOf(offset int) string {
	return abbreviation(&ical.Component{Props: ical.Props{}}, offset)
}

// definedZones resolves the TZIDs of the calendar's VTIMEZONEs that zone does not know. A VTIMEZONE
// that does not build a location is left out: its TZID then reads as floating, as before.
func definedZones(cal *ical.Calendar) map[string]*time.Location {
	var out map[string]*time.Location
	for _, c := range cal.Children {
		p := c.Props.Get(ical.PropTimezoneID)
		if c.Name != ical.CompTimezone || p == nil || zone(p.Value) != nil {
			continue
		}
		if loc := cachedVTimezone(c); loc != nil {
			if out == nil {
				out = map[string]*time.Location{}
			}
			out[p.Value] = loc
		}
	}
	return out
}

// vtzCache keeps the locations of the VTIMEZONEs met lately, by content: clients send the same few
// with every object. It is emptied when full, so that odd input cannot make it grow.
var vtzCache = struct {
	sync.Mutex
	m map[string]*time.Location // nil value: the VTIMEZONE is unusable
}{m: map[string]*time.Location{}}

const vtzCacheSize = 256

func cachedVTimezone(c *ical.Component) *time.Location {
	key := componentKey(c)
	vtzCache.Lock()
	loc, ok := vtzCache.m[key]
	vtzCache.Unlock()
	if ok {
		return loc
	}
	loc, err := vtimezoneLocation(c)
	if err != nil {
		loc = nil
	}
	vtzCache.Lock()
	if len(vtzCache.m) >= vtzCacheSize {
		clear(vtzCache.m)
	}
	vtzCache.m[key] = loc
	vtzCache.Unlock()
	return loc
}

// componentKey is a text that differs for components that define different zones.
func componentKey(c *ical.Component) string {
	var b strings.Builder
	var walk func(*ical.Component)
	walk = func(c *ical.Component) {
		b.WriteString("\x00" + c.Name)
		names := make([]string, 0, len(c.Props))
		for n := range c.Props {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			for _, p := range c.Props[n] {
				b.WriteString("\x01" + n + "\x02" + p.Value)
			}
		}
		for _, ch := range c.Children {
			walk(ch)
		}
		b.WriteString("\x03")
	}
	walk(c)
	return b.String()
}

// TimezoneLocation reads a calendar-timezone property or a query's CALDAV:timezone element (RFC
// 4791 §5.2.2, §9.8): a VCALENDAR holding one VTIMEZONE. Its TZID is resolved like an object's, and
// failing that from the VTIMEZONE's own definition; ok is false when neither works.
func TimezoneLocation(vcal string) (loc *time.Location, ok bool) {
	cal, _, err := decode([]byte(vcal))
	if err != nil {
		return nil, false
	}
	for _, c := range cal.Children {
		p := c.Props.Get(ical.PropTimezoneID)
		if c.Name != ical.CompTimezone || p == nil {
			continue
		}
		if z := zone(p.Value); z != nil {
			return z, true
		}
		if z := cachedVTimezone(c); z != nil {
			return z, true
		}
	}
	return nil, false
}
