package server

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ocular-lab/ocular/core"
)

// Bounds of an upload's declaration that do not depend on the server's
// Limits: names and paths are short strings, options are a handful.
const (
	maxUploadName    = 1024 // bytes of a relative name
	maxNamePart      = 255  // bytes of one folder or file name
	maxClientPath    = 4096
	maxUploadTags    = 100
	maxOptionText    = 255
	maxThumbnailSize = 1024
	// maxDeclaration bounds the JSON body declaring an upload: about 300
	// bytes a file for the default 50,000 files.
	maxDeclaration = 16 << 20
)

// checkName refuses a relative name that could lead out of the upload's
// folder or that a file system would read differently: "..", a leading "/",
// a backslash, empty or "." parts, NUL or other control characters, names
// that are not UTF-8 or too long. what says which field it is.
func checkName(what, name string) error {
	bad := func(why string) error {
		return core.Errorf("upload", core.Invalid, "%s %q %s; name files relative to their folder, with / between folders", what, clip(name), why)
	}
	switch {
	case name == "":
		return core.Errorf("upload", core.Invalid, "%s is empty; name every file relative to its folder", what)
	case len(name) > maxUploadName:
		return bad(fmt.Sprintf("is longer than %d bytes", maxUploadName))
	case !utf8.ValidString(name):
		return bad("is not UTF-8 text")
	case strings.HasPrefix(name, "/"):
		return bad("is an absolute path")
	case strings.ContainsRune(name, '\\'):
		return bad("holds a backslash")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return bad("holds a control character (NUL or another)")
		}
	}
	for _, part := range strings.Split(name, "/") {
		switch {
		case part == "..":
			return bad(`holds ".." and would lead out of the upload`)
		case part == "" || part == ".":
			return bad(`has an empty or "." part`)
		case len(part) > maxNamePart:
			return bad(fmt.Sprintf("has a part longer than %d bytes", maxNamePart))
		}
	}
	return nil
}

// clip shortens hostile input echoed in a message, and keeps it valid text.
func clip(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// checkDeclaration checks an upload's files and options against the
// server's limits before anything is stored.
func checkDeclaration(req *core.UploadedImport, l Limits) error {
	n := len(req.Files)
	if n == 0 {
		return core.Errorf("upload", core.Invalid, "the upload declares no files; list the files of one image to import")
	}
	if n > l.MaxUploadFiles {
		return core.Errorf("upload", core.Invalid, "the upload declares %d files; this server takes at most %d in one upload", n, l.MaxUploadFiles)
	}
	names := make(map[string]bool, n)
	var total int64
	for i := range req.Files {
		f := &req.Files[i]
		if err := checkName("the file name", f.Name); err != nil {
			return err
		}
		if names[f.Name] {
			return core.Errorf("upload", core.Invalid, "the file %q is declared twice", clip(f.Name))
		}
		names[f.Name] = true
		if f.Size < 0 || f.Size > l.MaxUploadBytes {
			return core.Errorf("upload", core.Invalid, "the file %q declares %d bytes; this server takes files of 0 to %d bytes", clip(f.Name), f.Size, l.MaxUploadBytes)
		}
		if total += f.Size; total > l.MaxUploadBytes {
			return core.Errorf("upload", core.Invalid, "the upload declares more than %d bytes in all, more than this server takes at once", l.MaxUploadBytes)
		}
		if !isSHA256(f.SHA256) {
			return core.Errorf("upload", core.Invalid, "the file %q has no SHA-256 checksum (64 lower-case hex digits); compute it before sending", clip(f.Name))
		}
		if len(f.ClientPath) > maxClientPath || strings.ContainsRune(f.ClientPath, 0) || !utf8.ValidString(f.ClientPath) {
			return core.Errorf("upload", core.Invalid, "the client path of %q is not a path (longer than %d bytes, not UTF-8, or holding NUL)", clip(f.Name), maxClientPath)
		}
	}
	// A name may not be both a file and a folder of another file.
	for name := range names {
		for dir := name; ; {
			i := strings.LastIndexByte(dir, '/')
			if i < 0 {
				break
			}
			dir = dir[:i]
			if names[dir] {
				return core.Errorf("upload", core.Invalid, "%q is declared as a file and as the folder of %q", clip(dir), clip(name))
			}
		}
	}
	if err := checkName("the main name", req.Main); err != nil {
		return err
	}
	if !names[req.Main] && !isFolderOf(req.Main, names) {
		return core.Errorf("upload", core.Invalid, "the main name %q is neither a declared file nor the folder of one", clip(req.Main))
	}
	return checkOptionsText(req.Options)
}

func isFolderOf(dir string, names map[string]bool) bool {
	for name := range names {
		if strings.HasPrefix(name, dir+"/") {
			return true
		}
	}
	return false
}

// checkOptionsText bounds the free text of the options.
func checkOptionsText(o core.ImportOptions) error {
	if len(o.Tags) > maxUploadTags {
		return core.Errorf("upload", core.Invalid, "%d tags asked; at most %d", len(o.Tags), maxUploadTags)
	}
	for _, s := range append([]string{o.Name, o.Owner}, o.Tags...) {
		if len(s) > maxOptionText || strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
			return core.Errorf("upload", core.Invalid, "a name, owner or tag is longer than %d bytes, not UTF-8, or holds NUL", maxOptionText)
		}
	}
	if len(o.Folder) > maxClientPath || strings.ContainsRune(o.Folder, 0) || !utf8.ValidString(o.Folder) {
		return core.Errorf("upload", core.Invalid, "the folder is longer than %d bytes, not UTF-8, or holds NUL", maxClientPath)
	}
	if o.ThumbnailSize < 0 || o.ThumbnailSize > maxThumbnailSize {
		return core.Errorf("upload", core.Invalid, "thumbnail size %d is outside 0 to %d", o.ThumbnailSize, maxThumbnailSize)
	}
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
