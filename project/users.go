package project

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// Argon2id parameters for new password hashes (OWASP's minimum
// recommendation: 19 MiB, 2 passes, 1 lane). They are stored with each
// hash, so changing them later keeps old hashes valid.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// MinPasswordLen is the shortest password an account accepts.
const MinPasswordLen = 8

// HashPassword returns an encoded argon2id hash of password with a fresh
// random salt: $argon2id$v=19$m=MEM,t=TIME,p=THREADS$SALT$HASH.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches an encoded hash made by
// HashPassword, comparing in constant time.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var mem, iter uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &threads); err != nil || mem == 0 || iter == 0 || threads == 0 || mem > 1<<20 || iter > 16 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, iter, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// Account is a user of 'tacit serve' as the operations layer shows it
// (without the password hash).
type Account struct {
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

// AddUserRequest creates an account, or with Update changes the password
// and role of an existing one.
type AddUserRequest struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	Admin    bool   `json:"admin"`
	Update   bool   `json:"update,omitempty"`
	// By is who makes the change (default: the project's Actor).
	By string `json:"-"`
}

// CheckUserName returns an error when name cannot be a coder's name.
func CheckUserName(name string) error {
	if name == "" {
		return coding.Errorf(coding.EInvalid, "the user name is empty")
	}
	if utf8.RuneCountInString(name) > 64 {
		return coding.Errorf(coding.EInvalid, "the user name %q is longer than 64 characters", name)
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`/\:"'<>&`, r) {
			return coding.Errorf(coding.EInvalid, "the user name %q holds %q; use letters, digits, '.', '-' or '_'", name, r)
		}
	}
	return nil
}

// AddUser creates (or with Update, changes) an account; the password is
// stored as an argon2id hash.
func (p *Project) AddUser(req AddUserRequest) (*Account, error) {
	name := strings.TrimSpace(req.Name)
	if err := CheckUserName(name); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(req.Password) < MinPasswordLen {
		return nil, coding.Errorf(coding.EInvalid, "the password is shorter than %d characters", MinPasswordLen)
	}
	if len(req.Password) > 1024 {
		return nil, coding.Errorf(coding.EInvalid, "the password is longer than 1024 bytes")
	}
	hash, err := HashPassword(req.Password)
	if err != nil {
		return nil, err
	}
	var out *Account
	err = p.Store.Update(func(tx *store.Tx) error {
		old, err := tx.User(name)
		exists := err == nil
		if exists && !req.Update {
			return &coding.Error{Kind: coding.EConflict, Message: fmt.Sprintf("user %q exists already", old.Name), Next: coding.NextUpdateUser, Arg: old.Name}
		}
		if !exists && req.Update {
			return err
		}
		now := tx.Now()
		u := &store.User{Name: name, Admin: req.Admin, Hash: hash, CreatedAt: now, UpdatedAt: now}
		role := "coder"
		if req.Admin {
			role = "admin"
		}
		summary := fmt.Sprintf("added user %s (%s)", name, role)
		if exists {
			u.Name, u.CreatedAt = old.Name, old.CreatedAt
			summary = fmt.Sprintf("changed the password of user %s (%s)", old.Name, role)
		}
		out = &Account{Name: u.Name, Admin: u.Admin}
		by := req.By
		if by == "" {
			by = p.Actor
		}
		return tx.PutUser(by, u, summary)
	})
	return out, err
}

// RemoveUser deletes an account.
func (p *Project) RemoveUser(name string) error { return p.removeUser(p.Actor, name) }

func (p *Project) removeUser(by, name string) error {
	return p.Store.Update(func(tx *store.Tx) error { return tx.DeleteUser(by, name) })
}

// Users lists the accounts.
func (p *Project) Users() ([]Account, error) {
	out := []Account{}
	err := p.Store.View(func(tx *store.Tx) error {
		us, err := tx.Users()
		for _, u := range us {
			out = append(out, Account{Name: u.Name, Admin: u.Admin})
		}
		return err
	})
	return out, err
}

// Authenticate returns the account when name and password match, else an
// error of kind EInvalid that does not say which of the two was wrong.
func (p *Project) Authenticate(name, password string) (*Account, error) {
	var u *store.User
	err := p.Store.View(func(tx *store.Tx) error {
		var err error
		u, err = tx.User(strings.TrimSpace(name))
		return err
	})
	bad := coding.Errorf(coding.EInvalid, "wrong user name or password")
	if err != nil {
		// Spend the time of a hash anyway, so that timing does not tell
		// which user names exist.
		CheckPassword(dummyHash(), password)
		return nil, bad
	}
	if !CheckPassword(u.Hash, password) {
		return nil, bad
	}
	return &Account{Name: u.Name, Admin: u.Admin}, nil
}

// dummyHash is made on first use, so that commands other than the server
// do not pay for a hash at start.
var dummyHash = sync.OnceValue(func() string { h, _ := HashPassword("not a password of anyone"); return h })
