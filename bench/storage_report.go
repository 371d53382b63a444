package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
)

// storageColumns are the storage table's servers: Parvis on each blob store.
var storageColumns = []string{"parvis-fs", "parvis-s3"}

// cmdStorageReport writes the storage table from DIR/parvis-{fs,s3}-storage.json.
func cmdStorageReport(args []string) error {
	fset := flag.NewFlagSet("storage-report", flag.ContinueOnError)
	dir := fset.String("dir", "", "folder of the storage phase's results and meta.txt")
	mdOut := fset.String("md", "", "also write the Markdown table here")
	quick := fset.Bool("quick", false, "the results come from -quick runs")
	if err := fset.Parse(args); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# Parvis blob stores: local files vs S3 (MinIO on loopback)\n\n")
	meta := readMeta(filepath.Join(*dir, "meta.txt"))
	for _, k := range []string{"date", "machine", "parvis", "minio", "data folders", "load average at start"} {
		if v := meta[k]; v != "" {
			fmt.Fprintf(&b, "- %s: %s\n", k, v)
		}
	}
	b.WriteString("\n| Measurement | fs | S3 | S3/fs |\n|---|---:|---:|---:|\n")
	runs := map[string]*runResult{}
	for _, s := range storageColumns {
		if r, err := readRun(filepath.Join(*dir, s+"-storage.json")); err == nil {
			runs[s] = r
		}
	}
	for _, def := range storageRows(storageBigSize(*quick)) {
		cells := make([]cell, len(storageColumns))
		for i, s := range storageColumns {
			cells[i] = cell{Err: "did not run: " + readReason(filepath.Join(*dir, s+"-storage.err"))}
			if r := runs[s]; r != nil {
				cells[i] = r.Cells[def.Key]
			}
		}
		ratio := ""
		if cells[0].Err == "" && cells[1].Err == "" && cells[0].Value > 0 {
			ratio = fmt.Sprintf("%.2f×", cells[1].Value/cells[0].Value)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", def.Label, storageCell(cells[0], def.Unit), storageCell(cells[1], def.Unit), ratio)
	}
	md := b.String()
	fmt.Print(md)
	if *mdOut != "" {
		return writeFile(*mdOut, []byte(md))
	}
	return nil
}

// storageCell is formatCell, with "n/a" reasons shown as such.
func storageCell(c cell, unit string) string {
	if strings.HasPrefix(c.Err, "n/a") {
		return c.Err
	}
	return formatCell(c, unit)
}
