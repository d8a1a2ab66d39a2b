// Package server is 'tacit serve': the team's coding room in the browser.
// It decodes HTTP requests, calls the operations layer (package project)
// and encodes the replies; it holds sessions, the live-update hub and the
// embedded web UI, and nothing else. It never opens a store transaction.
package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tacit-qda/tacit/project"
)

// Options configure a Server.
type Options struct {
	// Secure marks session cookies Secure (the server is behind TLS).
	Secure bool
	// Owner is the local user the one-time login link logs in, as an
	// admin (default: project.DefaultActor()).
	Owner string
	// LocalToken, when set, authenticates scripts and other tacit
	// commands of the local owner: "Authorization: Bearer TOKEN".
	LocalToken string
	// Logf logs server errors (default: log.Printf).
	Logf func(format string, args ...any)
	// Poll is how often the live-update hub looks for changes made
	// outside the server's own handlers (default 250ms).
	Poll time.Duration
}

// Limits on requests.
const (
	maxBody       = 1 << 20 // bytes of a JSON or form body
	sessionIdle   = 12 * time.Hour
	sessionMax    = 7 * 24 * time.Hour
	loginWindow   = 10 * time.Minute
	loginFailures = 10 // per client address and per user name in loginWindow
)

// Server serves one open project.
type Server struct {
	p       *project.Project
	opt     Options
	handler http.Handler
	pages   *template.Template
	hub     *hub
	limiter *limiter
	static  fs.FS
	etags   map[string]string

	mu       sync.Mutex
	sessions map[string]*session
	once     map[string]time.Time // one-time login tokens -> expiry
	// idxMu serialises the operations that may rebuild the search index.
	idxMu sync.RWMutex
	// lastRequest is when the last request came (unix nanoseconds).
	lastRequest atomic.Int64
}

// user is who makes a request.
type user struct {
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
	// Local is true for the owner's local token (other tacit commands).
	Local bool `json:"-"`
}

type session struct {
	user    user
	created time.Time
	seen    time.Time
}

// New returns a server for the open project p. Close stops it.
func New(p *project.Project, opt Options) (*Server, error) {
	if opt.Owner == "" {
		opt.Owner = project.DefaultActor()
	}
	if opt.Logf == nil {
		opt.Logf = log.Printf
	}
	if opt.Poll == 0 {
		opt.Poll = 250 * time.Millisecond
	}
	p.KeepWarm()
	s := &Server{p: p, opt: opt, sessions: map[string]*session{}, once: map[string]time.Time{}, limiter: newLimiter()}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	if s.hub, err = newHub(p, opt.Poll, opt.Logf); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	s.routes(mux)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "forbidden", "cross-origin request refused (CSRF protection); use the page served by tacit")
	}))
	s.handler = securityHeaders(cop.Handler(mux))
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the live-update hub and ends the event streams.
func (s *Server) Close() { s.hub.close() }

// Poke tells the live-update hub that the project changed.
func (s *Server) Poke() { s.hub.poke() }

// LoginToken returns a new one-time token that logs the owner in within
// 24 hours (GET /login/once?token=...).
func (s *Server) LoginToken() string {
	t := randomID()
	s.mu.Lock()
	s.once[t] = time.Now().Add(24 * time.Hour)
	s.mu.Unlock()
	return t
}

func randomID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// securityHeaders sets the Content-Security-Policy (no inline script) and
// the other headers every response carries.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		h.ServeHTTP(w, r)
	})
}

const cookieName = "tacit_session"

// newSession starts a session for u and sets its cookie.
func (s *Server) newSession(w http.ResponseWriter, u user) {
	id := randomID()
	now := time.Now()
	s.mu.Lock()
	s.sessions[id] = &session{user: u, created: now, seen: now}
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: "/", HttpOnly: true, Secure: s.opt.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionMax / time.Second)})
}

// RevokeUser ends every session of the named user (after a password change
// or removal).
func (s *Server) RevokeUser(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, ss := range s.sessions {
		if strings.EqualFold(ss.user.Name, name) {
			delete(s.sessions, id)
		}
	}
}

// who returns the user making r: a live session cookie, or the local
// token (the owner, as admin, acting as the coder named in X-Tacit-Coder
// when given).
func (s *Server) who(r *http.Request) (user, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || s.opt.LocalToken == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(s.opt.LocalToken)) != 1 {
			return user{}, false
		}
		name := s.opt.Owner
		if c := strings.TrimSpace(r.Header.Get("X-Tacit-Coder")); c != "" && project.CheckUserName(c) == nil {
			name = c
		}
		return user{Name: name, Admin: true, Local: true}, true
	}
	c, err := r.Cookie(cookieName)
	if err != nil {
		return user{}, false
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[c.Value]
	if ss == nil {
		return user{}, false
	}
	if now.Sub(ss.seen) > sessionIdle || now.Sub(ss.created) > sessionMax {
		delete(s.sessions, c.Value)
		return user{}, false
	}
	ss.seen = now
	return ss.user, true
}

func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", HttpOnly: true, Secure: s.opt.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// limiter counts failed logins per key (client address, user name) in a
// sliding window.
type limiter struct {
	mu   sync.Mutex
	fail map[string][]time.Time
}

func newLimiter() *limiter { return &limiter{fail: map[string][]time.Time{}} }

func (l *limiter) recent(key string, now time.Time) []time.Time {
	ts := l.fail[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > loginWindow {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fail, key)
	} else {
		l.fail[key] = ts
	}
	return ts
}

// blocked reports whether any key has too many recent failures.
func (l *limiter) blocked(keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	for _, k := range keys {
		if len(l.recent(k, now)) >= loginFailures {
			return true
		}
	}
	return false
}

func (l *limiter) failed(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	for _, k := range keys {
		l.fail[k] = append(l.recent(k, now), now)
	}
	if len(l.fail) > 100000 { // bound memory under a flood of names
		for k := range l.fail {
			delete(l.fail, k)
		}
	}
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Serve runs an HTTP server for s on the listener until ctx is done, then
// shuts it down gracefully (open event streams are ended first).
func (s *Server) Serve(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	hs := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.lastRequest.Store(time.Now().UnixNano())
			s.handler.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(logWriter{s.opt.Logf}, "", 0),
	}
	errc := make(chan error, 1)
	stop := make(chan struct{})
	defer close(stop)
	go s.returnMemoryWhenIdle(stop)
	go func() {
		if certFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}

// returnMemoryWhenIdle gives the heap that a burst of requests grew back
// to the operating system once the server has been idle for a few
// seconds: a page of stories or a filtered search over 1,000 interviews
// passes through tens of megabytes that the Go runtime would otherwise
// keep (or return slowly), and a coding room idles far more than it works.
func (s *Server) returnMemoryWhenIdle(stop <-chan struct{}) {
	t := time.NewTicker(idleCheck)
	defer t.Stop()
	var freed int64
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		last := s.lastRequest.Load()
		if last > freed && time.Since(time.Unix(0, last)) >= idleCheck {
			debug.FreeOSMemory()
			freed = last
		}
	}
}

// idleCheck is how often, and after how long without a request, the
// server returns unused memory to the operating system.
const idleCheck = 5 * time.Second

type logWriter struct{ logf func(string, ...any) }

func (l logWriter) Write(b []byte) (int, error) {
	l.logf("%s", strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

var _ = fmt.Sprintf

var timeNow = time.Now
