package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"parvis/config"
	"parvis/server"
)

// Env is what a command runs with, so that tests can drive the CLI in-process.
type Env struct {
	Args   []string // without the program name
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

const usage = `Usage:
  parvis [serve]                     run the server
  parvis config                      print the effective configuration (secrets masked)
  parvis version                     the version, revision and Go release of this binary
  parvis help                        this list (also --help, -h)
  parvis admin person add EMAIL [--name N] [--admin]     (password on stdin, first line)
  parvis admin person suspend|restore EMAIL   (nothing deleted; the last administrator stays)
  parvis admin person link EMAIL      a one-time link to choose a password, to hand over
  parvis admin person erase EMAIL     erase an account and its memberships (GDPR; audit kept)
  parvis admin person force-renewal [EMAIL] [--older-than 180d] [--never-changed]
                                     a new password at the next sign-in (app passwords keep working)
  parvis admin person renewals        who has not chosen their new password yet
  parvis admin group add SLUG [--name N] [--open]   (--open: the animators' validation is enough)
  parvis admin group set SLUG --requires-membership=true|false
  parvis admin group grant SLUG EMAIL --role animator|member|guest [--expires YYYY-MM-DD]
  parvis admin group remove SLUG EMAIL (refused for the last animator)
  parvis admin group quota SLUG SIZE  storage quota of a group, e.g. 20GB (0: none)
  parvis admin dues import FILE.csv   record dues from a payment platform's export (HelloAsso…)
  parvis admin check                 check the database and the stored files
  parvis restore --from-partner --identity FILE [--at TIME] [--resume]
                                     rebuild this instance from the partner's copy, into an empty data dir
Every command accepts --data DIR, --listen ADDR, --config FILE (see parvis serve -h).
`

// Main runs the command line and returns the exit status.
func Main(env Env) int {
	args := env.Args
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		cmd, args = "help", args[1:] // the commands; `parvis serve -h` gives serve's flags
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(env, args)
	case "config":
		err = printConfig(env, args)
	case "admin":
		err = admin(env, args)
	case "restore":
		err = restore(env, args)
	case "help":
		fmt.Fprint(env.Stdout, usage)
	case "version":
		fmt.Fprintln(env.Stdout, version())
	default:
		fmt.Fprint(env.Stderr, usage)
		return 2
	}
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "parvis: %v\n\n%s", err, usage)
		return 2
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintf(env.Stderr, "parvis: %v\n", err)
		return 1
	}
	return 0
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// command is a parsed command line: the configuration flags, the command's own flags, positionals.
type command struct {
	fs    *flag.FlagSet
	flags *config.Flags
	args  []string
}

func newCommand(name string, env Env) *command {
	fs := flag.NewFlagSet("parvis "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return &command{fs: fs, flags: config.RegisterFlags(fs)}
}

// given tells whether a flag was set on the command line (a bool's default cannot tell).
func (c *command) given(name string) bool {
	set := false
	c.fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// parse accepts flags before, between and after positional arguments (`group grant SLUG EMAIL --role x`).
func (c *command) parse(args []string) error {
	for {
		if err := c.fs.Parse(args); err != nil {
			return err
		}
		if c.fs.NArg() == 0 {
			return nil
		}
		c.args = append(c.args, c.fs.Arg(0))
		args = c.fs.Args()[1:]
	}
}

func (c *command) config(env Env) (config.Config, error) {
	return config.Load(c.flags, env.Getenv)
}

func serve(env Env, args []string) error {
	c := newCommand("serve", env)
	if err := c.parse(args); err != nil {
		return err
	}
	cfg, err := c.config(env)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return server.Run(ctx, cfg, env.Stdout, newLogger(env.Stderr, cfg.LogLevel))
}

func printConfig(env Env, args []string) error {
	c := newCommand("config", env)
	if err := c.parse(args); err != nil {
		return err
	}
	cfg, err := c.config(env)
	if err != nil {
		return err
	}
	return cfg.Print(env.Stdout)
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// readSecret reads the first line of stdin, for passwords given by scripts.
func readSecret(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
