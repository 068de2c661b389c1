package inprocess_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// Reliability (issue §8): a helper process moves, duplicates or deletes a
// project and is SIGKILLed at a random moment; the reopened repository is
// exactly as before or exactly as after (a canonical dump of its rows), and
// the files on disk match the rows once the repair sweep has run.

const crashEnv = "OCULAR_GRAPH_CRASH_REPO"

// TestGraphCrashHelper is the helper process; it does nothing in a normal run.
func TestGraphCrashHelper(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("helper process of TestGraphSurvivesSIGKILL")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := inprocess.New(st)
	s, err := svc.Login(ctx, "alice", "pw", "")
	if err != nil {
		t.Fatal(err)
	}
	req := crashRequest(os.Getenv(crashEnv+"_OP"), envID(crashEnv+"_PROJECT"), envID(crashEnv+"_DEST"))
	fmt.Println("ready")
	if _, err := s.RunGraph(ctx, req); err != nil {
		t.Fatal(err)
	}
	svc.Close()
}

func envID(k string) core.ID {
	n, _ := strconv.ParseInt(os.Getenv(k), 10, 64)
	return core.ID(n)
}

func crashRequest(op string, project, dest core.ID) core.GraphRequest {
	p := core.Ref{Class: core.Project, ID: project}
	switch op {
	case "move":
		return chgrp(dest, p)
	case "duplicate":
		return dup(p)
	}
	return del(p)
}

func TestGraphSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills helper processes 60 times")
	}
	if testrepo.Postgres() {
		t.Skip("copies and dumps the SQLite database file; on PostgreSQL a request is one server transaction (repository/postgres tests the lost connection)")
	}
	bp := buildBigProject(t, 300)
	template := bp.w.dir
	bp.w.svc.Close()
	before := dumpRepo(t, template)
	rng := rand.New(rand.NewPCG(5, 8))
	for _, op := range []string{"move", "duplicate", "delete"} {
		// The state after, and how long the operation takes, from an uninterrupted run.
		afterDir := copyRepo(t, template)
		took := runInProcess(t, afterDir, crashRequest(op, bp.project.ID, bp.g2))
		after := dumpRepo(t, afterDir)
		if after.rows == before.rows {
			t.Fatalf("%s changed nothing", op)
		}
		counts := map[string]int{}
		for i := 0; i < 20; i++ {
			dir := copyRepo(t, template)
			delay := time.Duration(rng.Int64N(int64(took)*3/2 + 1))
			killDuring(t, dir, op, bp, delay)
			got := dumpRepo(t, dir)
			switch got.rows {
			case before.rows:
				counts["before"]++
				if !sameFiles(got.files, before.files) && !sameFiles(got.files, after.files) {
					t.Errorf("%s killed after %v: the rows are as before but the files are not", op, delay)
				}
			case after.rows:
				counts["after"]++
			default:
				t.Fatalf("%s killed after %v: the repository is neither as before nor as after", op, delay)
			}
			if !sameFiles(got.files, got.referenced) {
				t.Errorf("%s killed after %v: files on disk %d, files named by rows %d", op, delay, len(got.files), len(got.referenced))
			}
		}
		t.Logf("%s (%v uninterrupted): %v", op, took, counts)
	}
}

// killDuring starts the helper on dir, waits until it is about to run the
// operation, then kills it after delay.
func killDuring(t *testing.T, dir, op string, bp *bigProject, delay time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestGraphCrashHelper$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir, crashEnv+"_OP="+op,
		crashEnv+"_PROJECT="+strconv.FormatInt(int64(bp.project.ID), 10), crashEnv+"_DEST="+strconv.FormatInt(int64(bp.g2), 10))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		cmd.Wait()
		t.Fatalf("helper did not start: %q", line)
	}
	timer := time.NewTimer(delay) // the random moment is the point of this test
	<-timer.C
	cmd.Process.Kill() // SIGKILL
	go io.Copy(io.Discard, out)
	cmd.Wait()
}

func runInProcess(t *testing.T, dir string, req core.GraphRequest) time.Duration {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := inprocess.New(st)
	defer svc.Close()
	s, err := svc.Login(ctx, "alice", "pw", "")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := s.RunGraph(ctx, req); err != nil {
		t.Fatal(err)
	}
	return time.Since(start)
}

// repoState is a canonical dump: the rows (without timestamps, logins and
// the random part of duplicates' folder names), the files on disk after the
// repair sweep, and the files the rows name.
type repoState struct {
	rows              string
	files, referenced []string
}

var dupSuffix = regexp.MustCompile(`dup-[0-9a-f]{8}`)

func dumpRepo(t *testing.T, dir string) repoState {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, dir) // recovers the WAL as any reopening does
	if err != nil {
		t.Fatal(err)
	}
	svc := inprocess.New(st)
	svc.SetPasswordCost(bcrypt.MinCost)
	if _, err := svc.RepairFiles(ctx, 0); err != nil {
		t.Fatal(err)
	}
	svc.Close()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, sqlite.DBName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, q := range []string{
		"SELECT id, class, owner_id, group_id, name, description, parent_id, child_id, ref2_id, ns, text_value, long_value, attrs FROM object ORDER BY id",
		"SELECT * FROM pixels ORDER BY image_id",
		"SELECT * FROM channel ORDER BY image_id, idx",
		"SELECT fileset_id, idx, client_path, repo_path, size, checksum, transfer FROM fileset_entry ORDER BY fileset_id, idx",
		"SELECT id, name, level FROM experimenter_group ORDER BY id",
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	var s repoState
	s.rows = dupSuffix.ReplaceAllString(b.String(), "dup-*")
	rows, err := db.Query("SELECT repo_path FROM fileset_entry")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p string
		rows.Scan(&p)
		s.referenced = append(s.referenced, dupSuffix.ReplaceAllString(p, "dup-*"))
	}
	rows.Close()
	managed := filepath.Join(dir, inprocess.ManagedDirName)
	filepath.WalkDir(managed, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(managed, p)
			s.files = append(s.files, dupSuffix.ReplaceAllString(filepath.ToSlash(rel), "dup-*"))
		}
		return nil
	})
	sort.Strings(s.files)
	sort.Strings(s.referenced)
	return s
}

func sameFiles(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

// copyRepo copies a closed repository folder.
func copyRepo(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "repo")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
