// Package config holds Parvis' settings: one struct, filled in order from built-in defaults, a TOML
// file, PARVIS_* environment variables and command-line flags, then validated. Lower packages never
// see this struct: the server passes them plain values.
package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time_zone resolves on a server without /usr/share/zoneinfo
)

// Config is the effective configuration of one Parvis instance.
type Config struct {
	// DataDir holds the SQLite database, the local blob store and the lock files.
	DataDir string `toml:"data_dir" env:"DATA_DIR" flag:"data" help:"directory for the database and files"`
	// Listen is the address of the single HTTP listener (web pages and DAV).
	Listen string `toml:"listen" env:"LISTEN" flag:"listen" help:"address to listen on, host:port"`
	// BaseURL is the public address people use; links in mails and pages are built from it.
	// Empty means http://<listen>.
	BaseURL string `toml:"base_url" env:"BASE_URL" flag:"base-url" help:"public URL of the server"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `toml:"log_level" env:"LOG_LEVEL" flag:"log-level" help:"debug, info, warn or error"`
	// TimeZone is where the association lives (an IANA name): the pages show every date and time
	// there (files, audit log, devices), whatever zone the server's clock is set to.
	TimeZone string `toml:"time_zone" env:"TIME_ZONE" help:"IANA name, e.g. Europe/Paris"`

	// Activation says what joining a group that requires membership takes once its animators said
	// yes: "admin+dues" (an administrator activates, dues paid), "admin", "dues" (automatic once
	// paid) or "none".
	Activation string `toml:"activation" env:"ACTIVATION" help:"admin+dues, admin, dues or none"`
	// SuspendAfter is a day of the year, "MM-DD" (e.g. "04-30"): from the next day on, members who
	// have not paid the year's dues lose access to groups that require membership, until they pay.
	// Empty: never.
	SuspendAfter string `toml:"suspend_after" env:"SUSPEND_AFTER" help:"MM-DD, e.g. 04-30"`
	// SignUp lets people create their account from the sign-in page (then ask to join groups).
	SignUp bool `toml:"signup" env:"SIGNUP"`
	// AuditRetention is how long the audit log keeps an entry: long enough to review a year of
	// grants at the general assembly, not forever (people's traces are personal data).
	AuditRetention Duration `toml:"audit_retention" env:"AUDIT_RETENTION" help:"e.g. 400d"`
	// MetricsToken is the bearer token that /metrics (Prometheus) asks for; empty disables the
	// endpoint, which then answers 404.
	MetricsToken string `toml:"metrics_token" env:"METRICS_TOKEN" secret:"true"`
	// TrustedProxies are the addresses (or CIDR ranges) of the reverse proxies in front of the
	// server, whose X-Forwarded-For tells the client's address: the sign-in throttle counts per
	// client, not per proxy. Loopback by default, where the README's nginx runs.
	TrustedProxies string `toml:"trusted_proxies" env:"TRUSTED_PROXIES" help:"addresses or CIDR ranges, space-separated"`

	Storage     Storage     `toml:"storage"`
	Replication Replication `toml:"replication"`
	Files       Files       `toml:"files"`
	DAV         DAV         `toml:"dav"`
	SMTP        SMTP        `toml:"smtp"`
	Lists       Lists       `toml:"lists"`
}

// Storage selects and configures the blob store.
type Storage struct {
	// Driver is "fs" (files under DataDir/blobs) or "s3".
	Driver string `toml:"driver" env:"STORAGE_DRIVER" help:"fs or s3"`
	S3     S3     `toml:"s3"`
	// SpoolMax bounds the local disk that holds uploads while the S3 store is unreachable; when it is
	// full and the store still down, uploads are refused with 503 rather than lost.
	SpoolMax int64 `toml:"spool_max" env:"STORAGE_SPOOL_MAX"`
}

// Replication copies every content and the database, encrypted with age, to a bucket lent by a
// partner association. Empty Endpoint: no replication.
type Replication struct {
	Endpoint  string `toml:"endpoint" env:"REPLICA_ENDPOINT"`
	Bucket    string `toml:"bucket" env:"REPLICA_BUCKET"`
	Region    string `toml:"region" env:"REPLICA_REGION"`
	AccessKey string `toml:"access_key" env:"REPLICA_ACCESS_KEY"`
	SecretKey string `toml:"secret_key" env:"REPLICA_SECRET_KEY" secret:"true"`
	UseTLS    bool   `toml:"use_tls" env:"REPLICA_USE_TLS"`
	PathStyle bool   `toml:"path_style" env:"REPLICA_PATH_STYLE"`
	// Recipients are the age public keys (age1…) everything is encrypted to, separated by spaces,
	// commas or new lines: at least two, held by two people of the association. The partner holds none.
	Recipients string `toml:"recipients" env:"REPLICA_RECIPIENTS"`
	// IdentityFile is an age identity file (AGE-SECRET-KEY-1…) matching one of the recipients: with
	// it, the server reads contents back from the partner while its blob store is down. Optional:
	// without it failover reads are impossible. It stays on this server; the partner never gets it.
	IdentityFile string `toml:"identity_file" env:"REPLICA_IDENTITY_FILE"`
	// Timeout bounds each request to the partner and each stall of an upload: a partner that
	// hangs fails the attempt then, and the next one comes at the next interval.
	Timeout Duration `toml:"timeout" env:"REPLICA_TIMEOUT" help:"e.g. 30s"`
	// DBInterval is how often, at most, a changed database is shipped: the recovery point.
	DBInterval Duration `toml:"db_interval" env:"REPLICA_DB_INTERVAL"`
	// DeleteAfter is how long the partner keeps a content after the server stopped using it, so that
	// database copies shipped meanwhile can still be restored whole.
	DeleteAfter Duration `toml:"delete_after" env:"REPLICA_DELETE_AFTER"`
}

// RecipientList splits Recipients.
func (r *Replication) RecipientList() []string {
	return strings.FieldsFunc(r.Recipients, func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r' })
}

func (r *Replication) validate() error {
	if r.Endpoint == "" {
		if r.IdentityFile != "" {
			return keyError("replication.identity_file", "is only used with replication.endpoint")
		}
		return nil
	}
	if r.Bucket == "" {
		return keyError("replication.bucket", "must be set when replication.endpoint is")
	}
	keys := r.RecipientList()
	if len(keys) < 2 {
		return keyError("replication.recipients", "needs at least two age public keys (age1…), held by two different people: with one, losing it loses the copy")
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, "age1") {
			return keyError("replication.recipients", fmt.Sprintf("%q is not an age public key (age1…)", k))
		}
	}
	if r.DeleteAfter.Duration < 0 {
		return keyError("replication.delete_after", "must not be negative")
	}
	if r.DBInterval.Duration < time.Second {
		return keyError("replication.db_interval", "must be at least 1s")
	}
	if r.Timeout.Duration < time.Second {
		return keyError("replication.timeout", "must be at least 1s")
	}
	return nil
}

// replicaTimeout is replication.timeout's default: longer than the primary's, as the partner is
// reached over the association's uplink.
const replicaTimeout = 30 * time.Second

// S3 is an S3-compatible endpoint.
type S3 struct {
	Endpoint  string `toml:"endpoint" env:"S3_ENDPOINT"`
	Bucket    string `toml:"bucket" env:"S3_BUCKET"`
	Region    string `toml:"region" env:"S3_REGION"`
	AccessKey string `toml:"access_key" env:"S3_ACCESS_KEY"`
	SecretKey string `toml:"secret_key" env:"S3_SECRET_KEY" secret:"true"`
	UseTLS    bool   `toml:"use_tls" env:"S3_USE_TLS"`
	PathStyle bool   `toml:"path_style" env:"S3_PATH_STYLE"`
	// Timeout bounds each request to the store and each stall of a transfer: past it, a store
	// that stopped answering is treated as down (the failover takes over).
	Timeout Duration `toml:"timeout" env:"S3_TIMEOUT" help:"e.g. 10s"`
}

// Files says how long deleted files and previous versions stay restorable.
type Files struct {
	TrashRetention   Duration `toml:"trash_retention" env:"TRASH_RETENTION"`
	VersionRetention Duration `toml:"version_retention" env:"VERSION_RETENTION"`
	MaxVersions      int      `toml:"max_versions" env:"MAX_VERSIONS"`
}

// DAV tunes the WebDAV front.
type DAV struct {
	// MaxLockTimeout caps the timeout a client may ask for a lock.
	MaxLockTimeout Duration `toml:"max_lock_timeout" env:"DAV_MAX_LOCK_TIMEOUT"`
	// MaxXMLBody caps PROPFIND, PROPPATCH and LOCK bodies, read in full to parse them.
	MaxXMLBody int64 `toml:"max_xml_body" env:"DAV_MAX_XML_BODY"`
}

// SMTP is the outbound mail server; an empty Host keeps mails in the server's outbox.
type SMTP struct {
	Host     string `toml:"host" env:"SMTP_HOST"`
	Port     int    `toml:"port" env:"SMTP_PORT"`
	Username string `toml:"username" env:"SMTP_USERNAME"`
	Password string `toml:"password" env:"SMTP_PASSWORD" secret:"true"`
	From     string `toml:"from" env:"SMTP_FROM"`
	// TLS is "starttls" (required, port 587), "tls" (implicit, port 465) or "none" (a relay on
	// this machine only).
	TLS string `toml:"tls" env:"SMTP_TLS"`
}

// Lists are the groups' mailing lists. Without a Domain there are none: the pages do not offer
// them. Mail for the domain reaches Parvis over LMTP from the host's mail server (Postfix, Exim),
// or, with an SMTP address, directly.
type Lists struct {
	// Domain is the lists' mail domain (listes.example.org): a list "atelier" is atelier@Domain.
	Domain string `toml:"domain" env:"LISTS_DOMAIN"`
	// LMTP is where the host's mail server hands the domain's mail: host:port on loopback, or the
	// path of a Unix socket (starting with /).
	LMTP string `toml:"lmtp" env:"LISTS_LMTP" help:"127.0.0.1:2424 or /run/parvis/lmtp.sock"`
	// MaxSize caps one message, attachments included, in bytes: a 10 MB attachment is about 14 MB
	// once encoded.
	MaxSize int64 `toml:"max_size" env:"LISTS_MAX_SIZE"`
	// MaxPerHour is how many messages one person may send to the lists in an hour. Past it their
	// mail server is asked to try again later (nothing is lost): an auto-reply loop or a stolen
	// account slows down instead of flooding every member.
	MaxPerHour int `toml:"max_per_hour" env:"LISTS_MAX_PER_HOUR"`
	// FromRewrite is when a list writes From as "Name via List": "dmarc" (when the author's domain
	// publishes a quarantine or reject policy, whose receivers would otherwise refuse the copy),
	// "always" or "never".
	FromRewrite string `toml:"from_rewrite" env:"LISTS_FROM_REWRITE" help:"dmarc, always or never"`
	// DigestHour is the hour (0–23, in time_zone) the daily digests go out to those who chose them.
	DigestHour int `toml:"digest_hour" env:"LISTS_DIGEST_HOUR"`
	// MailmanURL is the REST API of a Mailman 3 the association keeps (http://127.0.0.1:8001/3.1):
	// each list's members in force are fed to the Mailman list of the same address.
	MailmanURL string `toml:"mailman_url" env:"LISTS_MAILMAN_URL" help:"http://127.0.0.1:8001/3.1"`
	// MailmanUser and MailmanPassword are Mailman's REST credentials ([webservice] admin_user and
	// admin_pass in mailman.cfg).
	MailmanUser     string `toml:"mailman_user" env:"LISTS_MAILMAN_USER"`
	MailmanPassword string `toml:"mailman_password" env:"LISTS_MAILMAN_PASSWORD" secret:"true"`
	// FeedPassword opens each list's members in force as a plain-text feed, at
	// /lists/feed/<address>, to a list server the association keeps (Sympa's remote data source,
	// user "feed"); empty: no feeds. At least 24 characters: it opens every list's addresses.
	FeedPassword string `toml:"feed_password" env:"LISTS_FEED_PASSWORD" secret:"true"`
}

// Duration is a time.Duration written as "30m" in TOML and the environment.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string, or a number of days like "400d": retentions are
// thought of in days.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// ParseDuration reads "30m", "2h" (Go durations) or "180d" (whole days).
func ParseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 && n < 100000 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("not a duration like 30m, 2h or 400d: %q", s)
	}
	return v, nil
}

// MarshalText prints the duration the way it is written.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Defaults returns the embedded default: SQLite and local files under ./data, on localhost:8080.
func Defaults() Config {
	return Config{
		DataDir:        "./data",
		Listen:         "localhost:8080",
		LogLevel:       "info",
		TimeZone:       "Europe/Paris",
		Activation:     "admin+dues",
		SignUp:         true,
		AuditRetention: Duration{400 * 24 * time.Hour},
		TrustedProxies: "127.0.0.0/8 ::1/128",
		Storage:        Storage{Driver: "fs", SpoolMax: 10 << 30, S3: S3{Timeout: Duration{10 * time.Second}}},
		Replication:    Replication{Timeout: Duration{replicaTimeout}, DBInterval: Duration{10 * time.Second}, DeleteAfter: Duration{30 * 24 * time.Hour}},
		Files: Files{
			TrashRetention:   Duration{30 * 24 * time.Hour},
			VersionRetention: Duration{90 * 24 * time.Hour},
			MaxVersions:      20,
		},
		DAV: DAV{
			MaxLockTimeout: Duration{time.Hour},
			MaxXMLBody:     1 << 20,
		},
		SMTP:  SMTP{Port: 587, TLS: "starttls"},
		Lists: Lists{MaxSize: 25 << 20, MaxPerHour: 30, FromRewrite: "dmarc", DigestHour: 7},
	}
}

// Validate checks every value and names the key of the first bad one.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		return keyError("data_dir", "must not be empty")
	}
	if _, err := c.TrustedNets(); err != nil {
		return keyError("trusted_proxies", err.Error())
	}
	if _, port, err := net.SplitHostPort(c.Listen); err != nil || port == "" {
		return keyError("listen", fmt.Sprintf("%q is not host:port (for example localhost:8080)", c.Listen))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return keyError("base_url", fmt.Sprintf("%q is not an http(s) URL", c.BaseURL))
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return keyError("log_level", fmt.Sprintf("%q is not one of debug, info, warn, error", c.LogLevel))
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" || c.TimeZone == "Local" {
		return keyError("time_zone", fmt.Sprintf("%q is not a time zone name like Europe/Paris", c.TimeZone))
	}
	if c.SuspendAfter != "" {
		if _, err := time.Parse("01-02", c.SuspendAfter); err != nil {
			return keyError("suspend_after", fmt.Sprintf("%q is not a day like 04-30", c.SuspendAfter))
		}
	}
	switch c.Activation {
	case "admin+dues", "admin", "dues", "none":
	default:
		return keyError("activation", fmt.Sprintf("%q is not admin+dues, admin, dues or none", c.Activation))
	}
	if err := c.Storage.validate(); err != nil {
		return err
	}
	if err := c.Replication.validate(); err != nil {
		return err
	}
	if c.AuditRetention.Duration < 24*time.Hour {
		return keyError("audit_retention", "must be at least 1d")
	}
	if c.Files.TrashRetention.Duration < time.Hour {
		return keyError("files.trash_retention", "must be at least 1h")
	}
	if c.Files.VersionRetention.Duration < time.Hour {
		return keyError("files.version_retention", "must be at least 1h")
	}
	if c.Files.MaxVersions < 0 || c.Files.MaxVersions > 1000 {
		return keyError("files.max_versions", "must be between 0 and 1000")
	}
	if c.DAV.MaxLockTimeout.Duration <= 0 {
		return keyError("dav.max_lock_timeout", "must be positive")
	}
	if c.DAV.MaxXMLBody < 4096 {
		return keyError("dav.max_xml_body", "must be at least 4096 bytes")
	}
	if c.SMTP.Port <= 0 || c.SMTP.Port > 65535 {
		return keyError("smtp.port", fmt.Sprintf("%d is not a TCP port", c.SMTP.Port))
	}
	switch c.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		return keyError("smtp.tls", fmt.Sprintf("%q is not starttls, tls or none", c.SMTP.TLS))
	}
	if c.SMTP.Host != "" && c.SMTP.From == "" {
		return keyError("smtp.from", "must be set when smtp.host is")
	}
	return c.Lists.validate()
}

func (l *Lists) validate() error {
	if l.Domain != "" && (strings.ContainsAny(l.Domain, "@ /") || !strings.Contains(l.Domain, ".")) {
		return keyError("lists.domain", fmt.Sprintf("%q is not a mail domain like listes.example.org", l.Domain))
	}
	if l.LMTP != "" && l.Domain == "" {
		return keyError("lists.lmtp", "is only used with lists.domain")
	}
	if l.MailmanURL != "" {
		if l.Domain == "" {
			return keyError("lists.mailman_url", "is only used with lists.domain")
		}
		if u, err := url.Parse(l.MailmanURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return keyError("lists.mailman_url", fmt.Sprintf("%q is not an address like http://127.0.0.1:8001/3.1", l.MailmanURL))
		}
		if l.MailmanUser == "" || l.MailmanPassword == "" {
			return keyError("lists.mailman_user", "and lists.mailman_password must be set with lists.mailman_url")
		}
	}
	if l.FeedPassword != "" && l.Domain == "" {
		return keyError("lists.feed_password", "is only used with lists.domain")
	}
	if l.FeedPassword != "" && len(l.FeedPassword) < 24 {
		return keyError("lists.feed_password", "must be at least 24 characters (openssl rand -base64 24)")
	}
	if l.MaxSize < 64<<10 {
		return keyError("lists.max_size", "must be at least 65536 bytes")
	}
	if l.MaxPerHour < 1 {
		return keyError("lists.max_per_hour", "must be at least 1")
	}
	if l.DigestHour < 0 || l.DigestHour > 23 {
		return keyError("lists.digest_hour", "must be an hour from 0 to 23")
	}
	switch l.FromRewrite {
	case "dmarc", "always", "never":
	default:
		return keyError("lists.from_rewrite", fmt.Sprintf("%q is not dmarc, always or never", l.FromRewrite))
	}
	return nil
}

func (s *Storage) validate() error {
	switch s.Driver {
	case "fs":
		return nil
	case "s3":
		if s.SpoolMax < 0 {
			return keyError("storage.spool_max", "must not be negative")
		}
		for key, v := range map[string]string{"storage.s3.endpoint": s.S3.Endpoint, "storage.s3.bucket": s.S3.Bucket} {
			if v == "" {
				return keyError(key, "must be set when storage.driver is s3")
			}
		}
		return nil
	default:
		return keyError("storage.driver", fmt.Sprintf("%q is not fs or s3", s.Driver))
	}
}

// PublicURL is the base of every link handed to people, without a trailing slash.
func (c *Config) PublicURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	host, port, err := net.SplitHostPort(c.Listen)
	if err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		return "http://localhost:" + port // listening everywhere: this machine's name is the safe guess
	}
	return "http://" + c.Listen
}

// KeyError is a configuration error about one key.
type KeyError struct {
	Key, Msg string
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("config: %s (%s): %s", e.Key, EnvName(e.Key), e.Msg)
}

func keyError(key, msg string) error { return &KeyError{Key: key, Msg: msg} }

// TrustedNets are the trusted proxies as address ranges.
func (c *Config) TrustedNets() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(c.TrustedProxies, func(r rune) bool { return r == ' ' || r == ',' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		} else {
			return nil, fmt.Errorf("%q is not an address or a CIDR range", f)
		}
	}
	return out, nil
}

// Location is the association's time zone; Validate has checked its name.
func (c Config) Location() *time.Location {
	if loc, err := time.LoadLocation(c.TimeZone); err == nil && c.TimeZone != "" {
		return loc
	}
	loc, _ := time.LoadLocation("Europe/Paris")
	return loc
}
