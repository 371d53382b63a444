package server

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// postfixRelay runs Debian's Postfix on loopback as the README's set-up does, its SMTP server on
// addr taking mail from loopback only: it hands the lists' domain to Parvis's LMTP listener at
// lmtp and relays everything else to relay (the outside world).
func postfixRelay(t *testing.T, addr, domain, lmtp, relay string) {
	t.Helper()
	if _, err := os.Stat("/usr/sbin/postfix"); err != nil {
		t.Fatal("postfix is not installed: run scripts/test-deps.sh")
	}
	pf, err := user.Lookup("postfix")
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(pf.Uid)
	// Postfix's daemons run as the postfix user: the instance lives in a directory they may enter,
	// not in t.TempDir (private to root).
	dir, err := os.MkdirTemp("/tmp", "parvis-postfix-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"", "conf", "queue", "data"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(filepath.Join(dir, "data"), uid, -1); err != nil {
		t.Fatal(err)
	}
	main := fmt.Sprintf(`compatibility_level = 3.6
queue_directory = %[1]s/queue
data_directory = %[1]s/data
maillog_file_prefixes = %[1]s
maillog_file = %[1]s/maillog
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = relay.example.net
mydestination =
mynetworks = 127.0.0.0/8
relay_domains = %[2]s
transport_maps = inline:{ %[2]s=lmtp:inet:%[3]s }
relayhost = [%[4]s]:%[5]s
smtp_dns_support_level = disabled
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
message_size_limit = 52428800
`, dir, domain, lmtp, strings.Split(relay, ":")[0], strings.Split(relay, ":")[1])
	if err := os.WriteFile(filepath.Join(dir, "conf", "main.cf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "conf", "master.cf"), []byte(masterCF(t, addr)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/sbin/postfix", "-c", filepath.Join(dir, "conf"), "start-fg")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the master and its daemons, stopped together
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "maillog"))
			t.Logf("postfix's log:\n%s", log)
		}
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("postfix stopped (%v)", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("postfix did not start")
		}
	}
}

// masterCF is Debian's master.cf with the SMTP server on addr and nothing chrooted (a chroot
// would need a copy of /etc inside the queue directory).
func masterCF(t *testing.T, addr string) string {
	b, err := os.ReadFile("/etc/postfix/master.cf")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 8 && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, " ") {
			if f[0] == "smtp" && f[1] == "inet" {
				f[0] = addr
			}
			f[4] = "n"
			line = strings.Join(f, " ")
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// freeAddr is a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
