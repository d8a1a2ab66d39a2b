package server

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/agreement"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/project"
)

// report answers GET /api/reports/{kind}?format=json|csv|html|md&... with
// one report of the operations layer, rendered by the same writers as
// 'tacit report' and 'tacit agreement'. Query parameters (comma-separated
// lists): coders, roles, cases, docs, attrs (k=v) for every report; most,
// quotes, by_attr for recurrence; rows, cols, count for matrix; unit, min
// for cooccurrence; coders, unit, codes, disagreements for agreement.
// download=1 asks for a file (Content-Disposition: attachment).
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	u, ok := s.who(r)
	if !ok {
		writeError(w, http.StatusUnauthorized, kindUnauthorized, "log in first")
		return
	}
	_ = u
	q := r.URL.Query()
	kind := r.PathValue("kind")
	format := q.Get("format")
	if format == "" {
		format = "json"
	}
	list := func(k string) []string {
		var out []string
		for _, v := range strings.Split(q.Get(k), ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	num := func(k string) (float64, error) {
		v := q.Get(k)
		if v == "" {
			return 0, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, coding.Errorf(coding.EInvalid, "%s=%q is not a number", k, v)
		}
		return f, nil
	}
	attrs := map[string]string{}
	for _, kv := range list("attrs") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			s.fail(w, r, coding.Errorf(coding.EInvalid, "attribute %q is not key=value", kv))
			return
		}
		attrs[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	flt := report.Filter{Coders: list("coders"), Roles: list("roles"), Docs: list("docs"), Cases: list("cases"), Attrs: attrs,
		Speakers: list("speakers"), Langs: list("langs")}
	ctx := project.WithActor(r.Context(), u.Name)
	s.idxMu.RLock()
	defer s.idxMu.RUnlock()
	var rep any
	var err error
	switch kind {
	case "recurrence":
		var most, quotes float64
		if most, err = num("most"); err == nil {
			quotes, err = num("quotes")
		}
		if err == nil {
			if q.Get("quotes") == "" {
				quotes = 2
			}
			rep, err = s.p.Recurrence(ctx, project.RecurrenceRequest{Filter: flt, Most: most, Quotes: int(quotes), ByAttr: q.Get("by_attr")})
		}
	case "matrix":
		rep, err = s.p.Matrix(ctx, project.MatrixRequest{Filter: flt, Rows: q.Get("rows"), Cols: q.Get("cols"), Count: q.Get("count")})
	case "cooccurrence":
		var min float64
		if min, err = num("min"); err == nil {
			rep, err = s.p.Cooccurrence(ctx, project.CooccurrenceRequest{Filter: flt, Unit: q.Get("unit"), Min: int(min)})
		}
	case "agreement":
		rep, err = s.p.Agreement(ctx, project.AgreementRequest{Coders: list("coders"), Unit: q.Get("unit"), Codes: list("codes"),
			Docs: list("docs"), Disagreements: q.Get("disagreements") != ""})
	default:
		err = coding.Errorf(coding.ENotFound, "no report %q; use recurrence, matrix, cooccurrence or agreement", kind)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if kind == "agreement" {
		err = agreement.Write(&buf, rep.(*project.AgreementReport), format)
	} else {
		var f string
		if f, err = report.ParseFormat(format); err == nil {
			format = f
			err = report.Write(&buf, rep, format)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctype := map[string]string{"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8",
		"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}[format]
	if ctype == "" {
		ctype = "text/plain; charset=utf-8"
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	if format == "html" {
		// A report's HTML is a document of its own with inline styles and
		// no script: shown in a sandboxed frame of the Reports page.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
		h.Del("X-Frame-Options")
		h.Set("X-Frame-Options", "SAMEORIGIN")
	}
	if q.Get("download") != "" {
		ext := format
		if ext == "table" {
			ext = "txt"
		}
		h.Set("Content-Disposition", `attachment; filename="`+kind+`.`+ext+`"`)
	}
	_, _ = io.Copy(w, &buf)
}
