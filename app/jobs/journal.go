package jobs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// The journal records the graph operations the CLI runs on a local
// repository, one JSON line each in the repository folder, so that a
// desktop open on the same repository lists them in its activities when it
// refreshes. Reading looks only at the file's tail: a journal that grew
// for years costs no more to read than a new one.

// JournalName is the journal's file name in the repository folder.
const JournalName = "activities.jsonl"

// journalTail is how much of the file's end Read looks at.
const journalTail = 256 << 10

// maxRecordRefs bounds the refs a record keeps (the Show link needs few).
const maxRecordRefs = 100

// Record is one finished operation.
type Record struct {
	Time    time.Time    `json:"time"`
	User    core.ID      `json:"user"`
	Op      core.GraphOp `json:"op"`
	Title   string       `json:"title"`
	State   State        `json:"state"`
	Outcome string       `json:"outcome,omitempty"` // what it did, in a sentence
	Err     string       `json:"error,omitempty"`
	Refs    []core.Ref   `json:"refs,omitempty"`  // what it changed
	Into    core.Ref     `json:"into,omitempty"`  // the container it put them in
	Group   core.ID      `json:"group,omitempty"` // where they are now
}

// AppendRecord adds r to the journal of the repository in dir.
func AppendRecord(dir string, r Record) error {
	if len(r.Refs) > maxRecordRefs {
		r.Refs = r.Refs[:maxRecordRefs]
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(dir, JournalName), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	// One write of a whole line: concurrent appenders never interleave.
	_, werr := f.Write(append(b, '\n'))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}

// ReadRecords returns the records of user finished after since, oldest
// first, from the journal's tail; a missing journal is no records. Lines
// that do not parse (a torn last line, a hostile file) are skipped.
func ReadRecords(dir string, user core.ID, since time.Time) ([]Record, error) {
	f, err := os.Open(filepath.Join(dir, JournalName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	start := max(0, st.Size()-journalTail)
	buf := make([]byte, st.Size()-start)
	if _, err := f.ReadAt(buf, start); err != nil && err != io.EOF {
		return nil, err
	}
	if start > 0 { // the first line is probably cut
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			buf = buf[i+1:]
		}
	}
	var out []Record
	sc := bufio.NewScanner(bytes.NewReader(buf))
	sc.Buffer(make([]byte, 64<<10), journalTail)
	for sc.Scan() {
		var r Record
		if json.Unmarshal(sc.Bytes(), &r) != nil || r.User != user || !r.Time.After(since) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}
