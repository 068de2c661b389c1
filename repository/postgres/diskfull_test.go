package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/smalldisk"
)

func TestWrite_AFullDiskSaysSoLosesNothingAndWritesAgainOnceThereIsSpace(t *testing.T) {
	dsn, grow := smalldisk.PostgresDSN(t, 24)
	ctx := context.Background()
	st, err := Open(ctx, dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seed(t, st)
	before := countObjects(t, st, core.NewQuery(core.Dataset))
	// Text that does not compress, 256 KiB a row.
	filler := make([]byte, 128<<10)
	var full error
	for i := 0; i < 400 && full == nil; i++ {
		rand.Read(filler)
		full = st.Write(ctx, func(tx core.Tx) error {
			d := dataset(fmt.Sprint("filler ", i))
			d.Description = hex.EncodeToString(filler)
			return tx.CreateObject(d)
		})
	}
	if !core.Is(core.IO, full) || !strings.Contains(core.UserMessage(full), "disk is full") {
		t.Fatalf("filling the disk: %v", full)
	}
	after := countObjects(t, st, core.NewQuery(core.Dataset))
	if after <= before {
		t.Fatalf("%d datasets before filling, %d after: nothing was saved before the disk filled", before, after)
	}
	grow(64)
	if err := st.Write(ctx, func(tx core.Tx) error { return tx.CreateObject(dataset("after")) }); err != nil {
		t.Fatalf("writing once there is space: %v", err)
	}
	if n := countObjects(t, st, core.NewQuery(core.Dataset)); n != after+1 {
		t.Errorf("%d datasets, want %d: everything saved before the disk filled, and the new one", n, after+1)
	}
}
