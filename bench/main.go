// Command bench is the WebDAV load generator behind `make bench`.
//
// scripts/bench.sh starts each server under test (parvis, Apache mod_dav,
// nginx with dav_ext, rclone serve webdav) on a free loopback port with a
// fresh data directory, and calls this program once per server and phase;
// at the end it merges the results into one table:
//
//	bench run    -server NAME -phase small|big|caldav -url URL [-user U -pass P] [-pid PID] -out FILE [-quick]
//	bench report -dir DIR [-json FILE] [-md FILE] [-quick]
//	bench storage-report -dir DIR [-md FILE] [-quick]
//	bench wait   -url URL [-status N] [-pid PID] [-timeout D]
//	bench freeport
//	bench imap-create -addr HOST:PORT -user U -pass P -mailbox NAME
//
// Phase "small" measures the small-file PUT/GET rows, the PROPFIND rows and
// the mixed 64-client workload; phase "big" runs on a fresh server and
// measures the single-file 1 GiB PUT and GET and the peak RSS they cause.
// Phase "caldav" runs the CalDAV workload (caldav.go) against parvis,
// Radicale and Cyrus IMAP's httpd. Phase "storage" (storage.go) compares
// Parvis on local files and on S3, and measures the replication lag.
// Only standard-library code; all traffic goes to the URL given, which the
// script always points at 127.0.0.1.
package main

import (
	"flag"
	"fmt"
	"os"
)

const usage = `bench: WebDAV benchmark (see scripts/bench.sh, which drives it)

  bench run    -server NAME -phase small|big|caldav -url URL [-user U -pass P] [-pid PID] -out FILE [-quick]
               run one phase of the workload against one server, write its JSON result
  bench report -dir DIR [-json FILE] [-md FILE] [-quick]
               merge DIR/<server>-<phase>.json (or .err) into a Markdown table and JSON
  bench storage-report -dir DIR [-md FILE] [-quick]
               the table of the storage phase (parvis-fs and parvis-s3, -phase storage)
  bench wait   -url URL [-status N] [-pid PID] [-timeout D]
               wait until URL answers (with status N if given), fail early if PID exits
  bench freeport
               print a free TCP port on 127.0.0.1
  bench imap-create -addr HOST:PORT -user U -pass P -mailbox NAME
               create a mailbox over IMAP (the Cyrus user that holds the CalDAV calendars)

Run "bench <command> -h" for the flags of one command.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "run":
		err = cmdRun(args)
	case "report":
		err = cmdReport(args)
	case "storage-report":
		err = cmdStorageReport(args)
	case "wait":
		err = cmdWait(args)
	case "freeport":
		err = cmdFreePort()
	case "imap-create":
		err = cmdIMAPCreate(args)
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "bench: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err == flag.ErrHelp {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
