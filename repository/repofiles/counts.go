package repofiles

import "context"

// Counts are what a user would count in a repository: users, groups,
// memberships, and objects per class (Image, Dataset, TagAnnotation,
// DatasetImageLink, ...). Backups record them and restores compare;
// migrations compare both sides.
type Counts map[string]int64

// CountRows counts the repository's rows per class through q.
func CountRows(ctx context.Context, q Querier) (Counts, error) {
	c := Counts{}
	for _, t := range []struct{ key, table string }{
		{"Experimenter", "experimenter"}, {"ExperimenterGroup", "experimenter_group"},
		{"GroupExperimenterMap", "group_member"}, {"Pixels", "pixels"}, {"Channel", "channel"},
		{"FilesetEntry", "fileset_entry"},
	} {
		err := q(ctx, "SELECT count(*) FROM "+t.table, func(scan func(...any) error) error {
			var n int64
			err := scan(&n)
			c[t.key] = n
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	err := q(ctx, "SELECT class, count(*) FROM object GROUP BY class", func(scan func(...any) error) error {
		var class string
		var n int64
		err := scan(&class, &n)
		c[class] = n
		return err
	})
	return c, err
}

// Diff lists the keys whose counts differ between want and got, as
// "Image: 10 here, 9 there" sentences in key order.
func (want Counts) Diff(got Counts, wantName, gotName string) []string {
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var out []string
	for _, k := range sortedKeys(keys) {
		if want[k] != got[k] {
			out = append(out, k+": "+itoa(want[k])+" in "+wantName+", "+itoa(got[k])+" in "+gotName)
		}
	}
	return out
}
