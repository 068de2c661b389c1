package migrate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/checksum"
	"github.com/ocular-lab/ocular/repository/repofiles"
)

// placeFiles hard-links (or copies) every managed file the source names
// into FilesTo, before any row naming it reaches the target. A rerun finds
// the files already placed and goes on.
func (m *migration) placeFiles(ctx context.Context) error {
	const op = "migrate"
	st, err := loadStep(ctx, m.pool, "files")
	if err != nil {
		return targetErr("reading the migration's record", err)
	}
	q := repofiles.SQL(m.srcTx)
	var total int64
	m.srcTx.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM fileset_entry) + (SELECT count(*) FROM object WHERE class = 'OriginalFile')").Scan(&total)
	same := filepath.Clean(m.opts.FilesTo) == filepath.Clean(m.opts.From)
	var missing []string
	nMissing := 0
	err = repofiles.Each(ctx, q, func(f repofiles.File) error {
		if same || st.done {
			m.report.Files++
			m.report.Bytes += f.Size
			return nil
		}
		p, err := repofiles.Place(ctx, m.opts.From, m.opts.FilesTo, f.Path, repofiles.How{Link: true})
		if errors.Is(err, repofiles.ErrMissing) {
			nMissing++
			if len(missing) < 20 {
				missing = append(missing, f.Path)
			}
			return nil
		}
		if err != nil {
			return repofiles.DiskError(op, "the server's file folder", m.opts.FilesTo, fmt.Errorf("%s: %w", f.Path, err))
		}
		m.report.Files++
		m.report.Bytes += p.Size
		if p.Linked {
			m.report.Linked++
		} else if p.Copied {
			m.report.Copied++
		}
		m.progress("files", int64(m.report.Files), total)
		return nil
	})
	if err != nil {
		return repofiles.DiskError(op, "the server's file folder", m.opts.FilesTo, err)
	}
	if nMissing > 0 {
		return core.Errorf(op, core.Invalid, "%d files the source repository names are missing from %s: %s; restore them from a backup (or delete their images) and run the migration again",
			nMissing, m.opts.From, strings.Join(missing, ", "))
	}
	return targetErr("recording the files", pgx.BeginFunc(ctx, m.pool, func(tx pgx.Tx) error { return markDone(ctx, tx, "files") }))
}

// verify counts both sides per class and checks every managed file in
// FilesTo against the checksum recorded at import (or the source's bytes).
func (m *migration) verify(ctx context.Context, r *run) error {
	const op = "migrate"
	got, err := repofiles.CountRows(ctx, repofiles.Pgx(m.pool))
	if err != nil {
		return targetErr("counting the target's rows", err)
	}
	var diffs []string
	for k, n := range m.report.Counts {
		want := r.before[k] + n
		switch k {
		case "Experimenter":
			want = r.before[k] + m.report.Tables["experimenter"]
		case "ExperimenterGroup":
			want = r.before[k] + m.report.Tables["experimenter_group"]
		case "GroupExperimenterMap":
			want = r.before[k] + m.report.Tables["group_member"]
		}
		// A finished migration's target has been in use since: it may
		// hold more, never less.
		if got[k] != want && !(r.finished && got[k] > want) {
			diffs = append(diffs, fmt.Sprintf("%s: %d expected, %d found", k, want, got[k]))
		}
	}
	if len(diffs) > 0 {
		return core.Errorf(op, core.Internal, "the target does not hold what was copied (%s): another program wrote into the target, or the source changed, during the migration; stop them and start over with an empty database", strings.Join(diffs, "; "))
	}
	var bad []string
	nBad := 0
	checked := 0
	err = repofiles.Each(ctx, repofiles.SQL(m.srcTx), func(f repofiles.File) error {
		dst := filepath.Join(m.opts.FilesTo, filepath.FromSlash(f.Path))
		var size int64
		var sum string
		var err error
		if m.opts.SizesOnly {
			size, err = fileSize(dst)
		} else {
			size, sum, err = checksum.File(ctx, dst, checksum.AlgorithmOf(f.Checksum))
		}
		if err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			return err
		}
		ok := err == nil && size == f.Size && (m.opts.SizesOnly || f.Checksum == "" || checksum.Same(sum, f.Checksum))
		if ok && !m.opts.SizesOnly && f.Checksum == "" && filepath.Clean(m.opts.FilesTo) != filepath.Clean(m.opts.From) {
			// No checksum recorded: compare with the source's bytes.
			_, srcSum, err := checksum.File(ctx, filepath.Join(m.opts.From, filepath.FromSlash(f.Path)), checksum.AlgorithmOf(f.Checksum))
			ok = err == nil && srcSum == sum
		}
		if !ok {
			nBad++
			if len(bad) < 20 {
				bad = append(bad, f.Path)
			}
		}
		checked++
		m.progress("verify", int64(checked), int64(m.report.Files))
		return nil
	})
	if err != nil {
		return repofiles.DiskError(op, "the server's file folder", m.opts.FilesTo, err)
	}
	m.report.Checksums = checked
	if m.opts.SizesOnly {
		m.report.Checksums = 0
	}
	if nBad > 0 {
		return core.Errorf(op, core.Invalid, "%d managed files in %s do not match the checksum or size recorded at import: %s; the rows are all copied; replace these files from a backup and run the migration again to check them",
			nBad, m.opts.FilesTo, strings.Join(bad, ", "))
	}
	return nil
}

func fileSize(path string) (int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
