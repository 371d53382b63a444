package config

import (
	"encoding"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// EnvPrefix starts every environment variable Parvis reads.
const EnvPrefix = "PARVIS_"

// setting is one leaf of Config with the names it goes by.
type setting struct {
	key    string // dotted TOML key, e.g. storage.s3.bucket
	env    string // without the prefix
	flag   string // "" when not settable by flag
	help   string
	secret bool
	field  reflect.Value
}

// settings lists the leaves of c in declaration order; their fields point into c.
func settings(c *Config) []setting {
	var out []setting
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			key := prefix + f.Tag.Get("toml")
			if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(Duration{}) {
				walk(v.Field(i), key+".")
				continue
			}
			out = append(out, setting{key: key, env: f.Tag.Get("env"), flag: f.Tag.Get("flag"),
				help: f.Tag.Get("help"), secret: f.Tag.Get("secret") == "true", field: v.Field(i)})
		}
	}
	walk(reflect.ValueOf(c).Elem(), "")
	return out
}

// EnvName returns the environment variable that sets the given TOML key.
func EnvName(key string) string {
	var c Config
	for _, s := range settings(&c) {
		if s.key == key {
			return EnvPrefix + s.env
		}
	}
	return EnvPrefix + strings.ToUpper(strings.NewReplacer(".", "_").Replace(key))
}

// Flags are the command-line flags every parvis command accepts.
type Flags struct {
	fs         *flag.FlagSet
	configFile string
	values     map[string]*string
}

// RegisterFlags adds --config and one flag per flag-settable key to fs.
func RegisterFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{fs: fs, values: map[string]*string{}}
	fs.StringVar(&f.configFile, "config", "", "TOML configuration file (default DATA/parvis.toml if present; "+EnvPrefix+"CONFIG)")
	var c Config
	for _, s := range settings(&c) {
		if s.flag != "" {
			f.values[s.key] = fs.String(s.flag, "", s.help+" ("+EnvPrefix+s.env+")")
		}
	}
	return f
}

// Load builds the effective configuration: defaults, then the TOML file, then PARVIS_* variables from
// getenv, then the flags that were set on the command line, and validates the result.
func Load(flags *Flags, getenv func(string) string) (Config, error) {
	c := Defaults()
	set := map[string]bool{}
	if flags != nil {
		flags.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	}
	// The data directory may come from env or flags and decides where the default file is.
	file, explicit := getenv(EnvPrefix+"CONFIG"), false
	if file != "" {
		explicit = true
	}
	if flags != nil && flags.configFile != "" {
		file, explicit = flags.configFile, true
	}
	if !explicit {
		dir := c.DataDir
		if v := getenv(EnvPrefix + "DATA_DIR"); v != "" {
			dir = v
		}
		if flags != nil && set["data"] {
			dir = *flags.values["data_dir"]
		}
		file = filepath.Join(dir, "parvis.toml")
	}
	if err := loadFile(&c, file, explicit); err != nil {
		return c, err
	}
	for _, s := range settings(&c) {
		if v := getenv(EnvPrefix + s.env); v != "" {
			if err := setText(s.field, v); err != nil {
				return c, keyError(s.key, err.Error())
			}
		}
		if flags != nil && s.flag != "" && set[s.flag] {
			if err := setText(s.field, *flags.values[s.key]); err != nil {
				return c, keyError(s.key, err.Error())
			}
		}
	}
	return c, c.Validate()
}

// loadFile decodes a TOML file over c; a missing default file is fine, unknown keys are not.
func loadFile(c *Config, path string, explicit bool) error {
	md, err := toml.DecodeFile(path, c)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config: reading %s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return fmt.Errorf("config: %s: unknown key %q", path, undecoded[0].String())
	}
	return nil
}

// setText parses v into a string, bool, integer or TextUnmarshaler field.
func setText(f reflect.Value, v string) error {
	if u, ok := f.Addr().Interface().(encoding.TextUnmarshaler); ok {
		return u.UnmarshalText([]byte(v))
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(v)
	case reflect.Bool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		f.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		f.SetInt(n)
	default:
		return fmt.Errorf("unsupported type %s", f.Type())
	}
	return nil
}

// Print writes the configuration as TOML-like "key = value" lines, secrets masked, so that an
// administrator can see what the server will really use and paste it into a support request.
func (c *Config) Print(w io.Writer) error {
	for _, s := range settings(c) {
		val := s.field.Interface()
		var text string
		switch v := val.(type) {
		case string:
			if s.secret && v != "" {
				v = "********"
			}
			text = strconv.Quote(v)
		case Duration:
			text = strconv.Quote(v.String())
		default:
			text = fmt.Sprint(v)
		}
		if _, err := fmt.Fprintf(w, "%s = %s\n", s.key, text); err != nil {
			return err
		}
	}
	return nil
}

// Getenv is os.Getenv, named for callers of Load.
var Getenv = os.Getenv
