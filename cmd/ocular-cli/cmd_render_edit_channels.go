package main

import "strings"

func init() {
	Register(&Command{Name: "render edit-channels", Args: "IMAGE|DATASET|PLATE --names NAME,NAME,...",
		Short: "rename the channels of an image, or of every image of a dataset or plate (an empty name keeps one)", Run: runRenderEditChannels})
}

func runRenderEditChannels(env *Env, args []string) error {
	fs := env.Flags()
	names := fs.String("names", "", "the channel names in order, comma-separated (DAPI,GFP); leave one empty to keep it (DAPI,,Cy5)")
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *names == "" {
		return env.Usagef("give the new channel names with --names DAPI,GFP,...")
	}
	targets, err := parseTargets(pos)
	if err != nil {
		return err
	}
	if len(targets) != 1 {
		return env.Usagef("give one image, dataset or plate")
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	res, err := s.RenameChannels(env.Ctx, targets[0], strings.Split(*names, ","))
	if err != nil {
		return err
	}
	return printBatch(env, "Renamed the channels of", res)
}
