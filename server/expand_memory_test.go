package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestParallelExpandsBoundedMemory: eight clients at once expand a day of a per-second event and
// of one every 45 seconds (1,920 instances, under the cap): the first answers 507 for that object
// at once, the second expands, and the server's peak resident memory stays under 128 MiB.
func TestParallelExpandsBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary under load; skipped with -short")
	}
	cfg := testConfig(t)
	populate(t, cfg)
	in, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	who, err := in.db.R(context.Background()).PersonByEmail(alice)
	in.Close()
	if err != nil {
		t.Fatal(err)
	}
	id := who.ID
	p := startProcess(t, cfg.DataDir)
	agenda := fmt.Sprintf("%s/dav/calendars/%d/atelier~agenda/", p.base, id)
	put := func(name, rule string) {
		t.Helper()
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:" + name + "\r\nDTSTAMP:20270101T000000Z\r\n" +
			"DTSTART:20270301T000000Z\r\nDURATION:PT1S\r\nSUMMARY:" + name + "\r\n" + rule + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		r, _ := http.NewRequest("PUT", agenda+name+".ics", strings.NewReader(ics))
		r.SetBasicAuth(alice, pw)
		r.Header.Set("Content-Type", "text/calendar")
		resp, err := http.DefaultClient.Do(r)
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("PUT %s: %v %v", name, err, resp)
		}
		resp.Body.Close()
	}
	put("chaque-seconde", "RRULE:FREQ=SECONDLY")
	put("toutes-les-45-secondes", "RRULE:FREQ=SECONDLY;INTERVAL=45")
	query := `<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/>` +
		`<C:calendar-data><C:expand start="20270301T000000Z" end="20270302T000000Z"/></C:calendar-data></D:prop>` +
		`<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20270301T000000Z" end="20270302T000000Z"/>` +
		`</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`
	base := p.status(t, "VmRSS")
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				r, _ := http.NewRequest("REPORT", agenda, strings.NewReader(query))
				r.SetBasicAuth(alice, pw)
				r.Header.Set("Depth", "1")
				resp, err := http.DefaultClient.Do(r)
				if err != nil {
					errs <- err.Error()
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				s := string(body)
				if resp.StatusCode != 207 || !strings.Contains(s, "507 Insufficient Storage") || strings.Count(s, "BEGIN:VEVENT") != 1920 {
					errs <- fmt.Sprintf("REPORT: %d, %d events, 507: %v", resp.StatusCode, strings.Count(s, "BEGIN:VEVENT"), strings.Contains(s, "507"))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	peak := p.status(t, "VmHWM")
	t.Logf("server RSS before %d MiB, peak %d MiB", base>>20, peak>>20)
	if peak > 128<<20 {
		t.Fatalf("peak RSS %d MiB with 8 parallel worst-case expands, want < 128 MiB", peak>>20)
	}
}
