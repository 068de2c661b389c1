package main

import "github.com/ocular-lab/ocular/core"

func init() {
	Register(&Command{Name: "render reset", Args: "TARGET...",
		Short: "Set Imported: reset your settings on images (or datasets, plates, runs) to the import defaults", Run: runRenderReset})
}

func runRenderReset(env *Env, args []string) error {
	return runRenderBatch(env, args, core.Session.ResetRendering, "Reset the settings of")
}
