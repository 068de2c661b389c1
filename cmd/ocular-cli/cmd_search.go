package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
)

func init() {
	Register(&Command{Name: "search", Args: "QUERY [--type Image] [--group G] [--owner U] [--from DATE --to DATE] [--date import|acquisition]",
		Short: `find data by name, description, tag, comment, key-value pair, channel or file name ("tag:live exposure>100")`, Run: runSearch})
}

// searchDateLayout is how --from and --to are written.
const searchDateLayout = "2006-01-02"

func runSearch(env *Env, args []string) error {
	fs := env.Flags()
	types := fs.StringSlice("type", nil, "only these kinds: Project, Dataset, Image, Screen, Plate (repeat or comma-separate)")
	owner := fs.String("owner", "", "only data owned by USER")
	from := fs.String("from", "", "only data dated on or after DATE (YYYY-MM-DD)")
	to := fs.String("to", "", "only data dated on or before DATE (YYYY-MM-DD)")
	dateField := fs.String("date", "import", "which date --from and --to compare: import or acquisition")
	limit := fs.Int("limit", 200, "at most this many results (up to 500)")
	offset := fs.Int("offset", 0, "skip this many results (the next page)")
	pos, err := env.Parse(fs, args, 1, -1)
	if err != nil {
		return err
	}
	req := core.SearchRequest{Query: strings.Join(pos, " "), Group: core.AnyID, Owner: core.AnyID,
		DateField: *dateField, Limit: *limit, Offset: *offset}
	for _, t := range *types {
		c, ok := searchClass(t)
		if !ok {
			return env.Usagef("--type %s: use Project, Dataset, Image, Screen or Plate", t)
		}
		req.Types = append(req.Types, c)
	}
	if req.From, err = searchDate("--from", *from, false); err != nil {
		return env.Usagef("%v", err)
	}
	if req.To, err = searchDate("--to", *to, true); err != nil {
		return env.Usagef("%v", err)
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	if env.Group != "" {
		g, err := resolveGroupArg(env, s, env.Group)
		if err != nil {
			return err
		}
		req.Group = g.ID
	}
	if *owner != "" {
		u, err := s.User(env.Ctx, *owner)
		if err != nil {
			return err
		}
		req.Owner = u.ID
	}
	res, err := s.Search(env.Ctx, req)
	if err != nil {
		return err
	}
	return env.Print(res, func(w io.Writer) {
		if len(res.Hits) == 0 {
			fmt.Fprintln(w, "Nothing found.")
			return
		}
		for _, h := range res.Hits {
			fmt.Fprintf(w, "%s %s [%s] in %s\n", h.Ref, safe(h.Name), safe(h.OwnerName), safe(h.Where))
		}
		if res.More {
			fmt.Fprintf(w, "More results follow: add --offset %d for the next page.\n", req.Offset+len(res.Hits))
		}
	})
}

// searchClass accepts a searchable class in any case.
func searchClass(s string) (core.Class, bool) {
	for _, c := range core.SearchTypes {
		if strings.EqualFold(string(c), s) {
			return c, true
		}
	}
	return "", false
}

// searchDate reads YYYY-MM-DD in local time; an end date includes its
// whole day.
func searchDate(flag, s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation(searchDateLayout, s, time.Local)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %s: write the date as YYYY-MM-DD, as in 2026-12-03", flag, s)
	}
	if end {
		d = d.Add(24*time.Hour - time.Millisecond)
	}
	return d, nil
}
