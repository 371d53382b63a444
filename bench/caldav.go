package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The CalDAV phase ("bench run -phase caldav"): one calendar, filled with
// Events meetings by Clients concurrent clients, then the reports a
// calendar client sends, each repeated Runs times (the median is
// reported). The incremental sync-collection is measured twice, once the
// calendar holds FirstStage events and once it holds all of them, to show
// whether its cost grows with the calendar.

// calConfig sizes the CalDAV workload.
type calConfig struct {
	Events     int // events created (1 in recurEvery a weekly series)
	FirstStage int // events after which the first incremental sync is measured
	Clients    int // concurrent clients creating them
	Multiget   int // hrefs per calendar-multiget
	Runs       int // repetitions of each report; the median is reported
	// CreateBudget bounds the time spent creating events one PUT at a time
	// on a server that allows a whole-calendar PUT (-bulk-fill): the events
	// not created when it runs out are loaded with one such PUT, so that a
	// server whose PUT slows down as the calendar grows (Radicale) still
	// gets the whole workload within the run's time.
	CreateBudget time.Duration
}

func newCalConfig(quick bool) calConfig {
	if quick {
		return calConfig{Events: 300, FirstStage: 100, Clients: 8, Multiget: 100, Runs: 3,
			CreateBudget: 20 * time.Second}
	}
	return calConfig{Events: 5000, FirstStage: 1000, Clients: 8, Multiget: 500, Runs: 5,
		CreateBudget: 100 * time.Second}
}

// calServers are the CalDAV table's columns; ratios are parvis ÷ each of
// calRatioTo.
var (
	calServers = []string{"parvis", "radicale", "cyrus"}
	calRatioTo = []string{"radicale", "cyrus"}
)

func (c calConfig) rows() []rowDef {
	n, k := thousands(int64(c.Events)), thousands(int64(c.FirstStage))
	return []rowDef{
		{"cal_create_ops", fmt.Sprintf("create %s events (1 in %d weekly), %d clients (events/s ↑)", n, recurEvery, c.Clients), "ops/s", true},
		{"cal_create_p99", fmt.Sprintf("create %s events, %d clients (p99 ms ↓)", n, c.Clients), "ms", false},
		{"cal_query_ms", fmt.Sprintf("calendar-query, 1 month time-range over %s (median ms ↓)", n), "ms", false},
		{"cal_multiget_ms", fmt.Sprintf("calendar-multiget of %d hrefs (median ms ↓)", c.Multiget), "ms", false},
		{"cal_sync_full_ms", fmt.Sprintf("sync-collection, initial, %s events (median ms ↓)", n), "ms", false},
		{"cal_sync_incr_ms", fmt.Sprintf("sync-collection, incremental after 1 change, %s events (median ms ↓)", n), "ms", false},
		{"cal_sync_incr_small_ms", fmt.Sprintf("sync-collection, incremental after 1 change, %s events (median ms ↓)", k), "ms", false},
		{"cal_propfind_ms", fmt.Sprintf("PROPFIND Depth 1 of the calendar, %s events (median ms ↓)", n), "ms", false},
		{"cal_rss_mib", "peak RSS, whole CalDAV phase (MiB ↓)", "MiB", false},
	}
}

// calBench is the state of one CalDAV run.
type calBench struct {
	*bench
	cc    calConfig
	run   string // makes UIDs and names unique per run
	cal   string // the calendar's path, ending in "/"
	token string // the last sync-token received
	seq   int    // edits made so far, for SEQUENCE

	bulk     bool            // whether events left over by CreateBudget are loaded with one PUT
	deadline time.Time       // end of CreateBudget (with bulk)
	putLat   []time.Duration // latencies of the events created by PUT
	putWall  time.Duration   // wall time of those PUTs
	bulkFrom int             // with bulk: how many events had been created by PUT (-1: none loaded in bulk)
}

// runCalDAV measures every CalDAV row; calendar names the collection to
// use if the home has one by that name, else to create.
func (b *bench) runCalDAV(ctx context.Context, calendar string, bulk bool) {
	cb := &calBench{bench: b, cc: newCalConfig(b.cfg.Quick), bulk: bulk, bulkFrom: -1}
	var rnd [4]byte
	rand.Read(rnd[:])
	cb.run = hex.EncodeToString(rnd[:])
	all := []string{"cal_create_ops", "cal_create_p99", "cal_query_ms", "cal_multiget_ms", "cal_sync_full_ms",
		"cal_sync_incr_ms", "cal_sync_incr_small_ms", "cal_propfind_ms"}
	defer b.rss("cal_rss_mib")

	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	cal, how, err := b.c.discoverCalendar(dctx, calendar)
	cancel()
	if err != nil {
		b.fail(fmt.Errorf("discovery: %w", err), all...)
		return
	}
	cb.cal = cal
	b.res.Detail["calendar"] = cal
	b.res.Detail["discovery"] = how
	logf("%s caldav: calendar %s (%s)", b.res.Server, cal, how)

	// Fill the first stage, then measure the incremental sync on it.
	cb.deadline = time.Now().Add(cb.cc.CreateBudget)
	err = cb.create(ctx, 0, cb.cc.FirstStage)
	wall1, n1 := cb.putWall, len(cb.putLat)
	if err != nil {
		b.fail(err, all...)
		return
	}
	if _, err := cb.syncFull(ctx); err != nil {
		b.fail(fmt.Errorf("sync-collection after %d events: %w", cb.cc.FirstStage, err), "cal_sync_incr_small_ms")
	} else {
		cb.syncIncrRow(ctx, "cal_sync_incr_small_ms", cb.cc.FirstStage)
	}

	// Fill the rest.
	if err := cb.create(ctx, cb.cc.FirstStage, cb.cc.Events); err != nil {
		b.fail(err, all...)
		return
	}
	lat, wall := cb.putLat, cb.putWall
	wall2, n2 := wall-wall1, len(lat)-n1
	b.res.Detail["cal_create_seconds"] = []float64{wall1.Seconds(), wall2.Seconds()}
	note := fmt.Sprintf("p50 %.2f ms; %.1f events/s for the first %d", ms(percentile(lat, 50)),
		float64(n1)/wall1.Seconds(), n1)
	if n2 > 0 {
		note += fmt.Sprintf(", %.1f events/s for the next %d", float64(n2)/wall2.Seconds(), n2)
	}
	if cb.bulkFrom >= 0 {
		caveat := fmt.Sprintf("only %d of the %d events were created by PUT within the %s budget "+
			"(%.1f events/s for the first %d, %.1f for the next %d, falling as the calendar grows); the rest "+
			"were loaded with one whole-calendar PUT, so the create rate shown is that of a smaller calendar",
			len(lat), cb.cc.Events, cb.cc.CreateBudget, float64(n1)/wall1.Seconds(), n1, float64(n2)/wall2.Seconds(), n2)
		note += "; PARTIAL: " + caveat
		b.res.Detail["caveat"] = caveat
	}
	b.set("cal_create_ops", float64(len(lat))/wall.Seconds(), note)
	b.set("cal_create_p99", ms(percentile(lat, 99)), "")

	cb.syncFullRow(ctx)
	if cb.token != "" {
		cb.syncIncrRow(ctx, "cal_sync_incr_ms", cb.cc.Events)
	} else {
		b.fail(fmt.Errorf("no sync-token from the initial sync"), "cal_sync_incr_ms")
	}
	cb.queryRow(ctx)
	cb.multigetRow(ctx)
	cb.propfindRow(ctx)
}

// errBudget stops the PUTs when CreateBudget has run out.
var errBudget = errors.New("create budget exhausted")

// create PUTs events [from, to) with Clients concurrent clients, adding
// their latencies and wall time to putLat and putWall. With bulk, it stops
// when CreateBudget runs out and loads the events not created yet with one
// PUT of the whole calendar.
func (cb *calBench) create(ctx context.Context, from, to int) error {
	rctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	done := make([]bool, to-from)
	lat, wall, err := parallel(rctx, to-from, cb.cc.Clients, func(ctx context.Context, i int) error {
		if cb.bulk && time.Now().After(cb.deadline) {
			return errBudget
		}
		err := cb.c.putICS(ctx, cb.cal+eventName(cb.run, from+i), eventICS(cb.run, from+i, 0), true)
		done[i] = err == nil
		return err
	})
	if err != nil && !errors.Is(err, errBudget) {
		return fmt.Errorf("creating events %d to %d: %w", from, to-1, err)
	}
	n := 0
	for i, ok := range done {
		if ok {
			cb.putLat = append(cb.putLat, lat[i])
			n++
		}
	}
	cb.putWall += wall
	logf("%s caldav: created events %d to %d by PUT: %d in %.1f s (%.1f/s)", cb.res.Server, from, to-1,
		n, wall.Seconds(), float64(n)/wall.Seconds())
	if n == to-from {
		return nil
	}
	// The budget ran out: replace the calendar's content with events [0, to).
	if cb.bulkFrom < 0 {
		cb.bulkFrom = len(cb.putLat)
	}
	data := bulkICS(cb.run, to)
	bctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	t := time.Now()
	r, err := cb.c.send(bctx, "PUT", strings.TrimPrefix(cb.cal, "/"), bytes.NewReader(data), int64(len(data)), 0,
		"Content-Type", "text/calendar; charset=utf-8")
	if err == nil {
		err = r.check("PUT", cb.cal)
	}
	if err != nil {
		return fmt.Errorf("loading events 0 to %d with one PUT: %w", to-1, err)
	}
	logf("%s caldav: loaded events 0 to %d with one PUT of %d KiB in %.1f s", cb.res.Server, to-1,
		len(data)>>10, time.Since(t).Seconds())
	return nil
}

// report sends a REPORT to the calendar and times it until the whole
// answer is read. Like every timed read of this phase, it goes on a new
// connection (see freshConn).
func (cb *calBench) report(ctx context.Context, body, depth string) ([]byte, time.Duration, error) {
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cb.freshConn()
	t := time.Now()
	data, err := cb.c.xmlReq(rctx, "REPORT", cb.cal, depth, body, 207)
	return data, time.Since(t), err
}

// freshConn closes the idle keep-alive connections, so that the next
// request opens a new one (on loopback, under 0.1 ms), as a client that
// syncs every few minutes does. On a reused connection Cyrus's httpd answers
// about 40 ms late (its last segment waits for the client's delayed ACK: 2 ms
// on a new connection, 43 ms on a reused one for the same 50-event sync),
// which would hide its real cost in every read row.
func (cb *calBench) freshConn() { cb.c.hc.CloseIdleConnections() }

// syncFull runs an initial sync-collection and keeps its token; it returns
// the object hrefs listed.
func (cb *calBench) syncFull(ctx context.Context) ([]string, error) {
	data, _, err := cb.report(ctx, syncBody(""), "0")
	if err != nil {
		return nil, err
	}
	ms, err := parseMultistatus(data)
	if err != nil {
		return nil, err
	}
	if ms.SyncToken == "" {
		return nil, fmt.Errorf("sync-collection: no sync-token in the answer")
	}
	cb.token = ms.SyncToken
	return cb.objects(ms), nil
}

// objects lists the hrefs of the 200 responses that are not the calendar.
func (cb *calBench) objects(ms *multistatus) []string {
	var out []string
	for _, r := range ms.Responses {
		if _, ok := r.ok200(); ok && len(r.Hrefs) > 0 && strings.TrimSuffix(hrefPath(r.Hrefs[0]), "/") != strings.TrimSuffix(cb.cal, "/") {
			out = append(out, hrefPath(r.Hrefs[0]))
		}
	}
	return out
}

func (cb *calBench) setMedian(key string, times []time.Duration, size int, note string) {
	if note != "" {
		note = "; " + note
	}
	cb.set(key, ms(percentile(times, 50)), fmt.Sprintf("min %.1f ms, max %.1f ms over %d runs, %d KiB%s",
		ms(slices.Min(times)), ms(slices.Max(times)), len(times), size>>10, note))
}

func (cb *calBench) syncFullRow(ctx context.Context) {
	var times []time.Duration
	var note string
	size := 0
	for i := range cb.cc.Runs {
		data, d, err := cb.report(ctx, syncBody(""), "0")
		if err != nil {
			cb.fail(err, "cal_sync_full_ms")
			return
		}
		times, size = append(times, d), len(data)
		ms, err := parseMultistatus(data)
		if err != nil {
			cb.fail(err, "cal_sync_full_ms")
			return
		}
		cb.token = ms.SyncToken
		if i == 0 {
			if n := len(cb.objects(ms)); n != cb.cc.Events {
				note = fmt.Sprintf("WRONG: %d objects listed, want %d", n, cb.cc.Events)
			}
		}
	}
	cb.setMedian("cal_sync_full_ms", times, size, note)
}

// syncIncrRow edits one event, then times a sync-collection from the token
// held before the edit, Runs times; each answer must list just that event.
func (cb *calBench) syncIncrRow(ctx context.Context, key string, events int) {
	var times []time.Duration
	var wrong []string
	size := 0
	for r := range cb.cc.Runs {
		i := events/2 + 1 + r // an event of the stage, never a series
		if i%recurEvery == 0 {
			i++
		}
		cb.seq++
		name := eventName(cb.run, i)
		pctx, cancel := context.WithTimeout(ctx, callTimeout)
		err := cb.c.putICS(pctx, cb.cal+name, eventICS(cb.run, i, cb.seq), false)
		cancel()
		if err != nil {
			cb.fail(fmt.Errorf("editing an event: %w", err), key)
			return
		}
		data, d, err := cb.report(ctx, syncBody(cb.token), "0")
		if err != nil {
			cb.fail(err, key)
			return
		}
		times, size = append(times, d), len(data)
		ms, err := parseMultistatus(data)
		if err != nil {
			cb.fail(err, key)
			return
		}
		if ms.SyncToken == "" {
			cb.fail(fmt.Errorf("sync-collection: no sync-token in the answer"), key)
			return
		}
		cb.token = ms.SyncToken
		if objs := cb.objects(ms); len(objs) != 1 || !strings.HasSuffix(objs[0], name) {
			wrong = append(wrong, fmt.Sprintf("%d objects listed (%d responses), want only %s", len(objs), len(ms.Responses), name))
		}
	}
	note := ""
	if len(wrong) > 0 {
		note = "WRONG: " + wrong[0]
	}
	cb.setMedian(key, times, size, note)
}

func (cb *calBench) queryRow(ctx context.Context) {
	const key = "cal_query_ms"
	var times []time.Duration
	var note string
	size := 0
	for i := range cb.cc.Runs {
		data, d, err := cb.report(ctx, monthQuery, "1")
		if err != nil {
			cb.fail(err, key)
			return
		}
		times, size = append(times, d), len(data)
		if i == 0 {
			ms, err := parseMultistatus(data)
			if err != nil {
				cb.fail(err, key)
				return
			}
			n, empty := 0, 0
			for _, r := range ms.Responses {
				if p, ok := r.ok200(); ok {
					n++
					if !strings.Contains(p.CalendarData, "BEGIN:VEVENT") {
						empty++
					}
				}
			}
			want := monthMatches(cb.cc.Events)
			note = fmt.Sprintf("%d events matched", n)
			if n != want || empty > 0 {
				note = fmt.Sprintf("WRONG: %d events matched, want %d; %d without calendar-data", n, want, empty)
			}
		}
	}
	cb.setMedian(key, times, size, note)
}

func (cb *calBench) multigetRow(ctx context.Context) {
	const key = "cal_multiget_ms"
	m := cb.cc.Multiget
	hrefs := make([]string, m)
	for k := range m {
		hrefs[k] = cb.cal + eventName(cb.run, k*cb.cc.Events/m)
	}
	body := multigetBody(hrefs)
	var times []time.Duration
	var note string
	size := 0
	for i := range cb.cc.Runs {
		data, d, err := cb.report(ctx, body, "1")
		if err != nil {
			cb.fail(err, key)
			return
		}
		times, size = append(times, d), len(data)
		if i == 0 {
			ms, err := parseMultistatus(data)
			if err != nil {
				cb.fail(err, key)
				return
			}
			n := 0
			for _, r := range ms.Responses {
				if p, ok := r.ok200(); ok && strings.Contains(p.CalendarData, "BEGIN:VEVENT") {
					n++
				}
			}
			if n != m {
				note = fmt.Sprintf("WRONG: %d objects with calendar-data, want %d", n, m)
			}
		}
	}
	cb.setMedian(key, times, size, note)
}

func (cb *calBench) propfindRow(ctx context.Context) {
	const key = "cal_propfind_ms"
	var times []time.Duration
	var note string
	size := 0
	for i := range cb.cc.Runs {
		rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		cb.freshConn()
		t := time.Now()
		data, err := cb.c.xmlReq(rctx, "PROPFIND", cb.cal, "1", propfindCalendar, 207)
		d := time.Since(t)
		cancel()
		if err != nil {
			cb.fail(err, key)
			return
		}
		times, size = append(times, d), len(data)
		if i == 0 {
			n, err := countResponses(data)
			if err != nil {
				cb.fail(err, key)
				return
			}
			if n != cb.cc.Events+1 {
				note = fmt.Sprintf("WRONG: %d responses, want %d (the calendar and its events)", n, cb.cc.Events+1)
			}
		}
	}
	cb.setMedian(key, times, size, note)
}

// calNotes explains the CalDAV table in the report.
const calNotes = `
- Ratios are parvis ÷ the other server, as above. Every server gets HTTP Basic authentication and a fresh
  data folder; the client discovers the calendar home from the server's root URL (/.well-known/caldav,
  current-user-principal, calendar-home-set). parvis fills its group agenda (bench~agenda, which the
  group's creation made); Radicale and Cyrus a calendar the client creates with MKCALENDAR.
- Events: one-hour meetings over 2026 with a summary, category, location, URL and description; 1 in 10 is a
  weekly series (COUNT=26) in Europe/Paris with its VTIMEZONE. Created with PUT If-None-Match: *.
- calendar-query asks for getetag and calendar-data of the events with an instance in June 2026;
  calendar-multiget for the same of evenly spread hrefs; sync-collection (sync-level 1) for getetag;
  PROPFIND for resourcetype, getetag, getcontenttype, displayname. Each is repeated and the median shown;
  a wrong answer (count of results) is listed under "Failures and errors".
- Every timed read (REPORT, PROPFIND) opens a new connection, as a client syncing every few minutes does:
  on a reused keep-alive connection Cyrus's httpd answers about 40 ms late (Nagle against the client's
  delayed ACK), which would swamp its figures. Creates reuse 8 keep-alive connections.
- The incremental sync is timed after one PUT editing an existing event, with the token held before it,
  once the calendar holds the first events and again once it holds all of them.
`
