package admin

import (
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Limits on what a form accepts, so that no input makes Ocular store
// something unbounded.
const (
	MaxName     = 255
	MaxPassword = 1024
)

// CheckPasswordChange refuses, with a sentence, what the password dialog
// must not send: an empty field, a mismatch, an over-long password. old is
// not checked when needOld is false (an administrator resetting someone
// else's password).
func CheckPasswordChange(needOld bool, old, new, repeat string) error {
	const op = "change password"
	switch {
	case needOld && old == "":
		return core.Errorf(op, core.Invalid, "type your current password")
	case new == "":
		return core.Errorf(op, core.Invalid, "type a new password")
	case len(new) > MaxPassword:
		return core.Errorf(op, core.Invalid, "the new password is too long: use at most %d characters", MaxPassword)
	case new != repeat:
		return core.Errorf(op, core.Invalid, "the two new passwords differ: type the same one twice")
	}
	return nil
}

// UserForm is what the New User page collects.
type UserForm struct {
	Username, FirstName, LastName, Email, Institution string
	Password, Repeat                                  string
	Groups                                            []core.ID
	Default                                           core.ID
	// Role: "user", "restricted" or "full".
	Role       string
	Privileges []core.Privilege
}

// Role names of UserForm.Role.
const (
	RoleUser       = "user"
	RoleRestricted = "restricted"
	RoleFull       = "full"
)

// NewUser checks the form and turns it into the core's request, the
// default group first.
func (f UserForm) NewUser() (core.NewUser, error) {
	const op = "add user"
	f.Username = strings.TrimSpace(f.Username)
	f.FirstName, f.LastName = strings.TrimSpace(f.FirstName), strings.TrimSpace(f.LastName)
	switch {
	case f.Username == "":
		return core.NewUser{}, core.Errorf(op, core.Invalid, "type a username")
	case strings.ContainsAny(f.Username, " \t\n/:"):
		return core.NewUser{}, core.Errorf(op, core.Invalid, "the username %q has a space, '/' or ':': use letters, digits, '-', '_' or '.'", f.Username)
	case f.FirstName == "" || f.LastName == "":
		return core.NewUser{}, core.Errorf(op, core.Invalid, "type the user's first and last name")
	case len(f.Username) > MaxName || len(f.FirstName) > MaxName || len(f.LastName) > MaxName ||
		len(f.Email) > MaxName || len(f.Institution) > MaxName:
		return core.NewUser{}, core.Errorf(op, core.Invalid, "a name or email is too long: use at most %d characters", MaxName)
	case len(f.Groups) == 0:
		return core.NewUser{}, core.Errorf(op, core.Invalid, "choose at least one group for the user")
	}
	if err := CheckPasswordChange(false, "", f.Password, f.Repeat); err != nil {
		return core.NewUser{}, err
	}
	groups := []core.ID{}
	if f.Default != 0 {
		if !containsID(f.Groups, f.Default) {
			return core.NewUser{}, core.Errorf(op, core.Invalid, "the default group must be one of the user's groups")
		}
		groups = append(groups, f.Default)
	}
	for _, g := range f.Groups {
		if !containsID(groups, g) {
			groups = append(groups, g)
		}
	}
	nu := core.NewUser{Username: f.Username, FirstName: f.FirstName, LastName: f.LastName,
		Email: strings.TrimSpace(f.Email), Institution: strings.TrimSpace(f.Institution), Password: f.Password, Groups: groups}
	switch f.Role {
	case RoleFull:
		nu.Admin = true
	case RoleRestricted:
		nu.Admin = true
		nu.Privileges = append([]core.Privilege{}, f.Privileges...)
	}
	return nu, nil
}

// CheckGroupName refuses an empty or over-long group name.
func CheckGroupName(name string) error {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return core.Errorf("add group", core.Invalid, "type a name for the group")
	case len(name) > MaxName:
		return core.Errorf("add group", core.Invalid, "the group name is too long: use at most %d characters", MaxName)
	}
	return nil
}

func containsID(ids []core.ID, id core.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
