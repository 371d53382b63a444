package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"parvis/access"
	"parvis/config"
	"parvis/server"
	"parvis/storage/db"

	"github.com/dustin/go-humanize"
)

// admin runs `parvis admin …`: scripting an instance, with the machine's trust (audited as "cli").
func admin(env Env, args []string) error {
	args = flagsLast(args)
	if len(args) == 0 {
		return usageError{"admin: missing command"}
	}
	key := args[0]
	if len(args) > 1 && !strings.HasPrefix(args[1], "-") && (args[0] == "person" || args[0] == "group" || args[0] == "dues") {
		key += " " + args[1]
		args = args[2:]
	} else {
		args = args[1:]
	}
	c := newCommand("admin "+key, env)
	name := c.fs.String("name", "", "display name")
	isAdmin := c.fs.Bool("admin", false, "make the person an administrator")
	role := c.fs.String("role", "", "animator, member or guest")
	expires := c.fs.String("expires", "", "end of access, YYYY-MM-DD (guests)")
	openGroup := c.fs.Bool("open", false, "group add: validation by the animators alone lets people in")
	requires := c.fs.Bool("requires-membership", true, "group set: joining needs membership (activation, dues)")
	olderThan := c.fs.String("older-than", "", "force-renewal: passwords older than this, e.g. 180d")
	neverChanged := c.fs.Bool("never-changed", false, "force-renewal: passwords never changed since the account was made")
	if err := c.parse(args); err != nil {
		return err
	}
	cfg, err := c.config(env)
	if err != nil {
		return err
	}
	ctx := context.Background()
	in, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer in.Close()
	switch key {
	case "person add":
		if len(c.args) != 1 {
			return usageError{"person add: give one e-mail address"}
		}
		password, err := readSecret(env.Stdin)
		if err != nil {
			return err
		}
		p, err := in.Access().CreatePerson(ctx, access.CLI, access.NewPerson{Email: c.args[0], Name: *name, Password: password, Admin: *isAdmin})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "created %s\n", p.Email)
		if password == "" {
			_, link, err := in.Access().PasswordLink(ctx, access.CLI, p.Email)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%s has no password yet; hand over this one-time link (valid 7 days) to choose it:\n  %s/password/%s\n",
				p.Email, cfg.PublicURL(), link)
			warnBaseURL(env, cfg)
		}
	case "person link":
		if len(c.args) != 1 {
			return usageError{"person link: give one e-mail address"}
		}
		p, link, err := in.Access().PasswordLink(ctx, access.CLI, c.args[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "one-time link for %s to choose a password (valid 7 days; earlier links stop working):\n  %s/password/%s\n",
			p.Email, cfg.PublicURL(), link)
		warnBaseURL(env, cfg)
	case "person erase":
		if len(c.args) != 1 {
			return usageError{"person erase: give one e-mail address"}
		}
		if err := in.Access().ErasePerson(ctx, access.CLI, c.args[0]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "erased %s (the audit log keeps its entries)\n", c.args[0])
	case "person suspend", "person restore":
		if len(c.args) != 1 {
			return usageError{key + ": give one e-mail address"}
		}
		if err := in.Access().Suspend(ctx, access.CLI, c.args[0], key == "person suspend"); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: %s\n", c.args[0], map[string]string{"person suspend": "suspended", "person restore": "restored"}[key])
	case "group add":
		if len(c.args) != 1 {
			return usageError{"group add: give one group name (lowercase letters, digits, dashes)"}
		}
		var opts []access.GroupOption
		if *openGroup {
			opts = append(opts, access.Open())
		}
		g, err := in.Access().CreateGroup(ctx, access.CLI, c.args[0], *name, opts...)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "created group %s (%s), folder %s/dav/files/%s/\n", g.Slug, g.Name, cfg.PublicURL(), g.Slug)
		warnBaseURL(env, cfg)
	case "group set":
		if len(c.args) != 1 || !c.given("requires-membership") {
			return usageError{"group set: give the group and --requires-membership=true|false"}
		}
		if err := in.Access().SetRequiresMembership(ctx, access.CLI, c.args[0], *requires); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: %s\n", c.args[0], map[bool]string{true: "joining needs membership (activation, dues)",
			false: "validation by the animators alone lets people in"}[*requires])
	case "person force-renewal":
		return forceRenewal(ctx, env, in, c.args, *olderThan, *neverChanged)
	case "person renewals":
		pending, err := in.Access().PendingRenewals(ctx, access.CLI)
		if err != nil {
			return err
		}
		printRenewals(env, pending)
	case "group grant":
		if len(c.args) != 2 {
			return usageError{"group grant: give the group and the e-mail address"}
		}
		r, err := access.ParseRole(*role)
		if err != nil {
			return err
		}
		var until time.Time
		if *expires != "" {
			if until, err = time.ParseInLocation(time.DateOnly, *expires, cfg.Location()); err != nil {
				return usageError{"--expires: give a date like 2026-12-31"}
			}
			until = until.AddDate(0, 0, 1) // access lasts through the given day
		}
		if err := in.Access().Grant(ctx, access.CLI, c.args[0], c.args[1], r, until); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s is now %s of %s\n", c.args[1], r, c.args[0])
	case "group remove":
		if len(c.args) != 2 {
			return usageError{"group remove: give the group and the e-mail address"}
		}
		if err := in.Access().Remove(ctx, access.CLI, c.args[0], c.args[1]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s is no longer in %s\n", c.args[1], c.args[0])
	case "dues import":
		if len(c.args) != 1 {
			return usageError{"dues import: give the CSV file (a payment platform's export)"}
		}
		f, err := os.Open(c.args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		rep, err := in.Access().ImportDues(ctx, access.CLI, f, "import "+filepath.Base(c.args[0]))
		if err != nil {
			return err
		}
		for _, l := range rep.Lines {
			if !l.OK {
				fmt.Fprintf(env.Stdout, "line %d (%s): %s\n", l.Line, l.Email, l.Reason)
			}
		}
		fmt.Fprintf(env.Stdout, "%d of %d lines recorded\n", rep.Imported, len(rep.Lines))
	case "group quota":
		if len(c.args) != 2 {
			return usageError{"group quota: give the group and a size like 20GB (0: no quota)"}
		}
		bytes, err := humanize.ParseBytes(c.args[1])
		if err != nil {
			return usageError{"group quota: " + c.args[1] + " is not a size like 500MB or 20GB"}
		}
		if err := in.Access().SetQuota(ctx, access.CLI, c.args[0], int64(bytes)); err != nil {
			return err
		}
		if bytes == 0 {
			fmt.Fprintf(env.Stdout, "%s has no quota\n", c.args[0])
		} else {
			fmt.Fprintf(env.Stdout, "%s may now store %s\n", c.args[0], humanize.Bytes(bytes))
		}
	case "check":
		return in.Check(ctx, env.Stdout)
	default:
		return usageError{"admin: unknown command " + key}
	}
	return nil
}

// forceRenewal runs `person force-renewal`: one account, or those the flags select.
func forceRenewal(ctx context.Context, env Env, in *server.Instance, args []string, olderThan string, neverChanged bool) error {
	rule := access.RenewalRule{NeverChanged: neverChanged}
	if len(args) > 1 {
		return usageError{"person force-renewal: give at most one e-mail address"}
	} else if len(args) == 1 {
		rule.Email = args[0]
	}
	if olderThan != "" {
		d, err := config.ParseDuration(olderThan)
		if err != nil || d <= 0 {
			return usageError{"--older-than: give an age like 180d"}
		}
		rule.OlderThan = d
	}
	if rule.Email == "" && !rule.NeverChanged && rule.OlderThan == 0 {
		return usageError{"person force-renewal: give an e-mail address, --older-than or --never-changed"}
	}
	chosen, err := in.Access().ForceRenewal(ctx, access.CLI, rule)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d account(s) must choose a new password at their next sign-in\n", len(chosen))
	pending, err := in.Access().PendingRenewals(ctx, access.CLI)
	if err != nil {
		return err
	}
	printRenewals(env, pending)
	return nil
}

// printRenewals lists who has not chosen their new password yet.
func printRenewals(env Env, pending []db.Person) {
	fmt.Fprintf(env.Stdout, "%d account(s) have not chosen their new password yet\n", len(pending))
	for _, p := range pending {
		fmt.Fprintf(env.Stdout, "  %s (password of %s)\n", p.Email, p.PasswordChangedAt.Format(time.DateOnly))
	}
}

// flagsLast moves the global flags written before the command words (`parvis admin --data DIR group
// add …`, as people naturally type it) after them, where the command's flag set reads them. Every
// global flag takes a value, inline (--data=DIR) or as the next word.
func flagsLast(args []string) []string {
	var flags []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		n := 2
		if strings.Contains(args[0], "=") || len(args) == 1 {
			n = 1
		}
		flags, args = append(flags, args[:n]...), args[n:]
	}
	return append(args, flags...)
}

// warnBaseURL says, on stderr, when the links printed carry the listen address because base_url is
// not set: a link to localhost opens nothing on the phone of the person it is handed to.
func warnBaseURL(env Env, cfg config.Config) {
	if cfg.BaseURL == "" {
		fmt.Fprintf(env.Stderr, "parvis: base_url n'est pas réglé : ce lien mène à %s ; réglez base_url (parvis.toml, PARVIS_BASE_URL) sur l'adresse publique du serveur.\n"+
			"parvis: base_url is not set: this link leads to %s; set base_url (parvis.toml, PARVIS_BASE_URL) to the server's public address.\n", cfg.PublicURL(), cfg.PublicURL())
	}
}
