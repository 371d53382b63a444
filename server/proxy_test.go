package server

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// nginxProxy runs Debian's nginx on a loopback port in front of backend, as the README's set-up
// does, and returns its address.
func nginxProxy(t *testing.T, backend string) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx"
		if _, err := os.Stat(bin); err != nil {
			t.Fatal("nginx is not installed: run scripts/test-deps.sh")
		}
	}
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	conf := fmt.Sprintf(`worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path %[1]s/body; proxy_temp_path %[1]s/proxy; fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi; scgi_temp_path %[1]s/scgi;
  server {
    listen %[2]s;
    location / {
      proxy_pass http://%[3]s;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`, dir, addr, strings.TrimPrefix(backend, "http://"))
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", path, "-p", dir, "-g", "daemon off;")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the master and its worker, stopped together
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not start:\n%s", log)
		}
	}
}

// clientFrom is an HTTP client whose connections leave from a loopback address of its own: a
// person's machine, as the proxy sees it.
func clientFrom(addr string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}, Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 64}}
}

// davSignInVia sends a PROPFIND with credentials through the proxy and returns its status.
func davSignInVia(t *testing.T, c *http.Client, base, user, password string) int {
	hr, _ := http.NewRequest("PROPFIND", base+"/dav/files/", nil)
	hr.Header.Set("Depth", "0")
	hr.SetBasicAuth(user, password)
	resp, err := c.Do(hr)
	if err != nil {
		t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestThrottleBehindNginx: behind a real nginx, the throttle counts each client by the address the
// proxy forwards. 1,000 wrong passwords from one machine, for alice and other accounts, get no more
// checks than the address's limit allows, in sequence or in parallel bursts; meanwhile bob, from another machine, signs in,
// and alice's device, already signed in, keeps syncing; a client that forges X-Forwarded-For is
// still counted by the address the proxy saw.
func TestThrottleBehindNginx(t *testing.T) {
	cfg := testConfig(t)
	cfg.TrustedProxies = "127.0.0.1" // nginx; the people's machines are 127.0.0.5 and up
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	proxy := nginxProxy(t, ts.URL)
	attacker, device, other := clientFrom("127.0.0.5"), clientFrom("127.0.0.7"), clientFrom("127.0.0.6")
	if c := davSignInVia(t, device, proxy, alice, pw); c != 207 {
		t.Fatalf("alice's device through nginx: %d", c)
	}
	// The attacker tries alice's account and others (credential stuffing): the address's limit is
	// what stops it, and it must be the attacker's address, not the proxy's.
	victim := func(i int) string {
		if i%3 == 0 {
			return alice
		}
		return fmt.Sprintf("inconnu%d@example.org", i%40)
	}
	checked := 0
	for i := range 500 {
		switch c := davSignInVia(t, attacker, proxy, victim(i), fmt.Sprintf("devine-%d", i)); c {
		case 401:
			checked++
		case 429:
		default:
			t.Fatalf("guess %d: %d", i, c)
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for burst := range 10 {
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if c := davSignInVia(t, attacker, proxy, victim(i), fmt.Sprintf("rafale-%d-%d", burst, i)); c == 401 {
					mu.Lock()
					checked++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	}
	if checked > 30 {
		t.Fatalf("1,000 guesses got %d password checks, want at most the address's limit of 30", checked)
	}
	if c := davSignInVia(t, other, proxy, bob, pw); c != 207 {
		t.Fatalf("bob from another machine while alice's account is attacked: %d, want 207", c)
	}
	if c := davSignInVia(t, other, proxy, anna, "une erreur"); c != 401 {
		t.Fatalf("a mistake by anna from another machine: %d, want 401 (the attacker's address is not hers)", c)
	}
	for range 3 {
		if c := davSignInVia(t, device, proxy, alice, pw); c != 207 {
			t.Fatalf("alice's device during the attack: %d, want 207", c)
		}
	}
	// The attacker cannot pass for someone else by writing X-Forwarded-For: nginx appends the
	// address it saw, and that is the one counted.
	hr, _ := http.NewRequest("PROPFIND", proxy+"/dav/files/", nil)
	hr.Header.Set("Depth", "0")
	hr.Header.Set("X-Forwarded-For", "127.0.0.9")
	hr.SetBasicAuth(bob, "devine")
	for range 35 {
		resp, err := attacker.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if c := davSignInVia(t, clientFrom("127.0.0.9"), proxy, bob, pw); c != 207 {
		t.Fatalf("bob from 127.0.0.9 after guesses forged as coming from there: %d, want 207", c)
	}
}
