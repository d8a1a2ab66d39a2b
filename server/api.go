package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"syscall"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

// apiFunc handles an authenticated API request and returns the reply to
// encode as JSON, or an error.
type apiFunc func(r *http.Request, u user) (any, error)

// errorReply is every API error: the coding.Error kind and its message.
type errorReply struct {
	Error string `json:"error"`
	Kind  string `json:"kind"`
	// Next and Arg are the next step the error names (coding.Error's), for
	// the page to offer; the message says it in the server's words.
	Next string `json:"next,omitempty"`
	Arg  string `json:"arg,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, kind, msg string) {
	writeJSON(w, status, errorReply{Error: msg, Kind: kind})
}

// Kinds of errors the HTTP layer adds to coding's.
const (
	kindUnauthorized = "unauthorized"
	kindForbidden    = project.EForbidden
	kindTooLarge     = "too_large"
	kindRateLimited  = "rate_limited"
)

// statusOf maps an error kind to an HTTP status.
func statusOf(kind string) int {
	switch kind {
	case coding.EInvalid:
		return http.StatusBadRequest
	case coding.ENotFound:
		return http.StatusNotFound
	case coding.EConflict:
		return http.StatusConflict
	case coding.EInUse:
		return http.StatusServiceUnavailable
	case kindForbidden:
		return http.StatusForbidden
	case kindUnauthorized:
		return http.StatusUnauthorized
	case kindTooLarge:
		return http.StatusRequestEntityTooLarge
	case kindRateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.failWords(w, r, err, true)
}

// failWords is fail; words says whether the message adds the next step in
// the server's words. The owner's other tacit commands (the local token)
// get only its kind (Next, Arg) and say it in the CLI's words.
func (s *Server) failWords(w http.ResponseWriter, r *http.Request, err error, words bool) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, http.StatusRequestEntityTooLarge, kindTooLarge, "the request body is larger than "+strconv.FormatInt(mbe.Limit, 10)+" bytes")
		return
	}
	kind := coding.ErrorKind(err)
	status := statusOf(kind)
	msg := err.Error()
	if errors.Is(err, syscall.ENOSPC) {
		// The store's message says nothing changed and to free space: the
		// coder must see it, not a bare "internal error".
		s.opt.Logf("%s %s: %v", r.Method, r.URL.Path, err)
		status = http.StatusInsufficientStorage
	} else if status == http.StatusInternalServerError {
		s.opt.Logf("%s %s: %v", r.Method, r.URL.Path, err)
		if kind != coding.EDamaged { // a damaged store's message says what to do (tacit check); keep it
			msg = "internal error; the server log has the details"
		}
	}
	reply := errorReply{Error: msg, Kind: kind}
	var ce *coding.Error
	if errors.As(err, &ce) && ce.Next != "" {
		reply.Next, reply.Arg = ce.Next, ce.Arg
		if said := nextWords(ce.Next); said != "" && words {
			if strings.HasPrefix(said, "(") {
				reply.Error += " " + said
			} else {
				reply.Error += "; " + said
			}
		}
	}
	writeJSON(w, status, reply)
}

// nextWords is what the server says about an error's next step: the steps
// a web user can take, or who can (the project's owner at the terminal).
func nextWords(next string) string {
	switch next {
	case coding.NextDamaged, coding.NextRestore:
		return "the project's owner should stop the server and run 'tacit check' on the project"
	case coding.NextReindex:
		return "the project's owner should run 'tacit reindex'"
	case coding.NextUpgrade:
		return "the project's owner should run 'tacit upgrade'"
	case coding.NextNameCoder:
		return "log in as a user with a name"
	case coding.NextGiveQuery:
		return "give words to search for (q), or a regular expression (regex)"
	case coding.NextUpdateUser:
		return `send "update": true to change the password`
	case coding.NextNameCoders:
		return "name them in the coders parameter, as coders=dana,yossi"
	case coding.NextCheckCoders:
		return "check the name in the coders parameter"
	case coding.NextCheckDocs:
		return "check the docs parameter"
	case coding.NextCommonDocs:
		return "have each coder code the same documents, or name documents in the docs parameter"
	case coding.NextOtherDocs:
		return "choose other documents (docs) or other coders"
	case coding.NextMoveDocTo:
		return `name the case ("case"), or send "no_case": true`
	case coding.NextForceOthers:
		return `send "force": true to remove another coder's coding`
	case coding.NextForceMap:
		return `(send "force": true to map it anyway)`
	}
	return ""
}

// api wraps an apiFunc: it authenticates the request, limits its body and
// encodes the reply or the error.
func (s *Server) api(f apiFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, ok := s.who(r)
		if !ok {
			writeError(w, http.StatusUnauthorized, kindUnauthorized, "log in first (or send the local token as 'Authorization: Bearer TOKEN')")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		v, err := f(r, u)
		if err != nil {
			s.failWords(w, r, err, !u.Local)
			return
		}
		status := http.StatusOK
		if r.Method == http.MethodPost {
			status = http.StatusCreated
		}
		if _, isNone := v.(noContent); isNone {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, status, v)
	}
}

type noContent struct{}

// admin wraps an apiFunc for admins only.
func admin(f apiFunc) apiFunc {
	return func(r *http.Request, u user) (any, error) {
		if !u.Admin {
			return nil, coding.Errorf(kindForbidden, "only an admin may do this; %s is a coder", u.Name)
		}
		return f(r, u)
	}
}

// decode reads a JSON body into v, refusing unknown fields.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return coding.Errorf(coding.EInvalid, "the request body is empty; send a JSON object")
		}
		return coding.Errorf(coding.EInvalid, "the request body is not valid JSON: %v", err)
	}
	if dec.More() {
		return coding.Errorf(coding.EInvalid, "the request body holds more than one JSON value")
	}
	return nil
}

func pathID(r *http.Request, name string) (uint64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil || id == 0 {
		return 0, coding.Errorf(coding.EInvalid, "%q is not a %s id (a positive number)", v, name)
	}
	return id, nil
}

func (s *Server) routes(mux *http.ServeMux) {
	// Pages.
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/stories", http.StatusSeeOther) })
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("GET /login/once", s.oncePage)
	mux.HandleFunc("POST /login/once", s.onceLogin)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("GET /stories", s.page(s.storiesPage))
	mux.HandleFunc("GET /read/{doc}", s.page(s.readerPage))
	mux.HandleFunc("GET /codebook", s.page(s.shellPage("codebook", "Codebook")))
	mux.HandleFunc("GET /log", s.page(s.shellPage("log", "Log")))
	mux.HandleFunc("GET /search", s.page(s.shellPage("search", "Search")))
	mux.HandleFunc("GET /reports", s.page(s.shellPage("reports", "Reports")))
	mux.HandleFunc("GET /static/{file}", s.serveStatic)

	// The JSON API (documented in README.md, "tacit serve").
	mux.HandleFunc("GET /api/me", s.api(func(r *http.Request, u user) (any, error) { return u, nil }))
	mux.HandleFunc("GET /api/stories", s.api(func(r *http.Request, u user) (any, error) { return s.p.Stories() }))
	mux.HandleFunc("GET /api/docs/{doc}", s.api(func(r *http.Request, u user) (any, error) { return s.p.DocumentView(r.PathValue("doc")) }))
	mux.HandleFunc("POST /api/docs/{doc}/codings", s.api(s.tag))
	mux.HandleFunc("DELETE /api/codings/{coding}", s.api(s.untag))
	mux.HandleFunc("PATCH /api/codings/{coding}", s.api(s.recode))
	mux.HandleFunc("GET /api/codes", s.api(func(r *http.Request, u user) (any, error) { return s.p.CodebookView() }))
	mux.HandleFunc("GET /api/log", s.api(s.log))
	mux.HandleFunc("POST /api/undo", s.api(s.undo))
	mux.HandleFunc("GET /api/memos", s.api(s.memos))
	mux.HandleFunc("POST /api/memos", s.api(s.addMemo))
	mux.HandleFunc("DELETE /api/memos/{memo}", s.api(s.deleteMemo))
	mux.HandleFunc("GET /api/events", s.stream)
	mux.HandleFunc("POST /api/op/{name}", s.api(s.op))
	mux.HandleFunc("GET /api/reports/{kind}", s.report)
	mux.HandleFunc("GET /api/search", s.api(s.search))
	mux.HandleFunc("GET /api/ops", s.api(s.opNames))
	mux.HandleFunc("GET /api/users", s.api(admin(func(r *http.Request, u user) (any, error) { return s.p.Users() })))
	mux.HandleFunc("POST /api/users", s.api(admin(s.addUser)))
	mux.HandleFunc("/api/", s.api(func(r *http.Request, u user) (any, error) {
		return nil, coding.Errorf(coding.ENotFound, "no API route %s %s; README.md lists them", r.Method, r.URL.Path)
	}))
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	u, ok := s.who(r)
	if !ok {
		writeError(w, http.StatusUnauthorized, kindUnauthorized, "log in first")
		return
	}
	s.events(w, r, u)
}

// tagBody is the body of POST /api/docs/{doc}/codings.
type tagBody struct {
	Code  string `json:"code"`
	Start *int   `json:"start"`
	End   *int   `json:"end"`
	Memo  string `json:"memo"`
}

func (s *Server) tag(r *http.Request, u user) (any, error) {
	var b tagBody
	if err := decode(r, &b); err != nil {
		return nil, err
	}
	if strings.TrimSpace(b.Code) == "" || b.Start == nil || b.End == nil {
		return nil, coding.Errorf(coding.EInvalid, "give code, start and end (code-point offsets of the document text)")
	}
	res, err := s.p.TagSpan(project.TagSpanRequest{Doc: r.PathValue("doc"), Code: b.Code, Start: *b.Start, End: *b.End, Memo: b.Memo, Coder: u.Name})
	if err == nil {
		s.hub.poke()
	}
	return res, err
}

func (s *Server) untag(r *http.Request, u user) (any, error) {
	id, err := pathID(r, "coding")
	if err != nil {
		return nil, err
	}
	res, err := s.p.UntagAs(project.UntagAsRequest{IDs: []uint64{id}, Coder: u.Name, Admin: u.Admin})
	if err == nil {
		s.hub.poke()
	}
	return res, err
}

func (s *Server) recode(r *http.Request, u user) (any, error) {
	id, err := pathID(r, "coding")
	if err != nil {
		return nil, err
	}
	var b struct {
		Code string `json:"code"`
	}
	if err := decode(r, &b); err != nil {
		return nil, err
	}
	res, err := s.p.Recode(project.RecodeRequest{ID: id, Code: b.Code, Coder: u.Name, Admin: u.Admin})
	if err == nil {
		s.hub.poke()
	}
	return res, err
}

func (s *Server) log(r *http.Request, u user) (any, error) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return nil, coding.Errorf(coding.EInvalid, "limit must be a number from 1 to 10000")
		}
		limit = n
	}
	return s.p.RecentEvents(limit, r.URL.Query().Get("actor"))
}

func (s *Server) addUser(r *http.Request, u user) (any, error) {
	var b project.AddUserRequest
	if err := decode(r, &b); err != nil {
		return nil, err
	}
	b.By = u.Name
	acc, err := s.p.AddUser(b)
	if err == nil {
		s.hub.poke()
		if b.Update {
			s.RevokeUser(acc.Name)
		}
	}
	return acc, err
}

func (s *Server) undo(r *http.Request, u user) (any, error) {
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	ev, err := s.p.UndoAs(u.Name)
	if err == nil {
		s.hub.poke()
	}
	return ev, err
}

func (s *Server) memos(r *http.Request, u user) (any, error) {
	q := r.URL.Query()
	target := q.Get("target")
	var id uint64
	if v := q.Get("target_id"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, coding.Errorf(coding.EInvalid, "target_id %q is not a number", v)
		}
		id = n
	}
	switch target {
	case coding.MemoProject, coding.MemoCase, coding.MemoDoc, coding.MemoCode, coding.MemoCoding:
	default:
		return nil, coding.Errorf(coding.EInvalid, "target must be project, case, doc, code or coding, not %q", target)
	}
	return s.p.MemosOf(target, id)
}

func (s *Server) addMemo(r *http.Request, u user) (any, error) {
	var b project.MemoAsRequest
	if err := decode(r, &b); err != nil {
		return nil, err
	}
	b.Author = u.Name
	m, err := s.p.MemoAs(b)
	if err == nil {
		s.hub.poke()
	}
	return m, err
}

func (s *Server) deleteMemo(r *http.Request, u user) (any, error) {
	id, err := pathID(r, "memo")
	if err != nil {
		return nil, err
	}
	m, err := s.p.DeleteMemoAs(id, u.Name, u.Admin)
	if err == nil {
		s.hub.poke()
	}
	return m, err
}

// search answers GET /api/search?q=...&regex=...&docs=&cases=&speakers=&
// roles=&codes=&not_codes=&coders=&langs=&attrs=k=v,...&limit=&offset= with the hits of the search
// language, as 'tacit search --json' prints them (the matches marked with
// U+E000 and U+E001, which the page turns into highlights as text).
func (s *Server) search(r *http.Request, u user) (any, error) {
	q := r.URL.Query()
	list := func(k string) []string {
		var out []string
		for _, v := range strings.Split(q.Get(k), ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	limit, offset := 50, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return nil, coding.Errorf(coding.EInvalid, "limit must be a number from 1 to 1000")
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, coding.Errorf(coding.EInvalid, "offset must be a number from 0")
		}
		offset = n
	}
	var attrs map[string]string
	for _, kv := range list("attrs") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, coding.Errorf(coding.EInvalid, "attribute %q is not key=value", kv)
		}
		if attrs == nil {
			attrs = map[string]string{}
		}
		attrs[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	req := project.SearchRequest{Query: q.Get("q"), Regex: q.Get("regex"), Limit: limit, Offset: offset,
		Selection: project.Selection{Docs: list("docs"), Cases: list("cases"), Speakers: list("speakers"), Roles: list("roles"),
			Codes: list("codes"), NotCodes: list("not_codes"), Coders: list("coders"), Langs: list("langs"), Attrs: attrs},
		Mark: [2]string{"\ue000", "\ue001"}, CountBy: q.Get("count_by")}
	s.idxMu.RLock()
	defer s.idxMu.RUnlock()
	return s.p.Search(project.WithActor(r.Context(), u.Name), req)
}
