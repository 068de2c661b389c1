package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// An upload on disk, below Config.UploadDir:
//
//	<id>/manifest.json   the declaration, its owner, state and answer
//	<id>/data/<n>        the bytes of file n received so far (made by its first chunk)
//	<id>/len/<n>         how many of them are received (written after fsync)
//	<id>/tree/<name>     hard links to the data under their names, made for the import
//
// The length record is written only after the data is on disk, so a cut
// connection or a crash leaves a prefix that is known good: the client
// asks for it and continues there. A restart reloads the uploads and cuts
// each data file back to its recorded length.
//
// Several server instances may share the folder (upload_shared.go): the
// files above are the truth, and what an instance keeps in memory is
// checked against them at every request. A chunk holds a lock on its data
// file while it is written, and an import a lock on <id>/import.lock, so
// two instances never write one file or import one upload at once.

// Upload states, as the wire names them.
const (
	stateOpen      = wire.UploadOpen
	stateImporting = wire.UploadImporting
	stateImported  = wire.UploadImported
	stateFailed    = wire.UploadFailed
)

// upload is one upload. Its fields are guarded by uploadStore.mu.
type upload struct {
	ID      string               `json:"id"`
	User    core.ID              `json:"user"`
	Session string               `json:"session"` // SHA-256 of the session key: the per-session limit
	Created time.Time            `json:"created"`
	Touched time.Time            `json:"touched"` // last chunk or change: abandoned uploads are swept
	Req     core.UploadedImport  `json:"request"`
	State   string               `json:"state"`
	Result  *core.UploadedResult `json:"result,omitempty"`
	Failure *wire.ErrorBody      `json:"failure,omitempty"`

	received []int64
	busy     []bool     // a chunk of file n is being written
	run      *importRun // the import running or last run
	// deleted: DELETE came while a chunk was being received; the upload
	// is out of the store and the chunk's handler removes its files.
	deleted bool
	// manifestMod and manifestSize are the manifest's as last read or
	// written here: another instance's change shows as a difference.
	manifestMod  time.Time
	manifestSize int64
}

// uploadStore holds the uploads of one server.
type uploadStore struct {
	dir    string
	limits Limits
	now    func() time.Time
	mu     sync.Mutex
	m      map[string]*upload
	loaded bool
}

func newUploadStore(dir string, l Limits, now func() time.Time) *uploadStore {
	return &uploadStore{dir: dir, limits: l, now: now, m: map[string]*upload{}}
}

// errNoUpload answers an unknown upload and another user's alike.
var errNoUpload = core.Errorf("upload", core.NotFound, "no such upload; it may have been finished, deleted or removed as abandoned")

func hashKey(key string) string {
	s := sha256.Sum256([]byte(key))
	return hex.EncodeToString(s[:])
}

func (st *uploadStore) path(id string, parts ...string) string {
	return filepath.Join(append([]string{st.dir, id}, parts...)...)
}

// loadLocked reads the uploads a previous run left, once.
func (st *uploadStore) loadLocked() {
	if st.loaded {
		return
	}
	st.loaded = true
	entries, err := os.ReadDir(st.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !validID(e.Name()) {
			continue
		}
		u, err := st.read(e.Name())
		if err != nil {
			os.RemoveAll(st.path(e.Name())) // a manifest never written completely: nothing was acknowledged
			continue
		}
		st.m[u.ID] = u
	}
}

// read loads one upload and cuts its data back to the recorded lengths.
func (st *uploadStore) read(id string) (*upload, error) {
	b, err := os.ReadFile(st.path(id, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var u upload
	if err := json.Unmarshal(b, &u); err != nil || u.ID != id {
		return nil, errors.New("bad manifest")
	}
	if u.State == stateImporting {
		u.State = stateOpen // the process ended during it: nothing of it was registered or it would say imported
	}
	importing := st.importingElsewhere(id)
	if !importing {
		os.RemoveAll(st.path(id, "tree"))
	}
	n := len(u.Req.Files)
	u.received, u.busy = make([]int64, n), make([]bool, n)
	if u.State == stateOpen && !importing {
		for i := range u.Req.Files {
			u.received[i] = readLen(st.path(id, "len", strconv.Itoa(i)), u.Req.Files[i].Size)
			if err := st.cutData(id, i, u.received[i]); err != nil {
				return nil, err
			}
		}
	}
	st.noteManifest(&u)
	return &u, nil
}

func readLen(path string, max int64) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || n < 0 || n > max {
		return 0
	}
	return n
}

func validID(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// sweepLocked removes uploads untouched for longer than UploadIdle (an
// import running is never removed).
func (st *uploadStore) sweepLocked() {
	limit := st.now().Add(-st.limits.UploadIdle)
	for id, u := range st.m {
		if u.State != stateImporting && u.Touched.Before(limit) && !anyBusy(u) && st.idleOnDisk(u, limit) {
			os.RemoveAll(st.path(id))
			delete(st.m, id)
		}
	}
}

func anyBusy(u *upload) bool {
	for _, b := range u.busy {
		if b {
			return true
		}
	}
	return false
}

// uploadActive is how long after its last chunk an open upload still
// counts against its session's limit. The limit bounds uploads in
// progress at once; a client killed mid-upload (no DELETE) must not block
// its session until the sweep, and its upload stays resumable meanwhile.
const uploadActive = 15 * time.Minute

// openCountLocked counts a session's uploads importing or taking chunks
// lately. An upload this instance last saw open may since have been
// imported or deleted through another instance of the server (the uploads
// are shared through their folder), so its state is read again first:
// with two instances, a client's earlier uploads, imported by the other
// one, were still counted as open here, and its fifth import in a session
// was refused (measured with scripts/bench-instances.sh).
func (st *uploadStore) openCountLocked(session string) int {
	n := 0
	recent := st.now().Add(-uploadActive)
	for _, u := range st.m {
		if u.Session != session {
			continue
		}
		if u.State == stateOpen && st.refreshLocked(u) != nil {
			continue // gone
		}
		if u.State == stateImporting || u.State == stateOpen && u.Touched.After(recent) {
			n++
		}
	}
	return n
}

// create stores a new upload for user and session key, refusing one over
// the per-session limit. Files of zero bytes are complete at once.
func (st *uploadStore) create(user core.ID, key string, req core.UploadedImport) (*upload, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.loadLocked()
	st.sweepLocked()
	session := hashKey(key)
	if st.openCountLocked(session) >= st.limits.UploadsPerSession {
		return nil, core.Errorf("upload", core.Conflict, "this session already has %d uploads open, the most this server allows; finish or delete one first", st.limits.UploadsPerSession)
	}
	if err := st.roomFor(req); err != nil {
		return nil, err
	}
	var raw [16]byte
	rand.Read(raw[:])
	now := st.now()
	u := &upload{ID: hex.EncodeToString(raw[:]), User: user, Session: session, Created: now, Touched: now,
		Req: req, State: stateOpen, received: make([]int64, len(req.Files)), busy: make([]bool, len(req.Files))}
	if err := st.makeFiles(u); err != nil {
		os.RemoveAll(st.path(u.ID))
		return nil, err
	}
	st.m[u.ID] = u
	return u, nil
}

// makeFiles makes the upload's folders, empty data files and manifest.
func (st *uploadStore) makeFiles(u *upload) error {
	for _, d := range []string{"data", "len"} {
		if err := os.MkdirAll(st.path(u.ID, d), diskmode.Dir()); err != nil {
			return diskErr(err)
		}
	}
	// Data files are made by their first chunk: a declaration alone costs
	// one manifest, however many files it lists.
	return st.saveLocked(u)
}

// saveLocked writes the manifest atomically (temporary file, fsync, rename).
func (st *uploadStore) saveLocked(u *upload) error {
	b, err := json.Marshal(u)
	if err != nil {
		return core.E("upload", core.Internal, err)
	}
	if err := writeFileAtomic(st.path(u.ID, "manifest.json"), b, true); err != nil {
		return err
	}
	st.noteManifest(u)
	return nil
}

func writeFileAtomic(path string, b []byte, sync bool) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, diskmode.File())
	if err != nil {
		return diskErr(err)
	}
	_, err = f.Write(b)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return diskErr(err)
	}
	return nil
}

// get returns the upload id of user, or errNoUpload (for another user's too).
// An upload made by another instance sharing the folder is read from
// disk; one held in memory is first brought up to date with the disk.
func (st *uploadStore) getLocked(id string, user core.ID) (*upload, error) {
	st.loadLocked()
	u, ok := st.m[id]
	if !ok {
		if !validID(id) {
			return nil, errNoUpload
		}
		var err error
		if u, err = st.read(id); err != nil {
			return nil, errNoUpload
		}
		st.m[id] = u
	} else if err := st.refreshLocked(u); err != nil {
		return nil, err
	}
	if u.User != user {
		return nil, errNoUpload
	}
	return u, nil
}

// remove deletes an upload and its files.
func (st *uploadStore) removeLocked(u *upload) {
	os.RemoveAll(st.path(u.ID))
	delete(st.m, u.ID)
}

// recordLocked records that file n has length bytes on disk.
func (st *uploadStore) recordLocked(u *upload, n int, length int64) error {
	u.received[n] = length
	u.Touched = st.now()
	st.touch(u)
	// Not synced: a record lost in a crash is an older, shorter one, and
	// the client sends the rest again.
	return writeFileAtomic(st.path(u.ID, "len", strconv.Itoa(n)), []byte(strconv.FormatInt(length, 10)), false)
}

// diskErr explains the failures of the upload folder an operator can fix;
// the server's paths stay out of the message.
func diskErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	msg := fmt.Sprintf("the server cannot store the upload (%v); try again later or ask its administrator", err)
	return &core.Error{Op: "upload", Kind: core.IO, Msg: msg}
}

// roomFor refuses an upload the server's disk cannot hold now, before a
// byte of it is sent (uploads running meanwhile may still fill it: a chunk
// that cannot be written is then refused with the same sentence).
func (st *uploadStore) roomFor(req core.UploadedImport) error {
	if err := os.MkdirAll(st.dir, diskmode.Dir()); err != nil {
		return diskErr(err)
	}
	var total int64
	for _, f := range req.Files {
		total += f.Size
	}
	if free, ok := freeSpace(st.dir); ok && free < total {
		return core.Errorf("upload", core.IO, "the server has room for %s and the files take %s; free some space on the server or import fewer files at once", bytesText(free), bytesText(total))
	}
	return nil
}

func bytesText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
