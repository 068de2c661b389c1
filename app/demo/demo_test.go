package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/app/demo"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// repository is demo.Repository over SQLite with cheap password hashing.
func repository() demo.Repository {
	return demo.Repository{
		Exists: sqlite.IsRepository,
		Open: func(ctx context.Context, dir string) (core.Service, error) {
			st, err := sqlite.Open(ctx, dir)
			if err != nil {
				return nil, err
			}
			svc := inprocess.New(st)
			svc.SetPasswordCost(bcrypt.MinCost)
			return svc, nil
		},
		Create: func(ctx context.Context, dir, pw string) (core.Service, error) {
			st, err := sqlite.Create(ctx, dir)
			if err != nil {
				return nil, err
			}
			svc := inprocess.New(st)
			svc.SetPasswordCost(bcrypt.MinCost)
			return svc, svc.Initialize(ctx, pw)
		},
	}
}

// built is one demo repository with three users, shared by the tests
// (building it is the slow part).
var built struct {
	once sync.Once
	dir  string
	svc  *inprocess.Service
	sum  *demo.Summary
	err  error
}

func build(t *testing.T) (*inprocess.Service, *demo.Summary) {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "ocular-demo-test-")
		if err != nil {
			built.err = err
			return
		}
		built.dir = filepath.Join(dir, "repo")
		svc, sum, err := demo.EnsureDefault(context.Background(), built.dir, repository(), demo.Options{Users: 3})
		built.err = err
		if err == nil {
			built.svc, built.sum = svc.(*inprocess.Service), sum
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.svc, built.sum
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.svc != nil {
		built.svc.Close()
	}
	if built.dir != "" {
		os.RemoveAll(filepath.Dir(built.dir))
	}
	os.Exit(code)
}

func login(t *testing.T, svc core.Service, user string) core.Session {
	t.Helper()
	s, err := svc.Login(context.Background(), user, demo.DefaultPassword, "")
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return s
}

func browse(t *testing.T, s core.Session, group, owner core.ID, parent core.Ref) []core.ObjectView {
	t.Helper()
	vs, err := s.Browse(context.Background(), core.BrowseRequest{Group: group, Owner: owner, Parent: parent})
	if err != nil {
		t.Fatalf("browse %s: %v", parent, err)
	}
	return vs
}

func names(vs []core.ObjectView) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.DisplayName())
	}
	return out
}

func TestEveryUserHasTheTrainingTree(t *testing.T) {
	svc, sum := build(t)
	ctx := context.Background()
	if len(sum.Users) != 3 || sum.Users[0].Username != "user-1" || sum.Users[0].FirstName != "Ada" || sum.Password != demo.DefaultPassword {
		t.Fatalf("summary users %+v", sum.Users)
	}
	seen := map[core.ID]bool{}
	for _, u := range sum.Users {
		s := login(t, svc, u.Username)
		me, err := s.Me(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if me.Group.Name != demo.ReadAnnotateGroup || me.Group.Level != core.ReadAnnotate {
			t.Fatalf("%s starts in %q (%s)", u.Username, me.Group.Name, me.Group.Level)
		}
		g := me.Group.ID
		top := browse(t, s, g, u.ID, core.Ref{})
		if got := names(top); !slices.Equal(got, []string{demo.ProjectName, demo.ScreenName, "Orphaned Images"}) {
			t.Fatalf("%s's top level: %v", u.Username, got)
		}
		if top[0].ChildCount != 3 || top[0].Owner != u.ID {
			t.Fatalf("%s's project: %+v", u.Username, top[0])
		}
		ds := browse(t, s, g, u.ID, top[0].Ref)
		if got := names(ds); !slices.Equal(got, []string{"Mitosis", "Overview", "Time-lapse"}) {
			t.Fatalf("%s's datasets: %v", u.Username, got)
		}
		imgs := browse(t, s, g, u.ID, ds[0].Ref)
		if got := names(imgs); !slices.Equal(got, []string{"mitosis-1.ome.tiff", "mitosis-2.ome.tiff"}) {
			t.Fatalf("%s's Mitosis dataset: %v", u.Username, got)
		}
		for _, im := range imgs {
			if seen[im.ID] {
				t.Fatalf("%s shares %s with another user", u.Username, im.Ref)
			}
			seen[im.ID] = true
			if im.Owner != u.ID || !im.Flags.CanEdit {
				t.Fatalf("%s's image %s: owner %d flags %v", u.Username, im.Ref, im.Owner, im.Flags)
			}
		}
		orphans := browse(t, s, g, u.ID, core.Ref{Class: core.OrphanedImages})
		if got := names(orphans); !slices.Equal(got, []string{"unsorted-cells.ome.tiff"}) {
			t.Fatalf("%s's orphaned images: %v", u.Username, got)
		}
		plates := browse(t, s, g, u.ID, top[1].Ref)
		if len(plates) != 1 || plates[0].Name != demo.PlateName {
			t.Fatalf("%s's screen: %v", u.Username, names(plates))
		}
		wells := browse(t, s, g, u.ID, plates[0].Ref)
		if got := names(wells); !slices.Equal(got, []string{"A1", "A2", "A3", "B1", "B2", "B3"}) {
			t.Fatalf("%s's wells: %v", u.Username, got)
		}
		if fields := browse(t, s, g, u.ID, wells[4].Ref); len(fields) != 2 || fields[0].Name != "B2, Field 1" {
			t.Fatalf("%s's well B2: %v", u.Username, names(fields))
		}
		runs, _ := s.List(ctx, core.PlateAcquisition, u.ID, g)
		if len(runs) != 1 || runs[0].Name != demo.RunName {
			t.Fatalf("%s's runs: %v", u.Username, names(runs))
		}
		_, chs, err := s.ImageDetails(ctx, imgs[0].Ref)
		if err != nil || len(chs) != 4 || chs[0].Name != "457" || chs[3].Name != "685" {
			t.Fatalf("%s's channels: %+v %v", u.Username, chs, err)
		}
	}
}

func TestUsersBrowseEachOther(t *testing.T) {
	svc, sum := build(t)
	s2 := login(t, svc, "user-2")
	me, _ := s2.Me(context.Background())
	top := browse(t, s2, me.Group.ID, sum.Users[0].ID, core.Ref{})
	if len(top) == 0 || top[0].Name != demo.ProjectName || top[0].Owner != sum.Users[0].ID {
		t.Fatalf("user-2 browsing user-1: %v", names(top))
	}
	ds := browse(t, s2, me.Group.ID, sum.Users[0].ID, top[0].Ref)
	imgs := browse(t, s2, me.Group.ID, sum.Users[0].ID, ds[0].Ref)
	f := imgs[0].Flags
	if !f.CanAnnotate || f.CanEdit || f.CanDelete || f.CanLink {
		t.Fatalf("user-2's flags on user-1's image: %v", f)
	}
}

func TestGroups(t *testing.T) {
	svc, sum := build(t)
	ctx := context.Background()
	s := login(t, svc, "user-1")
	want := map[string]core.Level{demo.ReadAnnotateGroup: core.ReadAnnotate, demo.ReadOnlyGroup: core.ReadOnly,
		demo.LabGroup: core.ReadWrite, demo.NewUsersGroup: core.Private}
	root, err := svc.Login(ctx, "root", demo.DefaultPassword, "")
	if err != nil {
		t.Fatal(err)
	}
	for name, level := range want {
		g, err := root.Group(ctx, name)
		if err != nil || g.Level != level {
			t.Fatalf("group %s: %+v %v", name, g, err)
		}
	}
	lab, _ := root.Group(ctx, demo.LabGroup)
	if len(lab.Members) != 3 || !lab.Members[0].Owner || lab.Members[0].Username != "user-1" {
		t.Fatalf("lab members %+v", lab.Members)
	}
	for _, u := range sum.Users {
		g, err := root.Group(ctx, u.PersonalGroup)
		if err != nil {
			t.Fatal(err)
		}
		if g.Level != core.Private || len(g.Members) != 1 || !g.Members[0].Owner || g.Members[0].ID != u.ID {
			t.Fatalf("%s's personal group %+v", u.Username, g)
		}
	}
	if sum.Users[1].PersonalGroup != "Francis-Crick-Group" {
		t.Fatalf("user-2's group is %q", sum.Users[1].PersonalGroup)
	}
	me, _ := s.Me(ctx)
	if len(me.OwnedGroups) != 2 {
		t.Fatalf("user-1 owns %v, want the lab and the personal group", me.OwnedGroups)
	}
	if _, err := demo.Build(ctx, svc, demo.Options{Users: 3}); !core.Is(core.Conflict, err) {
		t.Fatalf("building twice: %v", err)
	}
}

// TestFilesAreSharedAndReadable: every user's files are hard links to one
// set, and each file opens with the OME-TIFF reader with the dimensions and
// channel names the repository records.
func TestFilesAreSharedAndReadable(t *testing.T) {
	svc, sum := build(t)
	ctx := context.Background()
	managed := filepath.Join(built.dir, inprocess.ManagedDirName)
	if sum.Transfer != "hardlink" {
		t.Fatalf("transfer %q", sum.Transfer)
	}
	paths := map[core.ID]map[string]string{} // user -> file name -> path
	for _, u := range sum.Users {
		paths[u.ID] = map[string]string{}
		s := login(t, svc, u.Username)
		imgs, err := s.List(ctx, core.Image, u.ID, core.AnyID)
		if err != nil {
			t.Fatal(err)
		}
		if len(imgs) != sum.ImagesPerUser {
			t.Fatalf("%s has %d images, want %d", u.Username, len(imgs), sum.ImagesPerUser)
		}
		for _, im := range imgs {
			var entries []core.FilesetEntry
			err := svc.Store().Read(ctx, func(tx core.Tx) error {
				var err error
				entries, err = tx.FilesetEntries(im.Parent)
				return err
			})
			if err != nil || len(entries) == 0 {
				t.Fatalf("fileset of %s: %v", im.Ref, err)
			}
			for _, e := range entries {
				paths[u.ID][filepath.Base(e.RepoPath)] = filepath.Join(managed, filepath.FromSlash(e.RepoPath))
			}
			if u.ID != sum.Users[0].ID {
				continue
			}
			// user-1's files: open and compare with the repository.
			p, chs, err := s.ImageDetails(ctx, im.Ref)
			if err != nil {
				t.Fatal(err)
			}
			// As a viewer does: open the fileset's first file, take the image's series.
			file := entries[0]
			r, err := ome.Open(filepath.Join(managed, filepath.FromSlash(file.RepoPath)))
			if err != nil {
				t.Fatalf("%s: %v", file.RepoPath, err)
			}
			if p.Series >= len(r.Series()) {
				t.Fatalf("%s: %s is series %d but the file has %d", file.RepoPath, im.Name, p.Series, len(r.Series()))
			}
			se := r.Series()[p.Series]
			if se.Name != im.Name || se.SizeX != p.SizeX || se.SizeY != p.SizeY || se.SizeZ != p.SizeZ || se.SizeC != p.SizeC || se.SizeT != p.SizeT || se.PixelType.String() != p.PixelType {
				t.Errorf("%s: file %+v vs repository %s %+v", file.RepoPath, se, im.Name, p)
			}
			for c, ch := range se.Channels {
				if ch.Name != chs[c].Name || ch.EmissionWavelength != chs[c].EmissionWavelength {
					t.Errorf("%s channel %d: %q in the file, %q registered", file.RepoPath, c, ch.Name, chs[c].Name)
				}
			}
			if pl := r.Plate(); len(entries) > 1 && (pl == nil || pl.Name != demo.PlateName || se.Well == nil) {
				t.Errorf("%s: plate %+v, well %+v", file.RepoPath, pl, se.Well)
			}
			if _, err := r.ReadPlane(p.Series, 0, p.SizeZ-1, p.SizeC-1, p.SizeT-1); err != nil {
				t.Errorf("%s: last plane: %v", file.RepoPath, err)
			}
			r.Close()
		}
	}
	u1, u3 := paths[sum.Users[0].ID], paths[sum.Users[2].ID]
	if len(u1) != sum.FilesPerUser {
		t.Fatalf("user-1 has %d files, want %d", len(u1), sum.FilesPerUser)
	}
	for name, p1 := range u1 {
		a, err1 := os.Stat(p1)
		b, err2 := os.Stat(u3[name])
		if err1 != nil || err2 != nil || !os.SameFile(a, b) || p1 == u3[name] {
			t.Fatalf("%s: user-1's %s and user-3's %s are not one file (%v %v)", name, p1, u3[name], err1, err2)
		}
	}
	// The staging folder is gone: nothing but users' folders.
	entries, _ := os.ReadDir(managed)
	if len(entries) != len(sum.Users) {
		t.Fatalf("the managed repository holds %d entries, want one per user", len(entries))
	}
}
