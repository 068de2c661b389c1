package main

import "github.com/ocular-lab/ocular/core"

func init() {
	Register(&Command{Name: "render owner", Args: "TARGET...",
		Short: "Set Owner's: copy each image owner's settings into your own (the owner's are untouched)", Run: runRenderOwner})
}

func runRenderOwner(env *Env, args []string) error {
	return runRenderBatch(env, args, core.Session.SetOwnersRendering, "Applied the owner's settings to")
}
