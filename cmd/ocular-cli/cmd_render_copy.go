package main

func init() {
	Register(&Command{Name: "render copy", Args: "IMAGE TARGET...",
		Short: "paste your settings on an image (else its owner's) onto images, datasets, plates or runs; incompatible ones are skipped", Run: runRenderCopy})
}

func runRenderCopy(env *Env, args []string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 2, -1)
	if err != nil {
		return err
	}
	src, err := parseImage(pos[0])
	if err != nil {
		return err
	}
	targets, err := parseTargets(pos[1:])
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	res, err := s.PasteRendering(env.Ctx, src, targets)
	if err != nil {
		return err
	}
	return printBatch(env, "Copied the settings of "+src.String()+" to", res)
}
