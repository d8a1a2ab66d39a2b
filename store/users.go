package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

// The users bucket (added after schema 2, created on the first write, so
// older projects need no migration) holds the accounts of 'tacit serve':
//
//	users/  <name>  JSON User (name as given; names are compared folded)
//
// Accounts are not journalled: adding a user or changing a password is
// logged as an event but cannot be undone with 'tacit undo'.
var bUsers = []byte("users")

// User is an account of the web server. Hash is the encoded password hash
// (see project.HashPassword); it never leaves the store or project layer.
type User struct {
	Name      string    `json:"name"`
	Admin     bool      `json:"admin"`
	Hash      string    `json:"hash"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func userKey(name string) []byte { return []byte(strings.ToLower(strings.TrimSpace(name))) }

// User returns the account named name (compared case-insensitively).
func (tx *Tx) User(name string) (*User, error) {
	b := tx.b(bUsers)
	var v []byte
	if b != nil {
		v = b.Get(userKey(name))
	}
	if v == nil {
		return nil, &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("no user %q", name), Next: coding.NextAddUser, Arg: name}
	}
	u := &User{}
	if err := json.Unmarshal(v, u); err != nil {
		return nil, fmt.Errorf("decode user %q: %w", name, err)
	}
	return u, nil
}

// Users returns every account, by name.
func (tx *Tx) Users() ([]*User, error) {
	var out []*User
	b := tx.b(bUsers)
	if b == nil {
		return out, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		u := &User{}
		if err := json.Unmarshal(v, u); err != nil {
			return fmt.Errorf("decode user %q: %w", k, err)
		}
		out = append(out, u)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// PutUser writes an account and logs summary as an event by actor.
func (tx *Tx) PutUser(actor string, u *User, summary string) error {
	if !tx.writable {
		return coding.Errorf(coding.EInternal, "PutUser needs a read-write transaction")
	}
	b, err := tx.tx.CreateBucketIfNotExists(bUsers)
	if err != nil {
		return err
	}
	v, err := json.Marshal(u)
	if err != nil {
		return err
	}
	if err := b.Put(userKey(u.Name), v); err != nil {
		return err
	}
	tx.changed = true
	return tx.Log(&coding.Event{Actor: actor, Action: ActionUser, Target: "user:" + u.Name, Summary: summary, Undo: []byte{}})
}

// DeleteUser removes an account and logs the removal by actor.
func (tx *Tx) DeleteUser(actor, name string) error {
	u, err := tx.User(name)
	if err != nil {
		return err
	}
	if err := tx.b(bUsers).Delete(userKey(name)); err != nil {
		return err
	}
	tx.changed = true
	return tx.Log(&coding.Event{Actor: actor, Action: ActionUser, Target: "user:" + u.Name, Summary: "removed user " + u.Name, Undo: []byte{}})
}
