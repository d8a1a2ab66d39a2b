package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

//go:embed web/templates/*.html
var templateFS embed.FS

//go:embed web/static
var staticFS embed.FS

func parsePages() (*template.Template, error) {
	return template.New("").Funcs(template.FuncMap{
		"pct": func(f float64) int { return int(f*100 + 0.5) },
	}).ParseFS(templateFS, "web/templates/*.html")
}

// loadStatic indexes the embedded assets and their ETags (content hashes).
func (s *Server) loadStatic() error {
	sub, err := fs.Sub(staticFS, "web/static")
	if err != nil {
		return err
	}
	s.static = sub
	s.etags = map[string]string{}
	return fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		s.etags[p] = `"` + hex.EncodeToString(h[:8]) + `"`
		return nil
	})
}

// serveStatic serves one embedded asset by name; nothing else is reachable
// (the name is one path element, looked up in the embedded files only).
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	tag, ok := s.etags[name]
	if !ok || strings.Contains(name, "/") || name != path.Clean(name) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", tag)
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeFileFS(w, r, s.static, name)
}

// pageData is what every page template gets.
type pageData struct {
	Title   string
	Page    string
	User    user
	Project string
	Data    any
	Error   string
	Token   string
}

func (s *Server) render(w http.ResponseWriter, status int, name string, d pageData) {
	d.Project = path.Base(s.p.Root)
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, d); err != nil {
		s.opt.Logf("render %s: %v", name, err)
		http.Error(w, "internal error; the server log has the details", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// page wraps a page handler: a visitor without a session goes to /login.
func (s *Server) page(f func(w http.ResponseWriter, r *http.Request, u user)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, ok := s.who(r)
		if !ok {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		f(w, r, u)
	}
}

// shellPage is a page whose content the page's script builds from the API.
func (s *Server) shellPage(name, title string) func(w http.ResponseWriter, r *http.Request, u user) {
	return func(w http.ResponseWriter, r *http.Request, u user) {
		s.render(w, http.StatusOK, name+".html", pageData{Title: title, Page: name, User: u})
	}
}

func (s *Server) storiesPage(w http.ResponseWriter, r *http.Request, u user) {
	st, err := s.p.Stories()
	if err != nil {
		s.opt.Logf("stories: %v", err)
		http.Error(w, "internal error; the server log has the details", http.StatusInternalServerError)
		return
	}
	s.render(w, http.StatusOK, "stories.html", pageData{Title: "Stories", Page: "stories", User: u, Data: st})
}

func (s *Server) readerPage(w http.ResponseWriter, r *http.Request, u user) {
	v, err := s.p.DocumentView(r.PathValue("doc"))
	if err != nil {
		status := statusOf(coding.ErrorKind(err))
		if status == http.StatusInternalServerError {
			s.opt.Logf("reader: %v", err)
		}
		s.render(w, status, "error.html", pageData{Title: "Not found", User: u, Error: err.Error()})
		return
	}
	s.render(w, http.StatusOK, "reader.html", pageData{Title: v.Name, Page: "reader", User: u, Data: v})
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/stories"
	}
	return next
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "login.html", pageData{Title: "Log in", Data: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.render(w, http.StatusBadRequest, "login.html", pageData{Title: "Log in", Error: "the form could not be read", Data: "/stories"})
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	next := safeNext(r.PostFormValue("next"))
	keys := []string{"addr:" + clientAddr(r), "user:" + strings.ToLower(name)}
	if s.limiter.blocked(keys...) {
		s.render(w, http.StatusTooManyRequests, "login.html", pageData{Title: "Log in", Error: "too many failed logins; wait ten minutes and try again", Data: next})
		return
	}
	acc, err := s.p.Authenticate(name, r.PostFormValue("password"))
	if err != nil {
		s.limiter.failed(keys...)
		s.render(w, http.StatusUnauthorized, "login.html", pageData{Title: "Log in", Error: err.Error(), Data: next})
		return
	}
	s.newSession(w, user{Name: acc.Name, Admin: acc.Admin})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// oncePage shows the button that spends a one-time login token: a GET
// never changes anything, so the exchange is a POST.
func (s *Server) oncePage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "once.html", pageData{Title: "Log in", Token: r.URL.Query().Get("token"), User: user{Name: s.opt.Owner}})
}

func (s *Server) onceLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	_ = r.ParseForm()
	tok := r.PostFormValue("token")
	keys := []string{"addr:" + clientAddr(r)}
	if s.limiter.blocked(keys...) {
		s.render(w, http.StatusTooManyRequests, "login.html", pageData{Title: "Log in", Error: "too many failed logins; wait ten minutes and try again", Data: "/stories"})
		return
	}
	s.mu.Lock()
	exp, ok := s.once[tok]
	delete(s.once, tok)
	s.mu.Unlock()
	if !ok || tok == "" || timeNow().After(exp) {
		s.limiter.failed(keys...)
		s.render(w, http.StatusUnauthorized, "login.html", pageData{Title: "Log in", Error: "this login link was used already or has expired; restart 'tacit serve' for a new one, or log in with a password", Data: "/stories"})
		return
	}
	s.newSession(w, user{Name: s.opt.Owner, Admin: true})
	http.Redirect(w, r, "/stories", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.endSession(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

var _ = project.DefaultActor
