package main

func init() {
	Register(&Command{Name: "render reset", Args: "TARGET...",
		Short: "Set Imported: reset your settings on images (or datasets, plates, runs) to the import defaults", Run: runRenderReset})
}

func runRenderReset(env *Env, args []string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 1, -1)
	if err != nil {
		return err
	}
	targets, err := parseTargets(pos)
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	res, err := s.ResetRendering(env.Ctx, targets)
	if err != nil {
		return err
	}
	return printBatch(env, "Reset the settings of", res)
}
