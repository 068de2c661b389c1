package inprocess

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
)

// FilesDirName is the folder of the repository holding uploaded attachments.
const FilesDirName = "Files"

// Upload implements core.Importer. The bytes are written first, to a folder
// of their own, and the OriginalFile row naming them second; if the row
// cannot be written the file is removed, so no row ever names a missing file.
func (s *session) Upload(ctx context.Context, name string, content io.Reader) (core.ObjectView, error) {
	const op = "upload"
	var view core.ObjectView
	base := path.Base(filepath.ToSlash(strings.TrimSpace(name)))
	if base == "" || base == "." || base == "/" || base == ".." || strings.ContainsAny(base, "\x00") {
		return view, core.Errorf(op, core.Invalid, "%q is not a usable file name", name)
	}
	me, err := s.Me(ctx)
	if err != nil {
		return view, err
	}
	if me.IsGuest {
		return view, core.Errorf(op, core.Permission, "the guest account cannot upload files")
	}
	rel := path.Join(FilesDirName, fmt.Sprintf("%s_%d", me.User.Username, me.User.ID), newKey()[:16], base)
	abs := filepath.Join(s.svc.store.Dir(), filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(abs), diskmode.Dir()); err != nil {
		return view, core.E(op, core.IO, "cannot create the attachment folder", err)
	}
	removeFile := func() {
		os.Remove(abs)
		os.Remove(filepath.Dir(abs))
	}
	f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, diskmode.File())
	if err != nil {
		return view, core.E(op, core.IO, "cannot store the file", err)
	}
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(f, h), content)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		removeFile()
		return view, core.E(op, core.IO, "cannot store the file", err)
	}
	err = s.write(ctx, func(d *ctxData) error {
		if _, ok := d.groups[s.group]; !ok || s.group == core.UserGroupID || (!d.actor.IsMember(s.group) && !d.actor.Admin) {
			return core.Errorf(op, core.Invalid, "switch to one of your groups to upload")
		}
		o := &core.Object{Ref: core.Ref{Class: core.OriginalFile}, Name: base,
			Details: core.Details{Owner: d.actor.UserID, Group: s.group}}
		o.SetAttr("name", base)
		o.SetAttr("path", rel)
		o.SetAttr("size", size)
		o.SetAttr("hash", hex.EncodeToString(h.Sum(nil)))
		mt := mime.TypeByExtension(filepath.Ext(base))
		if mt == "" {
			mt = "application/octet-stream"
		}
		o.SetAttr("mimetype", mt)
		if err := d.tx.CreateObject(o); err != nil {
			return core.E(op, err)
		}
		view = d.view(o)
		return nil
	})
	if err != nil {
		removeFile()
		return core.ObjectView{}, err
	}
	return view, nil
}
