package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

// fixture is a demo project served by httptest, with three accounts:
// dana and yossi (coders) and lead (admin), password "<name>-password".
type fixture struct {
	t   *testing.T
	p   *project.Project
	srv *Server
	ts  *httptest.Server
	dir string
}

var (
	demoOnce sync.Once
	demoDir  string
	demoErr  error
)

// demoCopy builds the demo project once per test binary and copies its
// files for each test (the demo import takes a while).
func demoCopy(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		d, err := os.MkdirTemp("", "tacit-server-demo-")
		if err != nil {
			demoErr = err
			return
		}
		demoDir = filepath.Join(d, "demo")
		_, demoErr = project.BuildDemo(context.Background(), demoDir)
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	dst := filepath.Join(t.TempDir(), "demo")
	if err := os.CopyFS(dst, os.DirFS(demoDir)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(filepath.Dir(demoDir))
	}
	os.Exit(code)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := demoCopy(t)
	p, err := project.Open(dir, project.Options{Actor: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name  string
		admin bool
	}{{"dana", false}, {"yossi", false}, {"lead", true}} {
		if _, err := p.AddUser(project.AddUserRequest{Name: u.name, Password: u.name + "-password", Admin: u.admin}); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := New(p, Options{Owner: "owner", LocalToken: "local-secret", Poll: 50 * time.Millisecond, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	f := &fixture{t: t, p: p, srv: srv, ts: ts, dir: dir}
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
		p.Close()
	})
	return f
}

// client returns an HTTP client logged in as name (no redirects followed).
func (f *fixture) client(name string) *http.Client {
	f.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}
	if name == "" {
		return c
	}
	res, err := c.PostForm(f.ts.URL+"/login", url.Values{"name": {name}, "password": {name + "-password"}})
	if err != nil {
		f.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("login as %s: status %d", name, res.StatusCode)
	}
	return c
}

// call sends a JSON request and decodes the reply into out (if not nil),
// returning the status.
func (f *fixture) call(c *http.Client, method, path string, body any, out any) int {
	f.t.Helper()
	var rd io.Reader
	if s, ok := body.(string); ok {
		rd = strings.NewReader(s)
	} else if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, f.ts.URL+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			f.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return res.StatusCode
}

func (f *fixture) docID(name string) string {
	f.t.Helper()
	st, err := f.p.Stories()
	if err != nil {
		f.t.Fatal(err)
	}
	for _, c := range st.Cases {
		for _, d := range c.Docs {
			if d.Name == name {
				return itoa(d.ID)
			}
		}
	}
	f.t.Fatalf("no document %s", name)
	return ""
}

func itoa(n uint64) string    { return strings.TrimSpace(strings.Replace(jsonString(n), `"`, "", -1)) }
func jsonString(v any) string { b, _ := json.Marshal(v); return string(b) }

// Every API route refuses a request without a session or token.
func TestAPINeedsAuthentication(t *testing.T) {
	f := newFixture(t)
	anon := f.client("")
	routes := []struct{ method, path string }{
		{"GET", "/api/me"}, {"GET", "/api/stories"}, {"GET", "/api/docs/1"}, {"POST", "/api/docs/1/codings"},
		{"DELETE", "/api/codings/1"}, {"PATCH", "/api/codings/1"}, {"GET", "/api/codes"}, {"GET", "/api/log"},
		{"POST", "/api/undo"}, {"GET", "/api/memos?target=doc&target_id=1"}, {"POST", "/api/memos"},
		{"DELETE", "/api/memos/1"}, {"GET", "/api/events"}, {"GET", "/api/users"}, {"POST", "/api/users"},
		{"GET", "/api/nothing-here"},
	}
	for _, r := range routes {
		var e errorReply
		if st := f.call(anon, r.method, r.path, "{}", &e); st != http.StatusUnauthorized || e.Kind != kindUnauthorized {
			t.Errorf("%s %s without a session: %d %+v, want 401 unauthorized", r.method, r.path, st, e)
		}
	}
	// A wrong bearer token is no better.
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer wrong")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", res.StatusCode)
	}
	// Pages send a visitor to the login page.
	for _, p := range []string{"/stories", "/read/1", "/codebook", "/log"} {
		res, err := anon.Get(f.ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("GET %s anonymous: %d %s", p, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

func TestLocalToken(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer local-secret")
	req.Header.Set("X-Tacit-Coder", "dana")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var u user
	json.NewDecoder(res.Body).Decode(&u)
	if res.StatusCode != 200 || u.Name != "dana" || !u.Admin {
		t.Errorf("local token: %d %+v", res.StatusCode, u)
	}
}

// TestLocalTokenGetsNoWebWords: an error answered to the owner's other
// tacit commands names its next step as a kind only, which the CLI says in
// its own words (with the web's words too, it would say it twice).
func TestLocalTokenGetsNoWebWords(t *testing.T) {
	f := newFixture(t)
	for _, local := range []bool{false, true} {
		req, _ := http.NewRequest("GET", f.ts.URL+"/api/search?q=", nil)
		c := f.client("dana") // a browser's session
		if local {
			req.Header.Set("Authorization", "Bearer local-secret")
			req.Header.Set("X-Tacit-Coder", "dana")
			c = http.DefaultClient
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e errorReply
		json.NewDecoder(res.Body).Decode(&e)
		res.Body.Close()
		if res.StatusCode != 400 || e.Next != coding.NextGiveQuery || e.Error == "" {
			t.Fatalf("local %v: %d %+v", local, res.StatusCode, e)
		}
		if hasWords := strings.Contains(e.Error, "(q)"); hasWords == local {
			t.Errorf("local %v: the message %q", local, e.Error)
		}
	}
}

func TestLoginFailuresAndRateLimit(t *testing.T) {
	f := newFixture(t)
	c := f.client("")
	for i := 0; i < loginFailures; i++ {
		res, err := c.PostForm(f.ts.URL+"/login", url.Values{"name": {"dana"}, "password": {"wrong"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(b), "wrong user name or password") {
			t.Fatalf("failure %d: status %d", i, res.StatusCode)
		}
	}
	// Now even the right password is refused for a while.
	res, err := c.PostForm(f.ts.URL+"/login", url.Values{"name": {"dana"}, "password": {"dana-password"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after %d failures: %d, want 429", loginFailures, res.StatusCode)
	}
}

func TestSessionCookieAndLogout(t *testing.T) {
	f := newFixture(t)
	c := f.client("")
	res, err := c.PostForm(f.ts.URL+"/login", url.Values{"name": {"dana"}, "password": {"dana-password"}, "next": {"//evil.example/x"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); loc != "/stories" {
		t.Errorf("an off-site next went to %q", loc)
	}
	ck := res.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(ck, want) {
			t.Errorf("session cookie %q lacks %s", ck, want)
		}
	}
	if strings.Contains(ck, "Secure") {
		t.Errorf("cookie is Secure without TLS: %s", ck)
	}
	var me user
	if st := f.call(c, "GET", "/api/me", nil, &me); st != 200 || me.Name != "dana" || me.Admin {
		t.Fatalf("me: %d %+v", st, me)
	}
	res, err = c.PostForm(f.ts.URL+"/logout", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if st := f.call(c, "GET", "/api/me", nil, nil); st != http.StatusUnauthorized {
		t.Errorf("after logout: %d", st)
	}
}

func TestOneTimeLogin(t *testing.T) {
	f := newFixture(t)
	tok := f.srv.LoginToken()
	c := f.client("")
	res, err := c.Get(f.ts.URL + "/login/once?token=" + tok)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if st := f.call(c, "GET", "/api/me", nil, nil); st != http.StatusUnauthorized {
		t.Fatalf("GET of the link logged in already (%d); a GET must not change anything", st)
	}
	res, err = c.PostForm(f.ts.URL+"/login/once", url.Values{"token": {tok}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var me user
	if st := f.call(c, "GET", "/api/me", nil, &me); st != 200 || me.Name != "owner" || !me.Admin {
		t.Fatalf("after the one-time link: %d %+v", st, me)
	}
	c2 := f.client("")
	res, err = c2.PostForm(f.ts.URL+"/login/once", url.Values{"token": {tok}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("second use of the link: %d", res.StatusCode)
	}
}

func TestCrossOriginRefused(t *testing.T) {
	f := newFixture(t)
	c := f.client("dana")
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "http://evil.example"},
	} {
		req, _ := http.NewRequest("POST", f.ts.URL+"/api/docs/1/codings", strings.NewReader(`{"code":"Principles/Respectful attitude","start":20,"end":30}`))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e errorReply
		json.NewDecoder(res.Body).Decode(&e)
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden || e.Kind != "forbidden" {
			t.Errorf("cross-origin POST with %v: %d %+v", h, res.StatusCode, e)
		}
	}
	// A cross-site login form post is refused too.
	req, _ := http.NewRequest("POST", f.ts.URL+"/login", strings.NewReader("name=dana&password=dana-password"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site login: %d", res.StatusCode)
	}
	// Same-origin requests pass.
	req, _ = http.NewRequest("POST", f.ts.URL+"/api/docs/1/codings", strings.NewReader(`{"code":"Principles/Respectful attitude","start":20,"end":30}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Errorf("same-origin POST: %d", res.StatusCode)
	}
}

func TestTagReadUntag(t *testing.T) {
	f := newFixture(t)
	dana, yossi, lead := f.client("dana"), f.client("yossi"), f.client("lead")
	doc := f.docID("client-moshe")
	var v project.DocView
	if st := f.call(dana, "GET", "/api/docs/"+doc, nil, &v); st != 200 || len(v.Turns) == 0 {
		t.Fatalf("doc: %d", st)
	}
	before := len(v.Codings)
	t1 := v.Turns[1]
	var res project.TagSpanResult
	st := f.call(dana, "POST", "/api/docs/"+doc+"/codings", map[string]any{"code": "Principles/Respectful attitude", "start": t1.Start, "end": t1.Start + 10}, &res)
	if st != http.StatusCreated || res.Coding.Coder != "dana" || res.Existed || res.Coding.Text != string([]rune(t1.Text)[:10]) {
		t.Fatalf("tag: %d %+v", st, res)
	}
	// Tagging again finds the same coding.
	var again project.TagSpanResult
	f.call(dana, "POST", "/api/docs/"+doc+"/codings", map[string]any{"code": "Principles/Respectful attitude", "start": t1.Start, "end": t1.Start + 10}, &again)
	if !again.Existed || again.Coding.ID != res.Coding.ID {
		t.Errorf("tag twice: %+v", again)
	}
	f.call(dana, "GET", "/api/docs/"+doc, nil, &v)
	if len(v.Codings) != before+1 {
		t.Errorf("codings %d, want %d", len(v.Codings), before+1)
	}
	id := itoa(res.Coding.ID)
	// yossi may neither remove nor re-code dana's coding.
	var e errorReply
	if st := f.call(yossi, "DELETE", "/api/codings/"+id, nil, &e); st != http.StatusForbidden || e.Kind != "forbidden" || !strings.Contains(e.Error, "dana") {
		t.Errorf("yossi removes dana's coding: %d %+v", st, e)
	}
	if st := f.call(yossi, "PATCH", "/api/codings/"+id, map[string]string{"code": "Crisis as a lever for change"}, &e); st != http.StatusForbidden {
		t.Errorf("yossi recodes dana's coding: %d %+v", st, e)
	}
	// dana re-codes it, the admin removes it.
	var cv project.CodingView
	if st := f.call(dana, "PATCH", "/api/codings/"+id, map[string]string{"code": "Crisis as a lever for change"}, &cv); st != 200 || !strings.HasSuffix(cv.Code, "Crisis as a lever for change") {
		t.Errorf("recode: %d %+v", st, cv)
	}
	if st := f.call(lead, "DELETE", "/api/codings/"+id, nil, nil); st != 200 {
		t.Errorf("admin removes: %d", st)
	}
	if st := f.call(dana, "DELETE", "/api/codings/"+id, nil, &e); st != http.StatusNotFound || e.Kind != "not_found" {
		t.Errorf("remove twice: %d %+v", st, e)
	}
	// The log shows who did what.
	var evs []project.EventView
	f.call(dana, "GET", "/api/log?limit=3", nil, &evs)
	if len(evs) != 3 || evs[0].Actor != "lead" || evs[2].Actor != "dana" {
		t.Errorf("log: %+v", evs)
	}
}

func TestClientMistakesAre4xx(t *testing.T) {
	f := newFixture(t)
	c := f.client("dana")
	doc := f.docID("client-moshe")
	cases := []struct {
		method, path string
		body         any
		status       int
		kind         string
	}{
		{"GET", "/api/docs/99999", nil, 404, "not_found"},
		{"GET", "/api/docs/no-such-doc", nil, 404, "not_found"},
		{"POST", "/api/docs/99999/codings", map[string]any{"code": "Context", "start": 0, "end": 5}, 404, "not_found"},
		{"POST", "/api/docs/" + doc + "/codings", map[string]any{"code": "No such code", "start": 0, "end": 5}, 404, "not_found"},
		{"POST", "/api/docs/" + doc + "/codings", map[string]any{"code": "Context", "start": 5, "end": 5}, 400, "invalid"},
		{"POST", "/api/docs/" + doc + "/codings", map[string]any{"code": "Context", "start": 0, "end": 99999999}, 400, "invalid"},
		{"POST", "/api/docs/" + doc + "/codings", map[string]any{"code": "Context"}, 400, "invalid"},
		{"POST", "/api/docs/" + doc + "/codings", `{"code": "Context", "start": 0, "end": 5, "extra": 1}`, 400, "invalid"},
		{"POST", "/api/docs/" + doc + "/codings", `{not json`, 400, "invalid"},
		{"POST", "/api/docs/" + doc + "/codings", ``, 400, "invalid"},
		{"DELETE", "/api/codings/99999", nil, 404, "not_found"},
		{"DELETE", "/api/codings/abc", nil, 400, "invalid"},
		{"PATCH", "/api/codings/0", map[string]string{"code": "Context"}, 400, "invalid"},
		{"DELETE", "/api/memos/99999", nil, 404, "not_found"},
		{"GET", "/api/memos?target=planet", nil, 400, "invalid"},
		{"POST", "/api/memos", map[string]any{"target": "doc", "target_id": 99999, "text": "x"}, 404, "not_found"},
		{"POST", "/api/memos", map[string]any{"target": "doc", "target_id": 1, "text": "  "}, 400, "invalid"},
		{"GET", "/api/log?limit=-1", nil, 400, "invalid"},
		{"GET", "/api/users", nil, 403, "forbidden"},
		{"POST", "/api/users", map[string]any{"name": "eve", "password": "long-enough", "admin": true}, 403, "forbidden"},
		{"GET", "/api/nothing-here", nil, 404, "not_found"},
	}
	for _, tc := range cases {
		var e errorReply
		st := f.call(c, tc.method, tc.path, tc.body, &e)
		if st != tc.status || e.Kind != tc.kind || e.Error == "" || strings.Contains(e.Error, "goroutine") {
			t.Errorf("%s %s %v: %d %+v, want %d %s", tc.method, tc.path, tc.body, st, e, tc.status, tc.kind)
		}
	}
}

func TestOversizedBody(t *testing.T) {
	f := newFixture(t)
	c := f.client("dana")
	big := `{"code":"` + strings.Repeat("x", maxBody+10) + `","start":0,"end":5}`
	var e errorReply
	if st := f.call(c, "POST", "/api/docs/1/codings", big, &e); st != http.StatusRequestEntityTooLarge || e.Kind != kindTooLarge {
		t.Errorf("oversized body: %d %+v", st, e)
	}
	big = `{"target":"doc","target_id":1,"text":"` + strings.Repeat("x", maxBody) + `"}`
	if st := f.call(c, "POST", "/api/memos", big, &e); st != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized memo: %d %+v", st, e)
	}
	res, err := c.PostForm(f.ts.URL+"/login", url.Values{"name": {strings.Repeat("x", 20<<10)}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("oversized login form: %d", res.StatusCode)
	}
}

func TestMemosAndUndo(t *testing.T) {
	f := newFixture(t)
	dana, yossi := f.client("dana"), f.client("yossi")
	doc := f.docID("client-moshe")
	var m struct {
		ID     uint64 `json:"id"`
		Author string `json:"author"`
	}
	if st := f.call(dana, "POST", "/api/memos", map[string]any{"target": "doc", "target_id": json.Number(doc), "text": "<b>not bold</b>"}, &m); st != 201 || m.Author != "dana" {
		t.Fatalf("memo: %d %+v", st, m)
	}
	var ms []map[string]any
	f.call(yossi, "GET", "/api/memos?target=doc&target_id="+doc, nil, &ms)
	if len(ms) != 1 || ms[0]["text"] != "<b>not bold</b>" {
		t.Errorf("memos: %+v", ms)
	}
	if st := f.call(yossi, "DELETE", "/api/memos/"+itoa(m.ID), nil, nil); st != http.StatusForbidden {
		t.Errorf("yossi deletes dana's memo: %d", st)
	}
	var e errorReply
	if st := f.call(f.client("lead"), "POST", "/api/undo", nil, &e); st != 404 || e.Kind != "not_found" {
		t.Errorf("undo with nothing to undo: %d %+v", st, e)
	}
	var ev project.EventView
	if st := f.call(dana, "POST", "/api/undo", nil, &ev); st != 201 || ev.Action != "memo.add" && !strings.Contains(ev.Action, "memo") {
		t.Errorf("undo: %d %+v", st, ev)
	}
	f.call(yossi, "GET", "/api/memos?target=doc&target_id="+doc, nil, &ms)
	if len(ms) != 0 {
		t.Errorf("memo after undo: %+v", ms)
	}
}

func TestUsersByAdmin(t *testing.T) {
	f := newFixture(t)
	lead := f.client("lead")
	var acc project.Account
	if st := f.call(lead, "POST", "/api/users", map[string]any{"name": "noa", "password": "noa-password"}, &acc); st != 201 || acc.Name != "noa" || acc.Admin {
		t.Fatalf("add user: %d %+v", st, acc)
	}
	var e errorReply
	if st := f.call(lead, "POST", "/api/users", map[string]any{"name": "noa", "password": "noa-password"}, &e); st != http.StatusConflict {
		t.Errorf("add twice: %d %+v", st, e)
	}
	if st := f.call(lead, "POST", "/api/users", map[string]any{"name": "x", "password": "short"}, &e); st != 400 {
		t.Errorf("short password: %d %+v", st, e)
	}
	noa := f.client("noa")
	// A password change ends the user's sessions.
	f.call(lead, "POST", "/api/users", map[string]any{"name": "noa", "password": "another-password", "update": true}, nil)
	if st := f.call(noa, "GET", "/api/me", nil, nil); st != http.StatusUnauthorized {
		t.Errorf("session after a password change: %d", st)
	}
	var us []project.Account
	f.call(lead, "GET", "/api/users", nil, &us)
	if len(us) != 4 {
		t.Errorf("users: %+v", us)
	}
}

func TestStaticAndHeaders(t *testing.T) {
	f := newFixture(t)
	c := f.client("dana")
	for path, want := range map[string]int{
		"/static/app.js": 200, "/static/offsets.js": 200, "/static/app.css": 200,
		"/static/../../go.mod": 404, "/static/..%2fserver.go": 404, "/static/web": 404, "/static/nope.js": 404,
		"/static/%2e%2e%2fpages.go": 404,
	} {
		res, err := c.Get(f.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want && !(want == 404 && res.StatusCode >= 300 && res.StatusCode < 500) {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
	res, err := c.Get(f.ts.URL + "/stories")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %s", csp)
	}
}

// Every page is served, and no template writes inline script or a style
// attribute (both refused by the CSP).
func TestPages(t *testing.T) {
	f := newFixture(t)
	c := f.client("lead")
	doc := f.docID("client-moshe")
	for _, p := range []string{"/stories", "/read/" + doc, "/codebook", "/log", "/search", "/reports", "/login", "/login/once?token=x"} {
		res, err := c.Get(f.ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("GET %s: %d", p, res.StatusCode)
		}
		page := string(b)
		if strings.Contains(page, "<script>") || strings.Contains(page, " style=") || strings.Contains(page, " onclick=") {
			t.Errorf("GET %s has inline script or style", p)
		}
	}
	res, err := c.Get(f.ts.URL + "/read/99999")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("reader of a missing document: %d", res.StatusCode)
	}
}

// A transcript and names holding markup are shown as text.
func TestEscaping(t *testing.T) {
	f := newFixture(t)
	src := filepath.Join(t.TempDir(), "evil.txt")
	os.WriteFile(src, []byte("Interviewer: <script>alert(1)</script>\nClient: \"><img src=x onerror=alert(2)>\n"), 0o644)
	if _, err := f.p.Import(context.Background(), []string{src}, project.ImportOptions{Case: `<b>case</b>"><img src=x onerror=alert(3)>`, Name: "<i>evil"}, nil); err != nil {
		t.Fatal(err)
	}
	c := f.client("dana")
	res, err := c.Get(f.ts.URL + "/stories")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(b)
	if strings.Contains(page, "<img src=x") || strings.Contains(page, "<i>evil") || strings.Contains(page, "<b>case</b>") {
		t.Errorf("stories page holds unescaped markup")
	}
	if !strings.Contains(page, "&lt;i&gt;evil") {
		t.Errorf("stories page lacks the escaped document name")
	}
	var v project.DocView
	f.call(c, "GET", "/api/docs/"+url.PathEscape("<i>evil"), nil, &v)
	if len(v.Turns) == 0 || !strings.Contains(v.Turns[0].Text, "<script>") {
		t.Errorf("the API changed the text: %+v", v.Turns)
	}
}

// A coding made by one coder reaches another coder's event stream within a
// second.
func TestLiveEvents(t *testing.T) {
	f := newFixture(t)
	dana, yossi := f.client("dana"), f.client("yossi")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.ts.URL+"/api/events", nil)
	res, err := yossi.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	got := make(chan project.EventView, 4)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var e project.EventView
				if json.Unmarshal([]byte(d), &e) == nil && e.ID > 0 {
					got <- e
				}
			}
		}
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	doc := f.docID("client-moshe")
	if st := f.call(dana, "POST", "/api/docs/"+doc+"/codings", map[string]any{"code": "Context", "start": 20, "end": 40}, nil); st != 201 {
		t.Fatalf("tag: %d", st)
	}
	select {
	case e := <-got:
		if e.Actor != "dana" || e.Action != "tag" || e.Target != "doc:"+doc {
			t.Errorf("event: %+v", e)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("event after %v, want under a second", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
}

func TestReportsSearchAndOps(t *testing.T) {
	f := newFixture(t)
	dana, lead := f.client("dana"), f.client("lead")
	get := func(c *http.Client, path string) (int, string, http.Header) {
		res, err := c.Get(f.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header
	}
	for _, tc := range []struct {
		path, want, ctype string
	}{
		{"/api/reports/recurrence?format=json", `"Principles/Respectful attitude"`, "application/json"},
		{"/api/reports/recurrence?format=csv&download=1", "Principles/Respectful attitude", "text/csv"},
		{"/api/reports/recurrence?format=html&roles=client", "<html", "text/html"},
		{"/api/reports/matrix?format=csv&cols=case", "S1 Step by step", "text/csv"},
		{"/api/reports/cooccurrence?format=json", "{", "application/json"},
		{"/api/reports/agreement?format=html&coders=dana,yossi&disagreements=1", "<html", "text/html"},
	} {
		st, body, h := get(dana, tc.path)
		if st != 200 || !strings.Contains(body, tc.want) || !strings.HasPrefix(h.Get("Content-Type"), tc.ctype) {
			t.Errorf("GET %s: %d %s %.200s", tc.path, st, h.Get("Content-Type"), body)
		}
		if strings.Contains(tc.path, "format=html") && strings.Contains(h.Get("Content-Security-Policy"), "script") {
			t.Errorf("a report's HTML may run script: %s", h.Get("Content-Security-Policy"))
		}
	}
	for path, want := range map[string]int{
		"/api/reports/nonsense":              404,
		"/api/reports/recurrence?format=pdf": 400,
		"/api/reports/recurrence?most=lots":  400,
		"/api/reports/agreement?coders=dana": 400,
		"/api/search?q=crisis&limit=0":       400,
		"/api/search?q=%22unclosed":          400,
		"/api/search?q=crisis&speakers=Mosh": 404, // one selection: an unknown name is not found
		"/api/search?q=crisis&attrs=nokv":    400,
	} {
		if st, body, _ := get(dana, path); st != want {
			t.Errorf("GET %s: %d, want %d: %s", path, st, want, body)
		}
	}
	// The next step of an error is said in the web's words: parameters, not
	// the CLI's flags.
	for path, want := range map[string]string{
		"/api/reports/agreement?coders=dana": "name them in the coders parameter",
		"/api/search?q=":                     "give words to search for (q)",
	} {
		var reply errorReply
		if st := f.call(dana, "GET", path, nil, &reply); st != 400 || !strings.Contains(reply.Error, want) || strings.Contains(reply.Error, "--") || reply.Next == "" {
			t.Errorf("GET %s: %d %+v, want the next step as %q", path, st, reply, want)
		}
	}
	if st, _, _ := get(f.client(""), "/api/reports/recurrence"); st != 401 {
		t.Errorf("report without a session: %d", st)
	}
	var sr struct {
		Total int `json:"total"`
		Hits  []struct {
			Doc       uint64 `json:"doc"`
			Fragment  string `json:"fragment"`
			TurnStart int    `json:"turn_start"`
		} `json:"hits"`
	}
	if st := f.call(dana, "GET", "/api/search?q=crisis&roles=client", nil, &sr); st != 200 || sr.Total == 0 || !strings.Contains(sr.Hits[0].Fragment, "\ue000") {
		t.Errorf("search: %d %+v", st, sr)
	}
	// attrs: a case's attribute, its name and value in another case.
	if st := f.call(dana, "GET", "/api/search?q=crisis&attrs=POPULATION%3Delderly", nil, &sr); st != 200 || sr.Total == 0 {
		t.Errorf("search by a case attribute: %d %+v", st, sr)
	}
	for _, h := range sr.Hits {
		if h.Doc != 5 && h.Doc != 6 {
			t.Errorf("search by population=elderly found document %d", h.Doc)
		}
	}
	// The operations: reading ones for all, tag for coders, the rest for
	// admins, file paths for the local token only.
	var e errorReply
	if st := f.call(dana, "POST", "/api/op/codings", map[string]any{}, nil); st != 201 && st != 200 {
		t.Errorf("dana reads codings: %d", st)
	}
	if st := f.call(dana, "POST", "/api/op/code.add", map[string]any{"path": "Tone/Dana's"}, &e); st != 403 {
		t.Errorf("dana adds a code: %d %+v", st, e)
	}
	if st := f.call(lead, "POST", "/api/op/code.add", map[string]any{"path": "Tone/Lead's"}, &e); st != 201 {
		t.Errorf("lead adds a code: %d %+v", st, e)
	}
	if st := f.call(lead, "POST", "/api/op/import", map[string]any{"files": []string{"/etc/passwd"}}, &e); st != 403 {
		t.Errorf("a browser imports a server file: %d %+v", st, e)
	}
	if st := f.call(lead, "POST", "/api/op/backup", map[string]any{"file": "/tmp/x.db"}, &e); st != 403 {
		t.Errorf("a browser writes a server file: %d %+v", st, e)
	}
	if st := f.call(lead, "POST", "/api/op/nothing", map[string]any{}, &e); st != 404 {
		t.Errorf("unknown op: %d %+v", st, e)
	}
	if st := f.call(dana, "POST", "/api/op/tag", map[string]any{"doc": "client-moshe", "codes": []string{"Context"}, "ranges": []string{"20:30"}, "bogus": 1}, &e); st != 400 {
		t.Errorf("unknown field: %d %+v", st, e)
	}
	var tr struct {
		Codings []struct{ ID uint64 } `json:"codings"`
	}
	if st := f.call(dana, "POST", "/api/op/tag", map[string]any{"doc": "client-moshe", "codes": []string{"Context"}, "ranges": []string{"20:30"}}, &tr); st != 201 || len(tr.Codings) != 1 {
		t.Errorf("dana tags through the op: %d %+v", st, tr)
	}
}

// A damaged store is a server error, but its message (which says to run
// 'tacit check') reaches the client instead of a bare "internal error".
func TestFailKeepsDamagedMessage(t *testing.T) {
	s := &Server{opt: Options{Logf: func(string, ...any) {}}}
	for _, c := range []struct {
		err  error
		want string
	}{
		{coding.Errorf(coding.EDamaged, "the store is damaged; run 'tacit check'"), "the store is damaged; run 'tacit check'"},
		{coding.Errorf(coding.EInternal, "secret detail"), "internal error; the server log has the details"},
	} {
		w := httptest.NewRecorder()
		s.fail(w, httptest.NewRequest("GET", "/api/x", nil), c.err)
		var e errorReply
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if w.Code != http.StatusInternalServerError || e.Error != c.want {
			t.Errorf("%v: got %d %q, want 500 %q", c.err, w.Code, e.Error, c.want)
		}
	}
	// A full disk: 507 with the store's message (nothing changed, free space).
	full := &coding.Error{Kind: coding.EInternal, Err: fmt.Errorf("commit: %w", syscall.ENOSPC),
		Message: "the disk is full, so nothing was changed; free some space and run the command again"}
	w := httptest.NewRecorder()
	s.fail(w, httptest.NewRequest("POST", "/api/op/tag", nil), full)
	var e errorReply
	json.Unmarshal(w.Body.Bytes(), &e)
	if w.Code != http.StatusInsufficientStorage || e.Error != full.Message {
		t.Errorf("a full disk: got %d %q, want 507 %q", w.Code, e.Error, full.Message)
	}
}
