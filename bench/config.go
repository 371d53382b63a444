package main

import (
	"fmt"
	"time"
)

// config sizes the workload. The full one is the reference benchmark;
// -quick shrinks every dimension for a smoke test of the harness.
type config struct {
	Quick        bool
	Files        int           // small files PUT then GET (and listed by the first PROPFIND)
	FileSize     int           // bytes per small file
	Clients      int           // concurrent clients of the PUT and GET rows
	LargeDir     int           // entries of the folder listed by the second PROPFIND
	PropfindRuns int           // PROPFIND repetitions per folder; the median is reported
	BigSize      int64         // bytes of the single-file PUT and GET
	MixClients   int           // concurrent clients of the mixed workload
	MixDuration  time.Duration // length of the mixed workload
	MixPool      int           // read-only files the mixed workload GETs and lists
	MixOwn       int           // file names each mixed client PUTs, DELETEs and MOVEs
}

func newConfig(quick bool) config {
	if quick {
		return config{Quick: true, Files: 200, FileSize: 4 << 10, Clients: 16, LargeDir: 1000,
			PropfindRuns: 3, BigSize: 64 << 20, MixClients: 64, MixDuration: 5 * time.Second,
			MixPool: 100, MixOwn: 16}
	}
	return config{Files: 2000, FileSize: 4 << 10, Clients: 16, LargeDir: 10000,
		PropfindRuns: 7, BigSize: 1 << 30, MixClients: 64, MixDuration: 20 * time.Second,
		MixPool: 200, MixOwn: 32}
}

// rowDef is one line of the result table.
type rowDef struct {
	Key    string // stable identifier, used in the JSON files
	Label  string
	Unit   string // "ops/s", "ms", "MB/s", "MiB" or "count"
	Higher bool   // whether a higher value is better
}

// rows lists the table lines in display order.
func (c config) rows() []rowDef {
	size := func(n int64) string {
		if n >= 1<<30 {
			return fmt.Sprintf("%d GiB", n>>30)
		}
		if n >= 1<<20 {
			return fmt.Sprintf("%d MiB", n>>20)
		}
		return fmt.Sprintf("%d KiB", n>>10)
	}
	f, b := size(int64(c.FileSize)), size(c.BigSize)
	return []rowDef{
		{"put_ops", fmt.Sprintf("PUT %d × %s, %d clients (ops/s ↑)", c.Files, f, c.Clients), "ops/s", true},
		{"put_p99", fmt.Sprintf("PUT %d × %s, %d clients (p99 ms ↓)", c.Files, f, c.Clients), "ms", false},
		{"get_ops", fmt.Sprintf("GET %d × %s, %d clients (ops/s ↑)", c.Files, f, c.Clients), "ops/s", true},
		{"get_p99", fmt.Sprintf("GET %d × %s, %d clients (p99 ms ↓)", c.Files, f, c.Clients), "ms", false},
		{"propfind_small_ms", fmt.Sprintf("PROPFIND Depth 1, %d entries (median ms ↓)", c.Files), "ms", false},
		{"propfind_large_ms", fmt.Sprintf("PROPFIND Depth 1, %d entries (median ms ↓)", c.LargeDir), "ms", false},
		{"bigput_mbs", fmt.Sprintf("PUT one %s file (MB/s ↑)", b), "MB/s", true},
		{"bigget_mbs", fmt.Sprintf("GET one %s file (MB/s ↑)", b), "MB/s", true},
		{"big_rss_mib", fmt.Sprintf("peak RSS, fresh server, %s PUT+GET (MiB ↓)", b), "MiB", false},
		{"mixed_ops", fmt.Sprintf("mixed, %d clients, %s (ok ops/s ↑)", c.MixClients, c.MixDuration), "ops/s", true},
		{"mixed_p99", fmt.Sprintf("mixed, %d clients, %s (p99 ms ↓)", c.MixClients, c.MixDuration), "ms", false},
		{"mixed_errors", fmt.Sprintf("mixed, %d clients, %s (errors ↓)", c.MixClients, c.MixDuration), "count", false},
		{"small_rss_mib", "peak RSS, whole small-file phase (MiB ↓)", "MiB", false},
	}
}
