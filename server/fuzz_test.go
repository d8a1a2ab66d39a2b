package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/project"
)

// FuzzAPIRequest sends arbitrary JSON bodies to the server's JSON API as an
// admin logged in with a session (not the local token, so no operation
// touches files on the machine): to POST /api/docs/{doc}/codings (the
// code-point offsets of a coding), PATCH /api/codings/{id}, POST
// /api/memos, GET /api/search and POST /api/op/{name} for every forwarded
// operation but the slow maintenance ones. Each request gets a reply
// below 500 (a client's mistake is 4xx), never a panic.
func FuzzAPIRequest(f *testing.F) {
	dir := filepath.Join(f.TempDir(), "demo")
	if _, err := project.BuildDemo(context.Background(), dir); err != nil {
		f.Fatal(err)
	}
	p, err := project.Open(dir, project.Options{Actor: "owner"})
	if err != nil {
		f.Fatal(err)
	}
	defer p.Close()
	if _, err := p.AddUser(project.AddUserRequest{Name: "lead", Password: "lead-password", Admin: true}); err != nil {
		f.Fatal(err)
	}
	srv, err := New(p, Options{Owner: "owner", Logf: func(string, ...any) {}})
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	h := srv.Handler()
	login := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"name": {"lead"}, "password": {"lead-password"}}.Encode()))
	login.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	cookies := rec.Result().Cookies()
	if len(cookies) == 0 {
		f.Fatalf("login: status %d, no cookie", rec.Code)
	}
	slow := map[string]bool{"Compact": true, "CompactStore": true, "Reindex": true, "Repair": true, "Upgrade": true}
	var ops []string
	for _, n := range project.OpNames() {
		if !slow[n] && !localOps[n] {
			ops = append(ops, n)
		}
	}
	targets := []struct{ method, path string }{
		{"POST", "/api/docs/1/codings"}, {"POST", "/api/docs/client-moshe/codings"}, {"PATCH", "/api/codings/1"},
		{"POST", "/api/memos"}, {"GET", "/api/search?q="}, {"GET", "/api/log?limit="},
	}
	f.Add(uint8(0), `{"code": "Context", "start": 0, "end": 5}`)
	f.Add(uint8(0), `{"code": "Context", "start": -1, "end": 99999999999999999999}`)
	f.Add(uint8(1), `{"code": "Context", "quote": "\u0000"}`)
	f.Add(uint8(2), `{"code": "Tone"}`)
	f.Add(uint8(3), `{"target": "doc", "target_id": 1, "text": "x"}`)
	f.Add(uint8(4), `crisis~2 AND (turn:<3 OR "a b")`)
	f.Add(uint8(6), `{}`)
	f.Add(uint8(7), `{"doc": "client-moshe", "from": -1}`)
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		var method, path string
		if int(which) < len(targets) {
			method, path = targets[which].method, targets[which].path
		} else {
			method, path = "POST", "/api/op/"+ops[int(which)%len(ops)]
		}
		var req *http.Request
		if method == "GET" {
			req = httptest.NewRequest(method, path+url.QueryEscape(body), nil)
		} else {
			req = httptest.NewRequest(method, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Origin", "http://example.com")
		req.Host = "example.com"
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Errorf("%s %s %q: status %d: %s", method, path, body, rec.Code, rec.Body.String())
		}
	})
}
