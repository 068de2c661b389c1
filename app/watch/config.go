// Package watch runs an import station: it watches folders that instruments
// write into, waits until each file is complete, and imports it exactly once
// (across restarts; the station's memory is kept in the repository) into the
// group, owner and dataset or screen its rule names. Failures are retried with
// back-off and then reported.
package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// DefaultTimeout bounds one file's import when the configuration does not:
// long enough for a big plate over a slow share, short enough that a file
// which hangs the import is given up within the hour of retries.
const DefaultTimeout = 10 * time.Minute

// Config is a station's configuration file (YAML).
//
//	station: confocal-room
//	quiet: 10s        # a file is complete when its size and time stay the same this long
//	poll: 30s         # also rescan this often (network shares send no events); 0 = events only
//	retries: 5        # attempts before a failure is reported as final
//	backoff: 30s      # wait before the first retry; doubles each time
//	timeout: 10m      # an import still running after this is stopped and counts as a failed try
//	rules:
//	  - folder: /data/incoming/confocal
//	    group: AG_1234
//	    owner: user-3          # optional: import in this user's name (admins)
//	    target: dataset        # dataset, screen or none
//	    name: "{1}"            # dataset/screen name from the subfolder names below folder
//	    transfer: copy         # copy, hardlink or symlink
//	    tags: [confocal]
type Config struct {
	Station string        `yaml:"station"`
	Quiet   time.Duration `yaml:"quiet"`
	Poll    time.Duration `yaml:"poll"`
	Retries int           `yaml:"retries"`
	Backoff time.Duration `yaml:"backoff"`
	Timeout time.Duration `yaml:"timeout"`
	Rules   []Rule        `yaml:"rules"`
}

// Rule maps a watched folder to where its files go.
type Rule struct {
	Folder   string   `yaml:"folder"`
	Group    string   `yaml:"group"`
	Owner    string   `yaml:"owner"`
	Target   string   `yaml:"target"`
	Name     string   `yaml:"name"`
	Transfer string   `yaml:"transfer"`
	Tags     []string `yaml:"tags"`
}

// LoadConfig reads and checks a configuration file.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the station configuration: %w", err)
	}
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s is not a valid station configuration: %v", path, err)
	}
	return &c, c.check()
}

func (c *Config) check() error {
	if c.Station == "" {
		return fmt.Errorf("the configuration needs a station name (station: NAME)")
	}
	if c.Quiet <= 0 {
		c.Quiet = 10 * time.Second
	}
	if c.Retries <= 0 {
		c.Retries = 5
	}
	if c.Backoff <= 0 {
		c.Backoff = 30 * time.Second
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if len(c.Rules) == 0 {
		return fmt.Errorf("the configuration has no rules: add at least one folder to watch")
	}
	for i := range c.Rules {
		r := &c.Rules[i]
		if r.Folder == "" || r.Group == "" {
			return fmt.Errorf("rule %d needs a folder and a group", i+1)
		}
		abs, err := filepath.Abs(r.Folder)
		if err != nil {
			return err
		}
		r.Folder = abs
		switch r.Target {
		case "":
			r.Target = "dataset"
		case "dataset", "screen", "none":
		default:
			return fmt.Errorf("rule %d: target %q must be dataset, screen or none", i+1, r.Target)
		}
		if r.Name == "" {
			r.Name = "{1}"
		}
		switch r.Transfer {
		case "":
			r.Transfer = "copy"
		case "copy", "hardlink", "symlink":
		default:
			return fmt.Errorf("rule %d: transfer %q must be copy, hardlink or symlink", i+1, r.Transfer)
		}
	}
	return nil
}

// TargetName expands a rule's name template for a file: {1}, {2}... are the
// subfolder names below the watched folder, {folder} the watched folder's
// name, {date} today's date. An empty result falls back to the watched
// folder's name, so files directly in it still land somewhere sensible.
func (r Rule) TargetName(file string, now time.Time) string {
	rel, err := filepath.Rel(r.Folder, filepath.Dir(file))
	var parts []string
	if err == nil && rel != "." {
		parts = strings.Split(filepath.ToSlash(rel), "/")
	}
	out := r.Name
	for i := 9; i >= 1; i-- {
		v := ""
		if i <= len(parts) {
			v = parts[i-1]
		}
		out = strings.ReplaceAll(out, fmt.Sprintf("{%d}", i), v)
	}
	out = strings.ReplaceAll(out, "{folder}", filepath.Base(r.Folder))
	out = strings.ReplaceAll(out, "{date}", now.Format("2006-01-02"))
	out = strings.TrimSpace(strings.Trim(out, "/- "))
	if out == "" {
		out = filepath.Base(r.Folder)
	}
	return out
}
