package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ocular-lab/ocular/core"
)

// Helpers shared by the verbs: turning names on the command line into IDs
// and printing tables.

// userIDs resolves usernames (or IDs, or Experimenter:ID) to IDs.
func userIDs(env *Env, s core.Session, names []string) ([]core.ID, error) {
	ids := make([]core.ID, 0, len(names))
	for _, n := range names {
		u, err := s.User(env.Ctx, n)
		if err != nil {
			return nil, err
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// userInfos reads users back after a change, for the output.
func userInfos(env *Env, s core.Session, ids []core.ID) ([]core.UserInfo, error) {
	out := make([]core.UserInfo, 0, len(ids))
	for _, id := range ids {
		u, err := s.User(env.Ctx, fmt.Sprint(id))
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// parsePrivileges reads "Chown,Sudo"; "" means none (an empty, non-nil list).
func parsePrivileges(list string) ([]core.Privilege, error) {
	out := []core.Privilege{}
	for _, p := range strings.Split(list, ",") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		pr, err := core.ParsePrivilege(p)
		if err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, nil
}

// parseFields reads `key=value` arguments.
func parseFields(args []string) (map[string]string, error) {
	fields := make(map[string]string, len(args))
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, core.Errorf("", core.Invalid, "%q is not a field=value pair (for example name=P1)", a)
		}
		if _, dup := fields[k]; dup {
			return nil, core.Errorf("", core.Invalid, "the field %q is given twice", k)
		}
		fields[k] = v
	}
	return fields, nil
}

// parseRefs reads Class:ID arguments; Class:ID,ID names several objects.
func parseRefs(args []string) ([]core.Ref, error) {
	var refs []core.Ref
	for _, a := range args {
		t, err := core.ParseTarget(a)
		if err != nil {
			return nil, err
		}
		if t.SubClass != "" {
			return nil, core.Errorf("", core.Invalid, "%q: the Class/SubClass form is for graph operations; name objects as Class:ID", a)
		}
		refs = append(refs, t.Refs()...)
	}
	return refs, nil
}

// table writes aligned columns. Every cell is escaped (safe): a tab or a
// newline in a name cannot shift columns or add rows.
func table(w io.Writer, header []string, rows [][]string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(safeAll(r), "\t"))
	}
	tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
