package postgres

import (
	"context"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
)

// TestSearch_AnUpgradeIndexesWhatIsAlreadyThere: a repository written
// before the search index existed (schema 1) finds its images by name,
// description, tag, key-value pair, channel and original file once
// migration 2 has run.
func TestSearch_AnUpgradeIndexesWhatIsAlreadyThere(t *testing.T) {
	saved := migrations
	t.Cleanup(func() { migrations = saved })
	migrations = func() ([]migration, error) {
		ms, err := loadMigrations()
		return ms[:1], err
	}
	st, dsn := openTest(t)
	seed(t, st)
	var image core.ID
	err := st.Write(context.Background(), func(tx core.Tx) error {
		mk := func(o *core.Object) (core.ID, error) {
			err := tx.CreateObject(o)
			return o.ID, err
		}
		fs, err := mk(&core.Object{Ref: core.Ref{Class: core.Fileset}})
		if err != nil {
			return err
		}
		// Schema 1's column: the checksum was named sha256 then.
		if _, err := tx.(*txn).tx.Exec(t.Context(), "INSERT INTO fileset_entry (fileset_id, idx, client_path, repo_path, size, sha256, transfer) VALUES ($1, 0, '/data/run1/plate_A01.tif', 'r', 0, 'x', 'copy')", int64(fs)); err != nil {
			return err
		}
		if image, err = mk(&core.Object{Ref: core.Ref{Class: core.Image}, Name: "HeLa mitosis", Description: "GFP-tagged tubulin", Parent: fs}); err != nil {
			return err
		}
		if err := tx.SetChannels(image, []core.ChannelInfo{{Name: "DAPI"}, {Index: 1, Name: "Cy5"}}); err != nil {
			return err
		}
		tag, err := mk(&core.Object{Ref: core.Ref{Class: core.TagAnnotation}, TextValue: "live imaging"})
		if err != nil {
			return err
		}
		kv := &core.Object{Ref: core.Ref{Class: core.MapAnnotation}}
		kv.SetAttr("mapValue", []core.KeyValue{{Key: "Exposure", Value: "150 ms"}})
		kvID, err := mk(kv)
		if err != nil {
			return err
		}
		for _, ann := range []core.ID{tag, kvID} {
			if _, err := mk(&core.Object{Ref: core.Ref{Class: core.ImageAnnotationLink}, Parent: image, Child: ann}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	migrations = saved
	st, err = Open(context.Background(), dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, query := range []string{"mitosis", "hela*", `"GFP tagged"`, "desc:tubulin", "tag:live", "exposure>100", "exposure=150",
		"key:exposure", "channel:cy5", "file:plate_A01", "a01"} {
		q, err := searchquery.Parse(query)
		if err != nil {
			t.Fatal(err)
		}
		err = st.Read(context.Background(), func(tx core.Tx) error {
			objs, err := tx.Search(core.SearchSpec{Terms: q.Terms, Admin: true, Owner: core.AnyID, Group: core.AnyID})
			if err != nil {
				return err
			}
			if len(objs) != 1 || objs[0].ID != image {
				t.Errorf("%q after the upgrade finds %d objects, want the image", query, len(objs))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
