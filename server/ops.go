package server

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

// coderOps are the changing operations a coder (not an admin) may run
// through POST /api/op/{name}: they act as the logged-in coder and touch
// only what that coder makes. Every other changing operation (the
// codebook, other coders' codings, roles, attributes) is for admins and
// for the owner's local token; reading operations are for everyone.
var coderOps = map[string]bool{"tag": true}

// localOps read or write files by path on the server's machine: only the
// owner's other tacit commands (the local token) may run them, never a
// browser.
var localOps = map[string]bool{"import": true, "backup": true}

// op runs one operation of the operations layer, as the CLI would:
// POST /api/op/{name} with the request JSON as the body. This is also the
// route other tacit commands use while the server owns the project.
func (s *Server) op(r *http.Request, u user) (any, error) {
	name := r.PathValue("name")
	write, ok := project.IsWrite(name)
	if !ok {
		return nil, coding.Errorf(coding.ENotFound, "no operation %q; GET /api/ops lists them", name)
	}
	if localOps[name] && !u.Local {
		return nil, coding.Errorf(kindForbidden, "%s reads or writes files on the server's machine; run 'tacit %s' there", name, name)
	}
	if write && !u.Admin && !coderOps[name] {
		return nil, coding.Errorf(kindForbidden, "only an admin may run %s; %s is a coder", name, u.Name)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	ctx := project.WithActor(r.Context(), u.Name)
	if write {
		s.idxMu.Lock()
		defer s.idxMu.Unlock()
	} else {
		s.idxMu.RLock()
		defer s.idxMu.RUnlock()
	}
	res, err := project.Call(ctx, s.p, name, body)
	if err == nil && write {
		s.hub.poke()
	}
	if err == nil && (name == "user.add" || name == "user.remove") {
		// A new password or a removed account ends the user's sessions,
		// as the accounts page does.
		var b struct {
			Name   string `json:"name"`
			Update bool   `json:"update"`
		}
		if json.Unmarshal(body, &b) == nil && (name == "user.remove" || b.Update) {
			s.RevokeUser(strings.TrimSpace(b.Name))
		}
	}
	return res, err
}

// opNames lists the operations with whether they change the project.
func (s *Server) opNames(r *http.Request, u user) (any, error) {
	type op struct {
		Name  string `json:"name"`
		Write bool   `json:"write"`
		Allow bool   `json:"allowed"`
	}
	out := []op{}
	for _, n := range project.OpNames() {
		w, _ := project.IsWrite(n)
		out = append(out, op{Name: n, Write: w, Allow: (!w || u.Admin || coderOps[n]) && (!localOps[n] || u.Local)})
	}
	return out, nil
}
