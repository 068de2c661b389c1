package postgres

import (
	"context"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/pgtest"
)

// openTest opens a store on a fresh database; it closes when t ends.
func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	dsn := pgtest.DSN(t)
	st, err := Open(context.Background(), dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, dsn
}

func TestOpenCreatesSchemaAndObjectsRoundTrip(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	var id core.ID
	err := st.Write(ctx, func(tx core.Tx) error {
		root := core.Experimenter{ID: 0, Username: "root"}
		if err := tx.CreateExperimenter(&root, "h"); err != nil {
			return err
		}
		g := core.Group{ID: 0, Name: "system"}
		if err := tx.CreateGroup(&g); err != nil {
			return err
		}
		o := &core.Object{Ref: core.Ref{Class: core.Dataset}, Name: "d", Attrs: map[string]any{"a": "b"}}
		if err := tx.CreateObject(o); err != nil {
			return err
		}
		id = o.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Read(ctx, func(tx core.Tx) error {
		o, err := tx.Object(id)
		if err != nil {
			return err
		}
		if o.Name != "d" || o.Attrs["a"] != "b" {
			t.Errorf("read back %+v", o)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
