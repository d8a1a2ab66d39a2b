package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/internal/benchx"
	"github.com/tacit-qda/tacit/project"
)

// TestSearchTimes (TACIT_SEARCH_DIR=DIR, a copy of the 1,000-interview
// benchmark project, e.g. kept by 'tacit-bench -keep') times the search
// API in this process the way tacit-bench's serve rows ask it, so that a
// CPU profile (-cpuprofile) shows where a served search goes. Never
// asserted: the machine is shared. TACIT_SEARCH_RUNS sets the runs of each
// query (11), TACIT_SEARCH_KIND times one kind only (e.g. "by code").
func TestSearchTimes(t *testing.T) {
	dir := os.Getenv("TACIT_SEARCH_DIR")
	if dir == "" {
		t.Skip("set TACIT_SEARCH_DIR to a copy of the benchmark project to time served searches")
	}
	p, err := project.Open(dir, project.Options{Actor: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	srv, err := New(p, Options{Owner: "owner", LocalToken: "local-secret", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	st, err := p.Stories()
	if err != nil {
		t.Fatal(err)
	}
	cb, err := p.CodebookView()
	if err != nil {
		t.Fatal(err)
	}
	var kase string
	for _, c := range st.Cases {
		if c.Name != "" && kase == "" {
			kase = c.Name
		}
	}
	code := cb[0].Path
	queries := []struct{ kind, q, key, val string }{
		{"term", "crisis", "", ""}, {"term, common", "family", "", ""}, {"prefix", "respect*", "", ""},
		{"boolean AND", "+family +plan", "", ""}, {"boolean NOT", "crisis -police", "", ""},
		{"phrase", `"turning point"`, "", ""}, {"by case", "family", "cases", kase},
		{"by role", "crisis", "roles", "client"}, {"by code", "family", "codes", code},
	}
	runs := 11
	if n, _ := strconv.Atoi(os.Getenv("TACIT_SEARCH_RUNS")); n > 0 {
		runs = n
	}
	for _, q := range queries {
		if k := os.Getenv("TACIT_SEARCH_KIND"); k != "" && k != q.kind {
			continue
		}
		v := url.Values{"q": {q.q}, "limit": {"10"}}
		if q.key != "" {
			v.Set(q.key, q.val)
		}
		var ds []time.Duration
		var cpu time.Duration
		for i := -1; i < runs; i++ {
			c0 := benchx.CPUTime()
			req, _ := http.NewRequestWithContext(context.Background(), "GET", ts.URL+"/api/search?"+v.Encode(), nil)
			req.Header.Set("Authorization", "Bearer local-secret")
			t0 := time.Now()
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("%s: %s", q.kind, res.Status)
			}
			if i >= 0 {
				ds = append(ds, time.Since(t0))
				cpu += benchx.CPUTime() - c0
			}
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		t.Logf("%-13s median %v, CPU %v a request (server and client)", q.kind, ds[len(ds)/2].Round(10*time.Microsecond), (cpu / time.Duration(runs)).Round(10*time.Microsecond))
	}
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("load average %s", strings.TrimSpace(string(load)))
}
