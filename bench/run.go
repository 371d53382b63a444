package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"time"
)

// cell is one measured figure, or the reason it could not be measured.
type cell struct {
	Value float64 `json:"value"`
	Err   string  `json:"error,omitempty"`
	Note  string  `json:"note,omitempty"`
}

// runResult is what `bench run` writes: the cells of one phase on one server.
type runResult struct {
	Server  string          `json:"server"`
	Phase   string          `json:"phase"`
	URL     string          `json:"url"`
	Auth    bool            `json:"auth"`
	Quick   bool            `json:"quick"`
	Started time.Time       `json:"started"`
	Seconds float64         `json:"seconds"`
	Cells   map[string]cell `json:"cells"`
	Detail  map[string]any  `json:"detail,omitempty"`
}

// bench holds what the rows of one run share.
type bench struct {
	cfg     config
	c       *client
	pid     int    // server's root process, for RSS; 0 if unknown
	payload []byte // random bytes that small-file bodies are cut from
	res     *runResult
}

func cmdRun(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	server := fs.String("server", "", "server name, used in the result (parvis, apache, nginx, rclone)")
	phase := fs.String("phase", "small", `"small": small files, PROPFIND, mixed; "big": single large file on a fresh server; "caldav": the CalDAV rows`)
	root := fs.String("url", "", "WebDAV root URL, e.g. http://127.0.0.1:8080/dav/files/bench/; for -phase caldav the server's origin, e.g. http://127.0.0.1:8080/")
	calendar := fs.String("calendar", "bench", "-phase caldav: the calendar to use if the user's calendar home has one of that name, else to create with MKCALENDAR")
	user := fs.String("user", "", "HTTP Basic user (none if empty)")
	pass := fs.String("pass", "", "HTTP Basic password")
	pid := fs.Int("pid", 0, "PID of the server's root process, to read its peak RSS (0: skip)")
	out := fs.String("out", "", "write the JSON result here (default: stdout)")
	quick := fs.Bool("quick", false, "smoke-test sizes: fewer files, shorter mixed run, 64 MiB instead of 1 GiB")
	metrics := fs.String("metrics", "", "-phase storage: the server's /metrics URL, to watch the replication")
	token := fs.String("token", "", "-phase storage: /metrics bearer token")
	bulk := fs.Bool("bulk-fill", false, "-phase caldav: when creating events one by one takes longer than the budget, load the rest with one PUT of the whole calendar (Radicale)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *phase != "small" && *phase != "big" && *phase != "caldav" && *phase != "storage" {
		return fmt.Errorf("-phase must be small, big, caldav or storage, not %q", *phase)
	}
	cfg := newConfig(*quick)
	c, err := newClient(*root, *user, *pass, cfg.MixClients)
	if err != nil {
		return err
	}
	b := &bench{cfg: cfg, c: c, pid: *pid, payload: make([]byte, 256<<10),
		res: &runResult{Server: *server, Phase: *phase, URL: *root, Auth: *user != "", Quick: *quick,
			Started: time.Now().UTC(), Cells: map[string]cell{}, Detail: map[string]any{}}}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range b.payload {
		b.payload[i] = byte(rng.Uint32())
	}
	ctx := context.Background()
	switch *phase {
	case "small":
		b.runSmall(ctx)
	case "big":
		b.runBig(ctx)
	case "caldav":
		b.runCalDAV(ctx, *calendar, *bulk)
	case "storage":
		b.runStorage(ctx, *metrics, *token)
	}
	b.res.Seconds = time.Since(b.res.Started).Seconds()
	return writeJSON(*out, b.res)
}

// set records a measured value.
func (b *bench) set(key string, v float64, note string) {
	b.res.Cells[key] = cell{Value: v, Note: note}
	logf("%s %s: %s = %.2f %s", b.res.Server, b.res.Phase, key, v, note)
}

// fail records err as the outcome of every key.
func (b *bench) fail(err error, keys ...string) {
	for _, k := range keys {
		b.res.Cells[k] = cell{Err: err.Error()}
	}
	logf("%s %s: %v failed: %v", b.res.Server, b.res.Phase, keys, err)
}

// small returns the body of small file i: FileSize bytes that differ per file.
func (b *bench) small(i int) []byte {
	off := (i * 4099) % (len(b.payload) - b.cfg.FileSize)
	return b.payload[off : off+b.cfg.FileSize]
}

// putMany PUTs files dir/f00000.bin … with Clients concurrent clients.
func (b *bench) putMany(ctx context.Context, dir string, n int) ([]time.Duration, time.Duration, error) {
	return parallel(ctx, n, b.cfg.Clients, func(ctx context.Context, i int) error {
		return b.c.put(ctx, fileName(dir, i), b.small(i))
	})
}

func fileName(dir string, i int) string { return fmt.Sprintf("%sf%05d.bin", dir, i) }

// runSmall measures the small-file, PROPFIND and mixed rows, then the peak
// RSS of the whole phase.
func (b *bench) runSmall(ctx context.Context) {
	cfg := b.cfg
	const small, large = "small/", "large/"
	for _, d := range []string{small, large} {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := b.c.mkcol(sctx, d)
		cancel()
		if err != nil {
			b.fail(fmt.Errorf("setup: %w", err), "put_ops", "put_p99", "get_ops", "get_p99",
				"propfind_small_ms", "propfind_large_ms")
			b.runMixed(ctx)
			b.rss("small_rss_mib")
			return
		}
	}

	// PUT, then GET, the small files.
	rctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	lat, wall, err := b.putMany(rctx, small, cfg.Files)
	if err != nil {
		b.fail(err, "put_ops", "put_p99")
	} else {
		b.set("put_ops", float64(cfg.Files)/wall.Seconds(), fmt.Sprintf("p50 %.2f ms", ms(percentile(lat, 50))))
		b.set("put_p99", ms(percentile(lat, 99)), "")
	}
	rctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	lat, wall, err = parallel(rctx, cfg.Files, cfg.Clients, func(ctx context.Context, i int) error {
		return b.c.get(ctx, fileName(small, i), b.small(i))
	})
	if err != nil {
		b.fail(err, "get_ops", "get_p99")
	} else {
		b.set("get_ops", float64(cfg.Files)/wall.Seconds(), fmt.Sprintf("p50 %.2f ms", ms(percentile(lat, 50))))
		b.set("get_p99", ms(percentile(lat, 99)), "")
	}

	// List the small-file folder, then fill and list the large one.
	b.propfindRow(ctx, "propfind_small_ms", small, cfg.Files)
	t := time.Now()
	rctx, cancel = context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if _, _, err := b.putMany(rctx, large, cfg.LargeDir); err != nil {
		b.fail(fmt.Errorf("filling the folder: %w", err), "propfind_large_ms")
	} else {
		b.res.Detail["fill_large_seconds"] = time.Since(t).Seconds()
		b.propfindRow(ctx, "propfind_large_ms", large, cfg.LargeDir)
	}

	b.runMixed(ctx)
	b.rss("small_rss_mib")
}

// propfindRow times PROPFIND Depth 1 of dir (holding entries files) and
// records the median; the first answer is checked to list every entry.
func (b *bench) propfindRow(ctx context.Context, key, dir string, entries int) {
	var times []time.Duration
	size := 0
	for i := range b.cfg.PropfindRuns {
		rctx, cancel := context.WithTimeout(ctx, time.Minute)
		t := time.Now()
		body, err := b.c.propfind(rctx, dir, true)
		d := time.Since(t)
		cancel()
		if err == nil && i == 0 {
			var n int
			n, err = countResponses(body)
			if err == nil && n != entries+1 {
				err = fmt.Errorf("PROPFIND %s: %d responses, want %d (the folder and its %d files)", dir, n, entries+1, entries)
			}
		}
		if err != nil {
			b.fail(err, key)
			return
		}
		times = append(times, d)
		size = len(body)
	}
	b.set(key, ms(percentile(times, 50)), fmt.Sprintf("min %.1f ms, max %.1f ms over %d runs, %d KiB",
		ms(slices.Min(times)), ms(slices.Max(times)), len(times), size>>10))
}

// rss records the peak RSS of the server's process tree under key.
func (b *bench) rss(key string) {
	if b.pid == 0 {
		b.fail(fmt.Errorf("no server PID given"), key)
		return
	}
	p, err := treePeakRSS(b.pid)
	if err != nil {
		b.fail(err, key)
		return
	}
	b.set(key, float64(p.SumKiB)/1024, fmt.Sprintf("VmHWM summed over %d process(es); largest one %.1f MiB",
		p.Procs, float64(p.MaxKiB)/1024))
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if path == "" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// logf prints progress on stderr.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}
