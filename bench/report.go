package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// servers are the table's columns, parvis first; ratios are parvis ÷ each
// of ratioTo.
var (
	servers = []string{"parvis", "apache", "nginx", "rclone"}
	ratioTo = []string{"apache", "nginx"}
)

// reportRow is one line of the merged result.
type reportRow struct {
	Key            string              `json:"key"`
	Label          string              `json:"label"`
	Unit           string              `json:"unit"`
	HigherIsBetter bool                `json:"higher_is_better"`
	Values         map[string]cell     `json:"values"`      // per server
	Text           map[string]string   `json:"text"`        // per server, as in the table
	ParvisOver     map[string]*float64 `json:"parvis_over"` // parvis ÷ server, null if either failed
}

// report is bench/results/latest.json.
type report struct {
	Generated time.Time         `json:"generated"`
	Quick     bool              `json:"quick"`
	Meta      map[string]string `json:"meta"`
	Servers   []string          `json:"servers"`
	Rows      []reportRow       `json:"rows"`
	// The CalDAV table: its own servers and rows, from the "caldav" phase.
	CalDAVServers []string              `json:"caldav_servers"`
	CalDAVRows    []reportRow           `json:"caldav_rows"`
	Runs          map[string]*runResult `json:"runs"`     // raw results, "<server>-<phase>"
	Failures      map[string]string     `json:"failures"` // "<server>-<phase>" that produced no result
}

func cmdReport(args []string) error {
	fset := flag.NewFlagSet("report", flag.ContinueOnError)
	dir := fset.String("dir", "", "folder of <server>-<phase>.json results, .err failure reasons and meta.txt")
	jsonOut := fset.String("json", "", "also write the merged result as JSON here")
	mdOut := fset.String("md", "", "also write the Markdown table here")
	quick := fset.Bool("quick", false, "the results come from -quick runs (sets the row labels)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	rep := &report{Generated: time.Now().UTC(), Quick: *quick, Meta: readMeta(filepath.Join(*dir, "meta.txt")),
		Servers: servers, CalDAVServers: calServers, Runs: map[string]*runResult{}, Failures: map[string]string{}}
	var names []string
	for _, s := range servers {
		names = append(names, s+"-small", s+"-big")
	}
	for _, s := range calServers {
		names = append(names, s+"-caldav")
	}
	for _, name := range names {
		if r, err := readRun(filepath.Join(*dir, name+".json")); err == nil {
			rep.Runs[name] = r
		} else if errors.Is(err, fs.ErrNotExist) {
			rep.Failures[name] = readReason(filepath.Join(*dir, name+".err"))
		} else {
			rep.Failures[name] = err.Error()
		}
	}
	for _, def := range newConfig(*quick).rows() {
		phase := "small"
		if strings.HasPrefix(def.Key, "big") {
			phase = "big"
		}
		rep.Rows = append(rep.Rows, rep.row(def, phase, servers, ratioTo))
	}
	for _, def := range newCalConfig(*quick).rows() {
		rep.CalDAVRows = append(rep.CalDAVRows, rep.row(def, "caldav", calServers, calRatioTo))
	}
	md := rep.markdown()
	fmt.Print(md)
	if *mdOut != "" {
		if err := writeFile(*mdOut, []byte(md)); err != nil {
			return err
		}
	}
	if *jsonOut != "" {
		if err := os.MkdirAll(filepath.Dir(*jsonOut), 0o755); err != nil {
			return err
		}
		return writeJSON(*jsonOut, rep)
	}
	return nil
}

// row gathers one measurement of phase across the servers cols, with
// parvis's ratio to each of ratios.
func (rep *report) row(def rowDef, phase string, cols, ratios []string) reportRow {
	r := reportRow{Key: def.Key, Label: def.Label, Unit: def.Unit, HigherIsBetter: def.Higher,
		Values: map[string]cell{}, Text: map[string]string{}, ParvisOver: map[string]*float64{}}
	for _, s := range cols {
		var c cell
		if run := rep.Runs[s+"-"+phase]; run != nil {
			var ok bool
			if c, ok = run.Cells[def.Key]; !ok {
				c = cell{Err: "not measured"}
			}
		} else {
			c = cell{Err: rep.Failures[s+"-"+phase]}
		}
		r.Values[s] = c
		r.Text[s] = formatCell(c, def.Unit)
	}
	p := r.Values["parvis"]
	for _, s := range ratios {
		if o := r.Values[s]; p.Err == "" && o.Err == "" && o.Value != 0 {
			v := p.Value / o.Value
			r.ParvisOver[s] = &v
		} else {
			r.ParvisOver[s] = nil
		}
	}
	return r
}

// markdown renders the table and the notes below it.
func (rep *report) markdown() string {
	var b strings.Builder
	title := "WebDAV benchmark"
	if rep.Quick {
		title += " (-quick smoke test: small sizes, not comparable to the full run)"
	}
	fmt.Fprintf(&b, "## %s\n\n", title)
	writeTable(&b, rep.Rows, servers, ratioTo)
	b.WriteString(`
- Ratios are parvis ÷ the other server: above 1 is better for parvis on ↑ rows, below 1 on ↓ rows.
- Each server runs on 127.0.0.1 with a fresh empty data folder; the single-file rows run on a second, fresh
  instance, so their peak RSS is that of start-up plus the two transfers. RSS is VmHWM summed over the
  server's processes (Apache and nginx: parent and workers; shared pages counted in each).
- parvis is reached with HTTP Basic authentication; Apache, nginx and rclone serve without authentication.
- Client and servers share the machine's cores, so the figures measure the pair.
`)
	if len(rep.CalDAVRows) > 0 {
		title := "CalDAV benchmark"
		if rep.Quick {
			title += " (-quick: fewer events)"
		}
		fmt.Fprintf(&b, "\n## %s\n\n", title)
		writeTable(&b, rep.CalDAVRows, rep.CalDAVServers, calRatioTo)
		b.WriteString(calNotes)
		for _, s := range rep.CalDAVServers {
			if run := rep.Runs[s+"-caldav"]; run != nil && run.Detail["calendar"] != nil {
				fmt.Fprintf(&b, "- %s calendar: %v (%v)\n", s, run.Detail["calendar"], run.Detail["discovery"])
			}
		}
		for _, s := range rep.CalDAVServers {
			if run := rep.Runs[s+"-caldav"]; run != nil && run.Detail["caveat"] != nil {
				fmt.Fprintf(&b, "- **%s create row**: %v\n", s, run.Detail["caveat"])
			}
		}
	}
	if len(rep.Meta) > 0 {
		b.WriteString("\n")
		for _, k := range sortedKeys(rep.Meta) {
			fmt.Fprintf(&b, "- %s: %s\n", k, rep.Meta[k])
		}
	}
	var problems []string
	for _, name := range sortedKeys(rep.Failures) {
		problems = append(problems, fmt.Sprintf("- %s did not run: %s", name, rep.Failures[name]))
	}
	for _, name := range sortedKeys(rep.Runs) {
		for _, k := range sortedKeys(rep.Runs[name].Cells) {
			if c := rep.Runs[name].Cells[k]; c.Err != "" {
				problems = append(problems, fmt.Sprintf("- %s %s failed: %s", name, k, c.Err))
			} else if strings.Contains(c.Note, "WRONG") {
				problems = append(problems, fmt.Sprintf("- %s %s answered wrongly (timed anyway): %s", name, k, c.Note))
			} else if k == "mixed_errors" && c.Value > 0 {
				problems = append(problems, fmt.Sprintf("- %s mixed workload errors (%s): %s", name,
					rep.Runs[name].Detail["mixed_per_op"], c.Note))
			}
		}
	}
	if len(problems) > 0 {
		b.WriteString("\nFailures and errors:\n\n" + strings.Join(problems, "\n") + "\n")
	}
	return b.String()
}

// writeTable writes rows as a Markdown table: a column per server of cols,
// then parvis's ratio to each of ratios.
func writeTable(b *strings.Builder, rows []reportRow, cols, ratios []string) {
	fmt.Fprintf(b, "| Measurement | %s |", strings.Join(cols, " | "))
	for _, s := range ratios {
		fmt.Fprintf(b, " parvis/%s |", s)
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(cols)+len(ratios)) + "\n")
	for _, r := range rows {
		fmt.Fprintf(b, "| %s |", r.Label)
		for _, s := range cols {
			fmt.Fprintf(b, " %s |", mdEscape(r.Text[s], 90))
		}
		for _, s := range ratios {
			if v := r.ParvisOver[s]; v != nil {
				fmt.Fprintf(b, " %s× |", formatRatio(*v))
			} else {
				b.WriteString(" – |")
			}
		}
		b.WriteString("\n")
	}
}

// formatRatio keeps two significant digits for small ratios (0.0042) and
// drops the decimals of large ones (283).
func formatRatio(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 0.1 || v == 0:
		return fmt.Sprintf("%.2f", v)
	case v >= 0.01:
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.2g", v)
}

// formatCell renders a value in its unit, or "failed: reason".
func formatCell(c cell, unit string) string {
	if c.Err != "" {
		return "failed: " + c.Err
	}
	switch unit {
	case "ms":
		switch {
		case c.Value < 10:
			return fmt.Sprintf("%.2f", c.Value)
		case c.Value < 100:
			return fmt.Sprintf("%.1f", c.Value)
		}
	case "MiB":
		return fmt.Sprintf("%.1f", c.Value)
	}
	return thousands(int64(c.Value + 0.5))
}

// thousands writes n with comma separators: 12,700.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// mdEscape makes s safe inside a table cell and cuts it to max runes.
func mdEscape(s string, max int) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "|", "/")), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}

func readRun(path string) (*runResult, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r runResult
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

// readReason returns the failure reason the script wrote, or a default.
func readReason(path string) string {
	data, err := os.ReadFile(path)
	if s := strings.Join(strings.Fields(string(data)), " "); err == nil && s != "" {
		return strings.TrimPrefix(s, "bench: ")
	}
	return "no result (the run did not happen)"
}

// readMeta reads "key: value" lines.
func readMeta(path string) map[string]string {
	m := map[string]string{}
	f, err := os.Open(path)
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(v) != "" {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
