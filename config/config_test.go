package config

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadOrder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "parvis.toml")
	os.WriteFile(file, []byte("listen = \"127.0.0.1:9000\"\nlog_level = \"debug\"\n[storage.s3]\nsecret_key = \"s3cr3t\"\n[dav]\nmax_lock_timeout = \"10m\"\n"), 0o600)

	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	flags := RegisterFlags(fs)
	if err := fs.Parse([]string{"--data", dir, "--log-level", "warn"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(flags, env(map[string]string{"PARVIS_LISTEN": "127.0.0.1:9001", "PARVIS_LOG_LEVEL": "error"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != dir {
		t.Errorf("data dir from flag: got %q", c.DataDir)
	}
	if c.Listen != "127.0.0.1:9001" {
		t.Errorf("env must override file: got %q", c.Listen)
	}
	if c.LogLevel != "warn" {
		t.Errorf("flag must override env: got %q", c.LogLevel)
	}
	if c.DAV.MaxLockTimeout.Duration != 10*time.Minute {
		t.Errorf("duration from file: got %v", c.DAV.MaxLockTimeout)
	}
	var out bytes.Buffer
	c.Print(&out)
	if strings.Contains(out.String(), "s3cr3t") || !strings.Contains(out.String(), `storage.s3.secret_key = "********"`) {
		t.Errorf("secret not masked:\n%s", out.String())
	}
	if !strings.Contains(out.String(), `listen = "127.0.0.1:9001"`) {
		t.Errorf("effective listen missing:\n%s", out.String())
	}
}

func TestInvalidValueNamesKey(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"PARVIS_LISTEN": "nonsense"}, "listen (PARVIS_LISTEN)"},
		{map[string]string{"PARVIS_STORAGE_DRIVER": "ftp"}, "storage.driver (PARVIS_STORAGE_DRIVER)"},
		{map[string]string{"PARVIS_STORAGE_DRIVER": "s3"}, "storage.s3."},
		{map[string]string{"PARVIS_SMTP_PORT": "x"}, "smtp.port (PARVIS_SMTP_PORT)"},
		{map[string]string{"PARVIS_DAV_MAX_LOCK_TIMEOUT": "soon"}, "dav.max_lock_timeout"},
		{map[string]string{"PARVIS_BASE_URL": "ftp://x"}, "base_url"},
		{map[string]string{"PARVIS_ACTIVATION": "vote"}, "activation (PARVIS_ACTIVATION)"},
		{map[string]string{"PARVIS_SMTP_TLS": "ssl3"}, "smtp.tls"},
		{map[string]string{"PARVIS_AUDIT_RETENTION": "2h"}, "audit_retention (PARVIS_AUDIT_RETENTION)"},
		{map[string]string{"PARVIS_AUDIT_RETENTION": "longtemps"}, "audit_retention"},
		{map[string]string{"PARVIS_LISTS_MAILMAN_URL": "http://127.0.0.1:8001/3.1"}, "lists.mailman_url"},
		{map[string]string{"PARVIS_LISTS_DOMAIN": "listes.example.org", "PARVIS_LISTS_MAILMAN_URL": "127.0.0.1:8001"}, "lists.mailman_url"},
		{map[string]string{"PARVIS_LISTS_DOMAIN": "listes.example.org", "PARVIS_LISTS_MAILMAN_URL": "http://127.0.0.1:8001/3.1"}, "lists.mailman_password"},
		{map[string]string{"PARVIS_LISTS_DOMAIN": "listes.example.org", "PARVIS_LISTS_MAX_PER_HOUR": "0"}, "lists.max_per_hour"},
		{map[string]string{"PARVIS_LISTS_DOMAIN": "listes.example.org", "PARVIS_LISTS_FEED_PASSWORD": "court"}, "lists.feed_password"},
	}
	for _, tc := range cases {
		tc.env["PARVIS_DATA_DIR"] = t.TempDir()
		_, err := Load(nil, env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want mention of %q", tc.env, err, tc.want)
		}
	}
}

func TestUnknownKeyInFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "parvis.toml"), []byte("lisen = \"x\"\n"), 0o600)
	_, err := Load(nil, env(map[string]string{"PARVIS_DATA_DIR": dir}))
	if err == nil || !strings.Contains(err.Error(), "lisen") {
		t.Fatalf("got %v", err)
	}
}

func TestExplicitMissingFile(t *testing.T) {
	_, err := Load(nil, env(map[string]string{"PARVIS_CONFIG": "/nonexistent/parvis.toml"}))
	if err == nil {
		t.Fatal("an explicit config file that does not exist must fail the start")
	}
}

// TestAuditRetention: 400 days by default, written in days or as a Go duration.
func TestAuditRetention(t *testing.T) {
	for v, want := range map[string]time.Duration{"": 400 * 24 * time.Hour, "30d": 30 * 24 * time.Hour, "720h": 720 * time.Hour} {
		e := map[string]string{"PARVIS_DATA_DIR": t.TempDir()}
		if v != "" {
			e["PARVIS_AUDIT_RETENTION"] = v
		}
		c, err := Load(nil, env(e))
		if err != nil || c.AuditRetention.Duration != want {
			t.Errorf("audit_retention %q: %v, %v; want %v", v, c.AuditRetention, err, want)
		}
	}
}
