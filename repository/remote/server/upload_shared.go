package server

import (
	"encoding/json"
	"os"
	"strconv"
	"time"

	"github.com/ocular-lab/ocular/core/diskmode"
)

// Uploads shared by several server instances (behind one load balancer,
// over one repository folder): a client may send the chunks of one upload
// to any of them and ask any of them to import it. Each instance keeps
// what it learnt of an upload in memory, but the files are the truth:
//
//   - the manifest's time and size tell an instance that another one
//     finished, failed or deleted the upload (refreshLocked);
//   - the length records are read again before a chunk is taken, before
//     an import and for a status (receivedLocked);
//   - a chunk is written holding a lock on its data file, taken without
//     waiting, until its length is recorded: a second writer is told the
//     chunk is still being received, and nobody cuts a file being written;
//   - an import holds a lock on <id>/import.lock for as long as it runs:
//     the other instances answer "importing" and take no chunk.
//
// The locks are the operating system's (flock): they end with the process
// that held them, however it ended, so an instance killed mid-chunk or
// mid-import leaves an upload the others continue. The per-session limit
// on open uploads is counted per instance.

// lockPath opens path (creating it) and takes its lock without waiting;
// nil when another holds it.
func lockPath(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, diskmode.File())
	if err != nil {
		return nil, diskErr(err)
	}
	if !tryLock(f) {
		f.Close()
		return nil, nil
	}
	return f, nil
}

// importingElsewhere reports whether another process (or another run in
// this one) holds the upload's import lock.
func (st *uploadStore) importingElsewhere(id string) bool {
	f, err := os.OpenFile(st.path(id, "import.lock"), os.O_RDWR, 0)
	if err != nil {
		return false // never imported, or gone
	}
	defer f.Close()
	return !tryLock(f)
}

// cutData cuts data file n back to length unless a chunk is being written
// to it (by this process or another): bytes past a recorded length are
// not known good.
func (st *uploadStore) cutData(id string, n int, length int64) error {
	f, err := os.OpenFile(st.path(id, "data", strconv.Itoa(n)), os.O_WRONLY, 0)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if !tryLock(f) {
		return nil
	}
	return f.Truncate(length)
}

// noteManifest remembers the manifest as it is on disk now.
func (st *uploadStore) noteManifest(u *upload) {
	if fi, err := os.Stat(st.path(u.ID, "manifest.json")); err == nil {
		u.manifestMod, u.manifestSize = fi.ModTime(), fi.Size()
	}
}

// refreshLocked brings u up to date with what another instance wrote: an
// upload deleted there is gone, one imported or failed there says so.
func (st *uploadStore) refreshLocked(u *upload) error {
	fi, err := os.Stat(st.path(u.ID, "manifest.json"))
	if os.IsNotExist(err) {
		if anyBusy(u) || u.State == stateImporting {
			return nil // this instance's own chunk or import ends it
		}
		delete(st.m, u.ID)
		return errNoUpload
	}
	if err != nil || (fi.ModTime().Equal(u.manifestMod) && fi.Size() == u.manifestSize) || u.State == stateImporting {
		return nil
	}
	b, err := os.ReadFile(st.path(u.ID, "manifest.json"))
	if err != nil {
		return nil
	}
	var disk upload
	if json.Unmarshal(b, &disk) != nil || disk.ID != u.ID {
		return nil
	}
	u.State, u.Result, u.Failure = disk.State, disk.Result, disk.Failure
	if disk.Touched.After(u.Touched) {
		u.Touched = disk.Touched
	}
	u.manifestMod, u.manifestSize = fi.ModTime(), fi.Size()
	return nil
}

// receivedLocked reads again the recorded length of file n (all files
// when n < 0) unless this instance is writing it: another instance may
// have taken chunks since.
func (st *uploadStore) receivedLocked(u *upload, n int) {
	if u.State != stateOpen {
		return
	}
	for i := range u.Req.Files {
		if (n < 0 || i == n) && !u.busy[i] {
			u.received[i] = readLen(st.path(u.ID, "len", strconv.Itoa(i)), u.Req.Files[i].Size)
		}
	}
}

// idleOnDisk reports whether no instance has touched u since limit (the
// time of the last chunk, which every instance writes to <id>/touched),
// and nobody imports it.
func (st *uploadStore) idleOnDisk(u *upload, limit time.Time) bool {
	if b, err := os.ReadFile(st.path(u.ID, "touched")); err == nil {
		if ns, err := strconv.ParseInt(string(b), 10, 64); err == nil && time.Unix(0, ns).After(limit) {
			return false
		}
	}
	return !st.importingElsewhere(u.ID)
}

// touch records, for the other instances' sweeps, that u took a chunk now.
func (st *uploadStore) touch(u *upload) {
	writeFileAtomic(st.path(u.ID, "touched"), []byte(strconv.FormatInt(u.Touched.UnixNano(), 10)), false)
}
