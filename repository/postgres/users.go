package postgres

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
)

const experimenterCols = "id, username, first_name, last_name, email, institution, privileges, default_group, created"

// The reads every session's write begins with, named so that a write can
// send them with its lock (pipeline.go) as the same statements.
const (
	experimenterSQL = "SELECT " + experimenterCols + " FROM experimenter WHERE id = $1"
	sessionSQL      = "SELECT user_id, group_id, created, expires FROM session WHERE key_hash = $1"
	groupsSQL       = "SELECT " + groupCols + " FROM experimenter_group ORDER BY id"
)

func membershipsSQL(where string) string {
	return "SELECT group_id, user_id, owner FROM group_member WHERE " + where + " ORDER BY group_id, user_id"
}

func scanExperimenter(row pgx.Row) (core.Experimenter, error) {
	var e core.Experimenter
	var id, created int64
	var privs *string
	var def *int64
	err := row.Scan(&id, &e.Username, &e.FirstName, &e.LastName, &e.Email, &e.Institution, &privs, &def, &created)
	if err != nil {
		return e, err
	}
	e.ID = core.ID(id)
	if privs != nil {
		if err := json.Unmarshal([]byte(*privs), &e.Privileges); err != nil {
			return e, fmt.Errorf("experimenter %d has unreadable privileges: %w", e.ID, err)
		}
		if e.Privileges == nil {
			e.Privileges = []core.Privilege{}
		}
	}
	e.DefaultGroup = deref(def)
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

// nullID is a user's default group: NULL for none (a negative ID).
func nullID(id core.ID) any {
	if id < 0 {
		return nil
	}
	return int64(id)
}

func (t *txn) Experimenter(id core.ID) (core.Experimenter, error) {
	e, err := scanExperimenter(t.tx.QueryRow(t.ctx, experimenterSQL, int64(id)))
	if errNoRows(err) {
		return e, core.ErrNotFound("", core.Ref{Class: core.ClassExperimenter, ID: id})
	}
	return e, dbErr("read experimenter", err)
}

func (t *txn) ExperimenterByName(username string) (core.Experimenter, error) {
	e, err := scanExperimenter(t.tx.QueryRow(t.ctx, "SELECT "+experimenterCols+" FROM experimenter WHERE username = $1", username))
	if errNoRows(err) {
		return e, core.Errorf("", core.NotFound, "user %q not found", username)
	}
	return e, dbErr("read experimenter", err)
}

func (t *txn) Experimenters() ([]core.Experimenter, error) {
	rows, err := t.tx.Query(t.ctx, "SELECT "+experimenterCols+" FROM experimenter ORDER BY id")
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

// CreateExperimenter numbers a new user as SQLite does (the largest ID + 1;
// root and guest keep 0 and 1). Writes are serial, so no two transactions
// pick the same number.
func (t *txn) CreateExperimenter(e *core.Experimenter, hash string) error {
	if e.Created.IsZero() {
		e.Created = now()
	}
	var id any
	if e.ID > 0 || (e.ID == 0 && e.Username == "root") {
		id = int64(e.ID)
	}
	// A taken name inserts nothing rather than failing, which would abort
	// the transaction.
	var got int64
	err := t.tx.QueryRow(t.ctx, `INSERT INTO experimenter (id, username, first_name, last_name, email, institution, password_hash, privileges, default_group, created)
		VALUES (coalesce($1, (SELECT coalesce(max(id), 0) + 1 FROM experimenter)), $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT DO NOTHING RETURNING id`, id, e.Username, e.FirstName, e.LastName, e.Email, e.Institution, hash,
		privilegesValue(e.Privileges), nullID(e.DefaultGroup), ms(e.Created)).Scan(&got)
	if errNoRows(err) {
		return core.Errorf("add user", core.Conflict, "a user named %q already exists", e.Username)
	}
	if err != nil {
		return dbErr("add user", err)
	}
	e.ID = core.ID(got)
	return nil
}

func (t *txn) UpdateExperimenter(e core.Experimenter) error {
	tag, err := t.tx.Exec(t.ctx, `UPDATE experimenter SET username=$1, first_name=$2, last_name=$3, email=$4, institution=$5, privileges=$6, default_group=$7 WHERE id=$8`,
		e.Username, e.FirstName, e.LastName, e.Email, e.Institution, privilegesValue(e.Privileges), nullID(e.DefaultGroup), int64(e.ID))
	return mustAffect(tag.RowsAffected(), err, "update user", core.Ref{Class: core.ClassExperimenter, ID: e.ID})
}

func mustAffect(n int64, err error, op string, ref core.Ref) error {
	if err != nil {
		return dbErr(op, err)
	}
	if n == 0 {
		return core.ErrNotFound(op, ref)
	}
	return nil
}

func (t *txn) PasswordHash(id core.ID) (string, error) {
	var h string
	err := t.tx.QueryRow(t.ctx, "SELECT password_hash FROM experimenter WHERE id = $1", int64(id)).Scan(&h)
	if errNoRows(err) {
		return "", core.ErrNotFound("", core.Ref{Class: core.ClassExperimenter, ID: id})
	}
	return h, dbErr("read password", err)
}

func (t *txn) SetPasswordHash(id core.ID, hash string) error {
	tag, err := t.tx.Exec(t.ctx, "UPDATE experimenter SET password_hash = $1 WHERE id = $2", hash, int64(id))
	return mustAffect(tag.RowsAffected(), err, "set password", core.Ref{Class: core.ClassExperimenter, ID: id})
}

const groupCols = "id, name, level, description, created"

func scanGroup(row pgx.Row) (core.Group, error) {
	var g core.Group
	var id, created int64
	var level int32
	err := row.Scan(&id, &g.Name, &level, &g.Description, &created)
	g.ID, g.Level, g.Created = core.ID(id), core.Level(level), fromMS(created)
	return g, err
}

func (t *txn) Group(id core.ID) (core.Group, error) {
	g, err := scanGroup(t.tx.QueryRow(t.ctx, "SELECT "+groupCols+" FROM experimenter_group WHERE id = $1", int64(id)))
	if errNoRows(err) {
		return g, core.ErrNotFound("", core.Ref{Class: core.ClassExperimenterGroup, ID: id})
	}
	return g, dbErr("read group", err)
}

func (t *txn) GroupByName(name string) (core.Group, error) {
	g, err := scanGroup(t.tx.QueryRow(t.ctx, "SELECT "+groupCols+" FROM experimenter_group WHERE name = $1", name))
	if errNoRows(err) {
		return g, core.Errorf("", core.NotFound, "group %q not found", name)
	}
	return g, dbErr("read group", err)
}

func (t *txn) Groups() ([]core.Group, error) {
	rows, err := t.tx.Query(t.ctx, groupsSQL)
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

// CreateGroup numbers a new group as SQLite does (the largest ID + 1; the
// special groups keep theirs).
func (t *txn) CreateGroup(g *core.Group) error {
	if g.Created.IsZero() {
		g.Created = now()
	}
	var id any
	if core.IsSpecialGroup(g.ID) && (g.Name == "system" || g.Name == "user" || g.Name == "guest") {
		id = int64(g.ID)
	}
	var got int64
	err := t.tx.QueryRow(t.ctx, `INSERT INTO experimenter_group (id, name, level, description, created)
		VALUES (coalesce($1, (SELECT coalesce(max(id), 0) + 1 FROM experimenter_group)), $2, $3, $4, $5)
		ON CONFLICT DO NOTHING RETURNING id`, id, g.Name, int32(g.Level), g.Description, ms(g.Created)).Scan(&got)
	if errNoRows(err) {
		return core.Errorf("add group", core.Conflict, "a group named %q already exists", g.Name)
	}
	if err != nil {
		return dbErr("add group", err)
	}
	g.ID = core.ID(got)
	return nil
}

func (t *txn) UpdateGroup(g core.Group) error {
	tag, err := t.tx.Exec(t.ctx, "UPDATE experimenter_group SET name=$1, level=$2, description=$3 WHERE id=$4", g.Name, int32(g.Level), g.Description, int64(g.ID))
	return mustAffect(tag.RowsAffected(), err, "update group", core.Ref{Class: core.ClassExperimenterGroup, ID: g.ID})
}

func (t *txn) memberships(where string, arg core.ID) ([]core.Membership, error) {
	rows, err := t.tx.Query(t.ctx, membershipsSQL(where), int64(arg))
	if err != nil {
		return nil, dbErr("read memberships", err)
	}
	defer rows.Close()
	var out []core.Membership
	for rows.Next() {
		var g, u int64
		var owner int32
		if err := rows.Scan(&g, &u, &owner); err != nil {
			return nil, dbErr("read memberships", err)
		}
		out = append(out, core.Membership{Group: core.ID(g), User: core.ID(u), Owner: owner != 0})
	}
	return out, dbErr("read memberships", rows.Err())
}

func (t *txn) Memberships(user core.ID) ([]core.Membership, error) {
	return t.memberships("user_id = $1", user)
}

func (t *txn) GroupMembers(group core.ID) ([]core.Membership, error) {
	return t.memberships("group_id = $1", group)
}

func (t *txn) SetMembership(m core.Membership) error {
	owner := 0
	if m.Owner {
		owner = 1
	}
	_, err := t.tx.Exec(t.ctx, `INSERT INTO group_member (group_id, user_id, owner) VALUES ($1, $2, $3)
		ON CONFLICT (group_id, user_id) DO UPDATE SET owner = excluded.owner`, int64(m.Group), int64(m.User), owner)
	return dbErr("set membership", err)
}

func (t *txn) RemoveMembership(group, user core.ID) error {
	_, err := t.tx.Exec(t.ctx, "DELETE FROM group_member WHERE group_id = $1 AND user_id = $2", int64(group), int64(user))
	return dbErr("remove membership", err)
}

// hashKey is what the session table stores for a session key: its hex
// SHA-256, as in the SQLite repository, so that someone who reads the
// database (a backup, a stolen copy) cannot log in with what they find.
func hashKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

func (t *txn) CreateSession(s core.SessionRecord) error {
	_, err := t.tx.Exec(t.ctx, "INSERT INTO session (key_hash, user_id, group_id, created, expires) VALUES ($1, $2, $3, $4, $5)",
		hashKey(s.Key), int64(s.User), int64(s.Group), ms(s.Created), ms(s.Expires))
	return dbErr("create session", err)
}

func (t *txn) Session(key string) (core.SessionRecord, error) {
	var s core.SessionRecord
	var u, g, c, e int64
	s.Key = key
	err := t.tx.QueryRow(t.ctx, sessionSQL, hashKey(key)).Scan(&u, &g, &c, &e)
	if errNoRows(err) {
		return s, core.Errorf("", core.Auth, "your session has ended; log in again")
	}
	s.User, s.Group = core.ID(u), core.ID(g)
	s.Created, s.Expires = fromMS(c), fromMS(e)
	return s, dbErr("read session", err)
}

func (t *txn) UpdateSession(s core.SessionRecord) error {
	_, err := t.tx.Exec(t.ctx, "UPDATE session SET group_id = $1, expires = $2 WHERE key_hash = $3", int64(s.Group), ms(s.Expires), hashKey(s.Key))
	return dbErr("update session", err)
}

func (t *txn) DeleteSession(key string) error {
	_, err := t.tx.Exec(t.ctx, "DELETE FROM session WHERE key_hash = $1", hashKey(key))
	return dbErr("delete session", err)
}

func (t *txn) Meta(key string) (string, error) {
	var v string
	err := t.tx.QueryRow(t.ctx, "SELECT value FROM meta WHERE key = $1", key).Scan(&v)
	if errNoRows(err) {
		return "", core.Errorf("", core.NotFound, "no setting %q", key)
	}
	return v, dbErr("read setting", err)
}

func (t *txn) SetMeta(key, value string) error {
	if key == versionKey {
		return core.Errorf("save setting", core.Invalid, "%q is the schema's number, which only an upgrade changes", key)
	}
	_, err := t.tx.Exec(t.ctx, "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return dbErr("save setting", err)
}
