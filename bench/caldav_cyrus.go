package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// cmdIMAPCreate creates a mailbox over IMAP, as cyradm's "cm" does: Cyrus
// keeps a user's calendars under their mailbox, so the CalDAV benchmark's
// user needs one before its first request (scripts/bench.sh).
func cmdIMAPCreate(args []string) error {
	fs := flag.NewFlagSet("imap-create", flag.ContinueOnError)
	addr := fs.String("addr", "", "IMAP server, HOST:PORT")
	user := fs.String("user", "cyrus", "administrator")
	pass := fs.String("pass", "", "administrator's password")
	mailbox := fs.String("mailbox", "", `mailbox to create, e.g. "user/bench"`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	conn, err := net.DialTimeout("tcp", *addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	rd := bufio.NewReader(conn)
	if line, err := rd.ReadString('\n'); err != nil || !strings.HasPrefix(line, "* OK") {
		return fmt.Errorf("IMAP greeting: %q %v", strings.TrimSpace(line), err)
	}
	quote := func(s string) string { return strconv.Quote(s) } // IMAP quoted strings escape \ and " alike
	for i, cmd := range []string{
		"LOGIN " + quote(*user) + " " + quote(*pass),
		"CREATE " + quote(*mailbox),
		"LOGOUT",
	} {
		tag := fmt.Sprintf("a%d", i)
		if _, err := fmt.Fprintf(conn, "%s %s\r\n", tag, cmd); err != nil {
			return err
		}
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				return fmt.Errorf("IMAP %s: %w", strings.Fields(cmd)[0], err)
			}
			if rest, ok := strings.CutPrefix(line, tag+" "); ok {
				if !strings.HasPrefix(rest, "OK") {
					return fmt.Errorf("IMAP %s: %s", strings.Fields(cmd)[0], strings.TrimSpace(rest))
				}
				break
			}
		}
	}
	return nil
}
