package main

func init() {
	Register(&Command{Name: "render owner", Args: "TARGET...",
		Short: "Set Owner's: copy each image owner's settings into your own (the owner's are untouched)", Run: runRenderOwner})
}

func runRenderOwner(env *Env, args []string) error {
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
	res, err := s.SetOwnersRendering(env.Ctx, targets)
	if err != nil {
		return err
	}
	return printBatch(env, "Applied the owner's settings to", res)
}
