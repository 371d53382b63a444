package cli

import (
	"runtime/debug"
	"strings"
)

// version says what this binary is: the module's version (a release tag, or "(devel)" when built
// from a checkout), the revision and time of the commit it was built from, and the Go release.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "parvis (unknown build)"
	}
	out := []string{"parvis", info.Main.Version}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if settings["vcs.modified"] == "true" {
			rev += "+changes"
		}
		out = append(out, rev)
	}
	if at := settings["vcs.time"]; at != "" {
		out = append(out, at)
	}
	return strings.Join(append(out, info.GoVersion), " ")
}
