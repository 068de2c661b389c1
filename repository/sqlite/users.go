package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ocular-lab/ocular/core"
)

const experimenterCols = "id, username, first_name, last_name, email, institution, privileges, default_group, created"

func scanExperimenter(sc interface{ Scan(...any) error }) (core.Experimenter, error) {
	var e core.Experimenter
	var privs sql.NullString
	var def sql.NullInt64
	var created int64
	err := sc.Scan(&e.ID, &e.Username, &e.FirstName, &e.LastName, &e.Email, &e.Institution, &privs, &def, &created)
	if err != nil {
		return e, err
	}
	if privs.Valid {
		if err := json.Unmarshal([]byte(privs.String), &e.Privileges); err != nil {
			return e, fmt.Errorf("experimenter %d has unreadable privileges: %w", e.ID, err)
		}
		if e.Privileges == nil {
			e.Privileges = []core.Privilege{}
		}
	}
	e.DefaultGroup = core.ID(def.Int64)
	e.Created = fromMS(created)
	return e, nil
}

func privilegesValue(p []core.Privilege) any {
	if p == nil {
		return nil
	}
	b, _ := json.Marshal(p)
	return string(b)
}

func (t *txn) Experimenter(id core.ID) (core.Experimenter, error) {
	e, err := scanExperimenter(t.tx.QueryRowContext(t.ctx, "SELECT "+experimenterCols+" FROM experimenter WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, core.ErrNotFound("", core.Ref{Class: core.ClassExperimenter, ID: id})
	}
	return e, dbErr("read experimenter", err)
}

func (t *txn) ExperimenterByName(username string) (core.Experimenter, error) {
	e, err := scanExperimenter(t.tx.QueryRowContext(t.ctx, "SELECT "+experimenterCols+" FROM experimenter WHERE username = ?", username))
	if errors.Is(err, sql.ErrNoRows) {
		return e, core.Errorf("", core.NotFound, "user %q not found", username)
	}
	return e, dbErr("read experimenter", err)
}

func (t *txn) Experimenters() ([]core.Experimenter, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+experimenterCols+" FROM experimenter ORDER BY id")
	if err != nil {
		return nil, dbErr("list experimenters", err)
	}
	defer rows.Close()
	var out []core.Experimenter
	for rows.Next() {
		e, err := scanExperimenter(rows)
		if err != nil {
			return nil, dbErr("list experimenters", err)
		}
		out = append(out, e)
	}
	return out, dbErr("list experimenters", rows.Err())
}

func (t *txn) CreateExperimenter(e *core.Experimenter, hash string) error {
	if e.Created.IsZero() {
		e.Created = now()
	}
	var id any
	if e.ID > 0 || (e.ID == 0 && e.Username == "root") {
		id = e.ID
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO experimenter (id, username, first_name, last_name, email, institution, password_hash, privileges, default_group, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, e.Username, e.FirstName, e.LastName, e.Email, e.Institution, hash,
		privilegesValue(e.Privileges), nullID(e.DefaultGroup), ms(e.Created))
	if err != nil {
		if core.Is(core.Conflict, dbErr("", err)) {
			return core.Errorf("add user", core.Conflict, "a user named %q already exists", e.Username)
		}
		return dbErr("add user", err)
	}
	n, _ := res.LastInsertId()
	e.ID = core.ID(n)
	return nil
}

func nullID(id core.ID) any {
	if id < 0 {
		return nil
	}
	return id
}

func (t *txn) UpdateExperimenter(e core.Experimenter) error {
	res, err := t.tx.ExecContext(t.ctx, `UPDATE experimenter SET username=?, first_name=?, last_name=?, email=?, institution=?, privileges=?, default_group=? WHERE id=?`,
		e.Username, e.FirstName, e.LastName, e.Email, e.Institution, privilegesValue(e.Privileges), nullID(e.DefaultGroup), e.ID)
	return mustAffect(res, err, "update user", core.Ref{Class: core.ClassExperimenter, ID: e.ID})
}

func mustAffect(res sql.Result, err error, op string, ref core.Ref) error {
	if err != nil {
		return dbErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return core.ErrNotFound(op, ref)
	}
	return nil
}

func (t *txn) PasswordHash(id core.ID) (string, error) {
	var h string
	err := t.tx.QueryRowContext(t.ctx, "SELECT password_hash FROM experimenter WHERE id = ?", id).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", core.ErrNotFound("", core.Ref{Class: core.ClassExperimenter, ID: id})
	}
	return h, dbErr("read password", err)
}

func (t *txn) SetPasswordHash(id core.ID, hash string) error {
	res, err := t.tx.ExecContext(t.ctx, "UPDATE experimenter SET password_hash = ? WHERE id = ?", hash, id)
	return mustAffect(res, err, "set password", core.Ref{Class: core.ClassExperimenter, ID: id})
}

const groupCols = "id, name, level, description, created"

func scanGroup(sc interface{ Scan(...any) error }) (core.Group, error) {
	var g core.Group
	var created int64
	err := sc.Scan(&g.ID, &g.Name, &g.Level, &g.Description, &created)
	g.Created = fromMS(created)
	return g, err
}

func (t *txn) Group(id core.ID) (core.Group, error) {
	g, err := scanGroup(t.tx.QueryRowContext(t.ctx, "SELECT "+groupCols+" FROM experimenter_group WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return g, core.ErrNotFound("", core.Ref{Class: core.ClassExperimenterGroup, ID: id})
	}
	return g, dbErr("read group", err)
}

func (t *txn) GroupByName(name string) (core.Group, error) {
	g, err := scanGroup(t.tx.QueryRowContext(t.ctx, "SELECT "+groupCols+" FROM experimenter_group WHERE name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return g, core.Errorf("", core.NotFound, "group %q not found", name)
	}
	return g, dbErr("read group", err)
}

func (t *txn) Groups() ([]core.Group, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+groupCols+" FROM experimenter_group ORDER BY id")
	if err != nil {
		return nil, dbErr("list groups", err)
	}
	defer rows.Close()
	var out []core.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, dbErr("list groups", err)
		}
		out = append(out, g)
	}
	return out, dbErr("list groups", rows.Err())
}

func (t *txn) CreateGroup(g *core.Group) error {
	if g.Created.IsZero() {
		g.Created = now()
	}
	var id any
	if core.IsSpecialGroup(g.ID) && (g.Name == "system" || g.Name == "user" || g.Name == "guest") {
		id = g.ID
	}
	res, err := t.tx.ExecContext(t.ctx, "INSERT INTO experimenter_group (id, name, level, description, created) VALUES (?, ?, ?, ?, ?)",
		id, g.Name, g.Level, g.Description, ms(g.Created))
	if err != nil {
		if core.Is(core.Conflict, dbErr("", err)) {
			return core.Errorf("add group", core.Conflict, "a group named %q already exists", g.Name)
		}
		return dbErr("add group", err)
	}
	n, _ := res.LastInsertId()
	g.ID = core.ID(n)
	return nil
}

func (t *txn) UpdateGroup(g core.Group) error {
	res, err := t.tx.ExecContext(t.ctx, "UPDATE experimenter_group SET name=?, level=?, description=? WHERE id=?", g.Name, g.Level, g.Description, g.ID)
	return mustAffect(res, err, "update group", core.Ref{Class: core.ClassExperimenterGroup, ID: g.ID})
}

func (t *txn) memberships(where string, arg core.ID) ([]core.Membership, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT group_id, user_id, owner FROM group_member WHERE "+where+" ORDER BY group_id, user_id", arg)
	if err != nil {
		return nil, dbErr("read memberships", err)
	}
	defer rows.Close()
	var out []core.Membership
	for rows.Next() {
		var m core.Membership
		if err := rows.Scan(&m.Group, &m.User, &m.Owner); err != nil {
			return nil, dbErr("read memberships", err)
		}
		out = append(out, m)
	}
	return out, dbErr("read memberships", rows.Err())
}

func (t *txn) Memberships(user core.ID) ([]core.Membership, error) {
	return t.memberships("user_id = ?", user)
}

func (t *txn) GroupMembers(group core.ID) ([]core.Membership, error) {
	return t.memberships("group_id = ?", group)
}

func (t *txn) SetMembership(m core.Membership) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO group_member (group_id, user_id, owner) VALUES (?, ?, ?)
		ON CONFLICT (group_id, user_id) DO UPDATE SET owner = excluded.owner`, m.Group, m.User, m.Owner)
	return dbErr("set membership", err)
}

func (t *txn) RemoveMembership(group, user core.ID) error {
	_, err := t.tx.ExecContext(t.ctx, "DELETE FROM group_member WHERE group_id = ? AND user_id = ?", group, user)
	return dbErr("remove membership", err)
}

func (t *txn) CreateSession(s core.SessionRecord) error {
	_, err := t.tx.ExecContext(t.ctx, "INSERT INTO session (key_hash, user_id, group_id, created, expires) VALUES (?, ?, ?, ?, ?)",
		hashKey(s.Key), s.User, s.Group, ms(s.Created), ms(s.Expires))
	return dbErr("create session", err)
}

func (t *txn) Session(key string) (core.SessionRecord, error) {
	var s core.SessionRecord
	var c, e int64
	s.Key = key
	err := t.tx.QueryRowContext(t.ctx, "SELECT user_id, group_id, created, expires FROM session WHERE key_hash = ?", hashKey(key)).Scan(&s.User, &s.Group, &c, &e)
	if errors.Is(err, sql.ErrNoRows) {
		return s, core.Errorf("", core.Auth, "your session has ended; log in again")
	}
	s.Created, s.Expires = fromMS(c), fromMS(e)
	return s, dbErr("read session", err)
}

func (t *txn) UpdateSession(s core.SessionRecord) error {
	_, err := t.tx.ExecContext(t.ctx, "UPDATE session SET group_id = ?, expires = ? WHERE key_hash = ?", s.Group, ms(s.Expires), hashKey(s.Key))
	return dbErr("update session", err)
}

func (t *txn) DeleteSession(key string) error {
	_, err := t.tx.ExecContext(t.ctx, "DELETE FROM session WHERE key_hash = ?", hashKey(key))
	return dbErr("delete session", err)
}

func (t *txn) Meta(key string) (string, error) {
	var v string
	err := t.tx.QueryRowContext(t.ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", core.Errorf("", core.NotFound, "no setting %q", key)
	}
	return v, dbErr("read setting", err)
}

func (t *txn) SetMeta(key, value string) error {
	_, err := t.tx.ExecContext(t.ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return dbErr("save setting", err)
}
