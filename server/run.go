// Package server is the composition root: it builds every part of Parvis from the configuration,
// serves them behind one listener, runs the background work and shuts down gracefully. The command
// line (package cli) opens the same parts through Open to script them.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"parvis/access"
	"parvis/calendar/calhttp"
	"parvis/calendar/icsfeed"
	"parvis/config"
	"parvis/dav"
	"parvis/files"
	"parvis/lists"
	"parvis/mail"
	"parvis/meeting"
	"parvis/share"
	"parvis/storage/blob"
	"parvis/storage/db"
	"parvis/storage/replica"
	"parvis/ui"

	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// Instance is an opened data directory: what both the server and the admin commands work on.
type Instance struct {
	cfg    config.Config
	db     *db.DB
	blobs  blob.Store
	access *access.Service
	files  *files.Service
	repl   *replication // the failover store in blobs, the partner, the replicator (server/replica.go)
	// notices queues the mails of access's actions.
	notices *mail.Notices
	// meetings are the groups' date polls (and their meetings' life).
	meetings *meeting.Service
}

// Open opens the database and the blob store of the configured data directory, creating them.
func Open(ctx context.Context, cfg config.Config) (*Instance, error) {
	return openLogged(ctx, cfg, slog.Default())
}

// openLogged is open with the logger the blob store's failover reports to.
func openLogged(ctx context.Context, cfg config.Config, log *slog.Logger) (*Instance, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	d, err := db.Open(ctx, filepath.Join(cfg.DataDir, "parvis.db"))
	if err != nil {
		return nil, err
	}
	var blobs blob.Store
	switch cfg.Storage.Driver {
	case "fs":
		blobs, err = blob.Open("fs", filepath.Join(cfg.DataDir, "blobs"))
	case "s3":
		s3 := cfg.Storage.S3
		var st *blob.S3
		st, err = blob.OpenS3(ctx, blob.S3Config{Endpoint: s3.Endpoint, Bucket: s3.Bucket, Region: s3.Region,
			AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, UseTLS: s3.UseTLS, PathStyle: s3.PathStyle, Timeout: s3.Timeout.Duration})
		if st != nil {
			blobs = st
		}
		if errors.Is(err, blob.ErrUnavailable) && st != nil {
			// Start degraded rather than not at all: reads come from the partner, uploads wait in the
			// spool (as while running), and the administration works.
			log.Warn(fmt.Sprintf("storage: the primary S3 store (storage.s3.endpoint = %s) does not answer: starting without it — "+
				"files are read from the partner if one is configured, uploads wait in the local spool", s3.Endpoint), "err", err)
			err = nil
		}
	default:
		err = fmt.Errorf("storage driver %q is not available", cfg.Storage.Driver)
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	repl, err := openReplication(ctx, cfg, d, blobs, log)
	if err != nil {
		blobs.Close()
		d.Close()
		return nil, err
	}
	blobs = repl.failover
	acc := access.New(d)
	policy := access.Policy{Zone: cfg.Location(), AdminActivates: strings.Contains(cfg.Activation, "admin"), DuesRequired: strings.Contains(cfg.Activation, "dues")}
	if day, err := time.Parse("01-02", cfg.SuspendAfter); err == nil {
		policy.SuspendMonth, policy.SuspendDay = day.Month(), day.Day()
	}
	acc.SetPolicy(policy)
	acc.SetListFeedPassword(cfg.Lists.FeedPassword)
	mails := mail.NewNotices(cfg.PublicURL())
	acc.SetNotifier(mails)
	fs := files.New(d, blobs, files.Retention{Trash: cfg.Files.TrashRetention.Duration, Versions: cfg.Files.VersionRetention.Duration,
		MaxVersions: cfg.Files.MaxVersions, Partner: cfg.Replication.DeleteAfter.Duration})
	meetings := meeting.New(d, acc, fs)
	meetings.SetZone(cfg.Location())
	meetings.SetNotifier(mails)
	return &Instance{cfg: cfg, db: d, blobs: blobs, access: acc, notices: mails, meetings: meetings, repl: repl, files: fs}, nil
}

// Access is the instance's authorization and people service, for the administration commands.
func (in *Instance) Access() *access.Service { return in.access }

// Close releases the database, the blob store and the replicator.
func (in *Instance) Close() error {
	return errors.Join(in.repl.Close(), in.blobs.Close(), in.db.Close())
}

// Server is a built Parvis: every part wired, ready to serve.
type Server struct {
	mail  *mail.Queue
	lists *lists.Service
	cfg   config.Config
	in    *Instance
	log   *slog.Logger
	front *frontDoor
}

// New builds a server from the configuration: database, blob store, services, handlers.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (*Server, error) {
	if err := replica.CheckRestored(cfg.DataDir); err != nil {
		return nil, err
	}
	in, err := openLogged(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if err := in.repl.start(ctx, in.db, in.files); err != nil {
		in.Close()
		return nil, err
	}
	davFiles := &dav.Handler{
		Files: in.files, Access: in.access, Prefix: "/dav/files",
		MaxXMLBody: cfg.DAV.MaxXMLBody, MaxLockTimeout: cfg.DAV.MaxLockTimeout.Duration,
		FreeSpace: func() int64 { return freeSpace(cfg.DataDir) }, Log: log,
	}
	cal := &calhttp.Handler{DB: in.db, Access: in.access, MaxXMLBody: cfg.DAV.MaxXMLBody, PublicURL: cfg.PublicURL(),
		Scheduler: in.meetings, Zone: cfg.Location(), Log: log}
	mails := mail.NewQueue(in.db, mail.SMTP{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username,
		Password: cfg.SMTP.Password, From: cfg.SMTP.From, TLS: cfg.SMTP.TLS}, log)
	in.notices.SendWith(mails)
	s := &Server{cfg: cfg, in: in, log: log, mail: mails, lists: newLists(cfg, in, mails, log)}
	monitor := in.repl.monitor
	web, err := ui.New(ui.Deps{Access: in.access, Files: in.files, Meetings: in.meetings, Lists: s.lists, Mail: mails, PublicURL: cfg.PublicURL(), SignUp: cfg.SignUp, Zone: cfg.Location(), Log: log,
		StorageKind: cfg.Storage.Driver, Monitor: monitor, DB: in.db, Snapshots: s.partnerSnapshots})
	if err != nil {
		in.Close()
		return nil, err
	}
	s.front = &frontDoor{access: in.access, dav: davFiles, cal: cal, web: web, webH: adaptor.FiberApp(web), log: log,
		zip: &folderZip{access: in.access, files: in.files, log: log},
		share: &share.Handler{Files: in.files, Access: in.access, Log: log,
			Secure: strings.HasPrefix(cfg.PublicURL(), "https://")}, ics: &icsfeed.Handler{DB: in.db, Log: log},
		metrics: metricsHandler(cfg.MetricsToken, in.db, monitor, log)}
	s.front.table = s.front.surfaces()
	s.front.trusted, _ = cfg.TrustedNets() // checked by config.Validate
	return s, nil
}

// Handler is the front door: every request of every protocol enters here.
func (s *Server) Handler() http.Handler { return s.front }

// Close releases the database and the blob store.
func (s *Server) Close() error {
	return errors.Join(s.front.web.Shutdown(), s.in.Close())
}

// gcPercent is the garbage collector's target unless GOGC says otherwise. The live heap is small
// (tens of MiB) and every small download copies its content a few times, so Go's default of 100
// collects very often; 200 trades a few MiB for a fifth more downloads per second.
const gcPercent = 200

// Run serves until ctx is cancelled, then drains the open requests.
func Run(ctx context.Context, cfg config.Config, out io.Writer, log *slog.Logger) error {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	s, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer s.Close()
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 30 * time.Second, // uploads may take hours; only the headers are timed
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10, // long If and Destination headers, cookies
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s (listen): %w", cfg.Listen, err)
	}
	fmt.Fprintf(out, "Parvis is listening on %s (data in %s)\n", cfg.PublicURL(), cfg.DataDir)
	fmt.Fprintf(out, "WebDAV folders: %s/dav/files/\n", cfg.PublicURL())
	fmt.Fprintf(out, "Agendas and contacts (CalDAV/CardDAV): %s/\n", cfg.PublicURL())
	if link, err := s.in.access.FirstAdminLink(ctx); err != nil {
		return err
	} else if link != "" {
		fmt.Fprintf(out, "No administrator yet. Create the first one within 24 hours with this one-time link:\n  %s/setup/%s\n", cfg.PublicURL(), link)
	}

	go housekeeping(ctx, s.in, log, s.adminChores)
	go s.mail.Run(ctx)
	if err := s.serveLists(ctx, out); err != nil {
		return err
	}
	if cfg.Replication.Endpoint != "" {
		go s.shipDatabase(ctx)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// Periods of the background work.
const (
	housekeepingEvery = time.Minute
	gcEvery           = 10 * time.Minute
	gcGrace           = time.Hour
)

// housekeeping purges expired locks every minute; every ten, it applies the retention of the trash
// and the versions, collects the contents nothing references any more, warns guests whose access
// ends soon and applies the audit log's retention.
func housekeeping(ctx context.Context, in *Instance, log *slog.Logger, chores func(context.Context)) {
	t := time.NewTicker(housekeepingEvery)
	defer t.Stop()
	lastGC := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := in.files.ExpireLocks(ctx); err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: locks", "err", err)
		}
		if time.Since(lastGC) >= gcEvery {
			lastGC = time.Now()
			if t, v, err := in.files.Expire(ctx, time.Now()); err != nil && ctx.Err() == nil {
				log.Warn("housekeeping: retention", "err", err)
			} else if t+v > 0 {
				log.Info("housekeeping: retention ended", "trash_items", t, "versions", v)
			}
			if n, err := in.files.CollectGarbage(ctx, gcGrace); err != nil && ctx.Err() == nil {
				log.Warn("housekeeping: garbage collection", "err", err)
			} else if n > 0 {
				log.Info("housekeeping: deleted unreferenced contents", "count", n)
			}
			chores(ctx)
		}
	}
}

// freeSpace returns the bytes available to us on the file system of dir.
func freeSpace(dir string) int64 {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return 0
	}
	return int64(st.Bavail) * st.Bsize
}
