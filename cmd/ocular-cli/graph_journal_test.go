package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/jobs"
)

// A real chgrp, and a refused one, are recorded in the repository's
// journal for the desktop's activities; a dry run is not.
func TestGraphVerbsRecordTheirOutcomeForTheDesktop(t *testing.T) {
	c := newLab(t)
	c.ok("group", "add", "dest", "--type", "read-annotate")
	c.ok("group", "adduser", "--name", "dest", "ada", "bob")
	ada := c.as("ada")
	d := ada.mk("Dataset", "name=D")
	ada.ok("chgrp", "dest", d, "--dry-run")
	journal := filepath.Join(c.repo, jobs.JournalName)
	if _, err := os.Stat(journal); err == nil {
		t.Fatal("a dry run was recorded")
	}
	c.as("bob").failsWith(ExitError, "only your own data", "chgrp", "dest", d)
	ada.ok("chgrp", "dest", d)
	b, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"state":"failed"`) ||
		!strings.Contains(lines[1], `"outcome":"Moved 1 dataset to dest"`) || !strings.Contains(lines[1], `"refs":[{"class":"Dataset"`) {
		t.Errorf("the journal:\n%s", b)
	}
}
