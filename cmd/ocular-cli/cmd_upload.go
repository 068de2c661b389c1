package main

import (
	"fmt"
	"io"
	"os"

	"github.com/ocular-lab/ocular/core"
)

func init() {
	Register(&Command{
		Name:  "upload",
		Args:  "FILE...",
		Short: "store files in the repository as OriginalFiles, to attach with obj new FileAnnotation file=OriginalFile:ID",
		Run:   runUpload,
	})
}

func runUpload(env *Env, args []string) error {
	fs := env.Flags()
	paths, err := env.Parse(fs, args, 1, -1)
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	var out []core.ObjectView
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return core.Errorf("upload", core.IO, "cannot read %s: %v", p, err)
		}
		st, err := f.Stat()
		if err == nil && st.IsDir() {
			f.Close()
			return core.Errorf("upload", core.Invalid, "%s is a folder; upload files one by one (or import image folders with `import`)", p)
		}
		v, err := s.Upload(env.Ctx, p, f)
		f.Close()
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	return env.Print(out, func(w io.Writer) {
		for _, v := range out {
			fmt.Fprintln(w, v.Ref)
		}
	})
}
