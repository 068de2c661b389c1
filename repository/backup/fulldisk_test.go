package backup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/labrepo"
	"github.com/ocular-lab/ocular/internal/smalldisk"
)

// A backup onto a disk too small for it says the disk is full and leaves
// no half backup; the repository is as it was.
func TestBackup_FullDiskSaysSoAndLeavesNothing(t *testing.T) {
	ctx := context.Background()
	lab := labrepo.New(t, 3)
	disk := smalldisk.Mount(t, "64k") // smaller than the database
	to := filepath.Join(disk, "backup")
	_, err := Backup(ctx, Source{Dir: lab.Dir}, to, nil)
	if err == nil || !strings.Contains(core.UserMessage(err), "full") {
		t.Fatalf("backup onto a full disk: %v", err)
	}
	if _, err := os.Stat(to); !os.IsNotExist(err) {
		t.Errorf("a failed backup left %s", to)
	}
	if _, err := lab.Ada.Create(ctx, core.Dataset, map[string]string{"name": "still works"}); err != nil {
		t.Errorf("the repository after a failed backup: %v", err)
	}
}
