package backup

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/repofiles"
)

// ManifestName is the manifest's file in a backup folder. It is written
// last (to a partial file renamed into place), so a folder without it is a
// backup that did not finish.
const ManifestName = "manifest.jsonl"

// formatVersion is the manifest format this build writes and reads.
const formatVersion = 1

// Header is the manifest's first line.
type Header struct {
	OcularBackup int       `json:"ocularBackup"` // the manifest format
	Created      time.Time `json:"created"`
	Engine       string    `json:"engine"` // "sqlite" or "postgres"
	Schema       int       `json:"schema"` // the database's schema version
	// Database is the database file in the backup folder: ocular.db (an
	// SQLite copy) or database.pgdump (pg_dump -Fc).
	Database       string           `json:"database"`
	DatabaseSize   int64            `json:"databaseSize"`
	DatabaseSHA256 string           `json:"databaseSha256"`
	Counts         repofiles.Counts `json:"counts"`
}

// Entry is one managed file: its path in the backup (and the repository),
// its size and checksum, and for an in-place import the symbolic link it is.
type Entry struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
	// Checksum names its algorithm (core/checksum): the repository's own
	// checksum of the file, in the algorithm it was recorded with.
	Checksum string `json:"checksum,omitempty"`
	// SHA256 is what backups made before checksums named their algorithm
	// hold instead; restore still reads them.
	SHA256  string `json:"sha256,omitempty"`
	Symlink string `json:"symlink,omitempty"`
}

// Sum is the entry's checksum, from either field.
func (e Entry) Sum() string {
	if e.Checksum != "" {
		return e.Checksum
	}
	return e.SHA256
}

// trailer is the manifest's last line: a manifest cut short has none.
type trailer struct {
	End   bool  `json:"end"`
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
}

// manifestWriter writes the manifest as JSON lines (one per file, so its
// memory stays bounded for any number of files) to a partial file.
type manifestWriter struct {
	f     *os.File
	w     *bufio.Writer
	enc   *json.Encoder
	files int
	bytes int64
}

func newManifest(dir string, h Header) (*manifestWriter, error) {
	f, err := os.Create(filepath.Join(dir, "."+ManifestName+".partial"))
	if err != nil {
		return nil, err
	}
	m := &manifestWriter{f: f, w: bufio.NewWriter(f)}
	m.enc = json.NewEncoder(m.w)
	m.enc.SetEscapeHTML(false)
	return m, m.enc.Encode(h)
}

func (m *manifestWriter) add(e Entry) error {
	m.files++
	m.bytes += e.Size
	return m.enc.Encode(e)
}

// commit ends the manifest and renames it into place.
func (m *manifestWriter) commit(dir string) error {
	if err := m.enc.Encode(trailer{End: true, Files: m.files, Bytes: m.bytes}); err != nil {
		return err
	}
	if err := m.w.Flush(); err != nil {
		return err
	}
	if err := m.f.Sync(); err != nil {
		return err
	}
	if err := m.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(m.f.Name(), filepath.Join(dir, ManifestName)); err != nil {
		return err
	}
	return repofiles.SyncDir(dir)
}

func (m *manifestWriter) abandon() {
	m.f.Close()
	os.Remove(m.f.Name())
}

// manifestReader reads a manifest line by line.
type manifestReader struct {
	f      *os.File
	dec    *json.Decoder
	Header Header
	end    *trailer
	seen   int
}

// openManifest opens the manifest of the backup in dir and reads its
// header; a folder without one is refused with the reason.
func openManifest(dir string) (*manifestReader, error) {
	const op = "restore"
	f, err := os.Open(filepath.Join(dir, ManifestName))
	if err != nil {
		if _, perr := os.Stat(filepath.Join(dir, "."+ManifestName+".partial")); perr == nil {
			return nil, core.Errorf(op, core.Invalid, "%s is an incomplete backup (it was interrupted before its manifest was written); make a new backup", dir)
		}
		if _, serr := os.Stat(dir); serr != nil {
			return nil, core.Errorf(op, core.NotFound, "%s does not exist", dir)
		}
		return nil, core.Errorf(op, core.Invalid, "%s is not an Ocular backup (it has no %s)", dir, ManifestName)
	}
	r := &manifestReader{f: f, dec: json.NewDecoder(bufio.NewReader(f))}
	if err := r.dec.Decode(&r.Header); err != nil || r.Header.OcularBackup == 0 {
		f.Close()
		return nil, core.Errorf(op, core.Invalid, "%s in %s is not an Ocular backup manifest", ManifestName, dir)
	}
	if r.Header.OcularBackup > formatVersion {
		f.Close()
		return nil, core.Errorf(op, core.Invalid, "the backup in %s was made by a newer version of Ocular (manifest format %d; this version reads %d); restore it with that version", dir, r.Header.OcularBackup, formatVersion)
	}
	return r, nil
}

// next returns the next entry, or io.EOF after the trailer. A manifest that
// ends without its trailer, or whose trailer disagrees, is damaged.
func (r *manifestReader) next() (Entry, error) {
	var l struct {
		Entry
		trailer
	}
	if err := r.dec.Decode(&l); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return Entry{}, core.Errorf("restore", core.Invalid, "the backup's manifest is cut short (it lists %d files and has no end line); the backup is damaged", r.seen)
		}
		return Entry{}, core.E("restore", core.Invalid, "the backup's manifest is damaged", err)
	}
	if l.End {
		if l.Files != r.seen {
			return Entry{}, core.Errorf("restore", core.Invalid, "the backup's manifest lists %d files but says it has %d; the backup is damaged", r.seen, l.Files)
		}
		r.end = &l.trailer
		return Entry{}, io.EOF
	}
	if l.Path == "" {
		return Entry{}, core.Errorf("restore", core.Invalid, "line %d of the backup's manifest is not a file entry; the backup is damaged", r.seen+2)
	}
	r.seen++
	return l.Entry, nil
}

func (r *manifestReader) close() { r.f.Close() }

func (h Header) String() string {
	return fmt.Sprintf("%s backup of %s, schema %d", h.Engine, h.Created.Format(time.RFC3339), h.Schema)
}
