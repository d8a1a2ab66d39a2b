package server

import (
	"context"
	"fmt"
	"github.com/tacit-qda/tacit/internal/benchx"
	"io"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLoadTwentyCoders: 20 coders tag at once over loopback, 100 requests
// each; all 2,000 codings must be there afterwards and the project must
// check clean. It reports the median and p99 latency of a tag request
// (never asserted: the machine is shared). Bounded: it stops after 2,000
// requests or two minutes.
func TestLoadTwentyCoders(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped with -short")
	}
	const clients, each = 20, 100
	f := newFixture(t)
	doc := f.docID("client-moshe")
	v, err := f.p.DocumentView(doc)
	if err != nil {
		t.Fatal(err)
	}
	if v.Chars < clients*each+2 {
		t.Fatalf("document too short: %d", v.Chars)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	// A baseline in the same run: one client, 100 requests in a row, on
	// another document (the machine is shared, so compare ratios).
	var base []time.Duration
	other := f.docID("staff-ruth")
	for i := 0; i < each; i++ {
		body := fmt.Sprintf(`{"code":"Principles/Respectful attitude","start":%d,"end":%d}`, i, i+2)
		req, _ := http.NewRequestWithContext(ctx, "POST", f.ts.URL+"/api/docs/"+other+"/codings", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer local-secret")
		t0 := time.Now()
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body) // read to the end, so the connection is reused
		res.Body.Close()
		base = append(base, time.Since(t0))
	}
	sort.Slice(base, func(i, j int) bool { return base[i] < base[j] })
	t.Logf("baseline: one client, %d tag requests in a row: median %v, p99 %v", len(base), base[len(base)/2].Round(10*time.Microsecond), base[len(base)*99/100].Round(10*time.Microsecond))
	lat := make([]time.Duration, 0, clients*each)
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	cpu0 := benchx.CPUTime()
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			coder := fmt.Sprintf("load%02d", c)
			for i := 0; i < each; i++ {
				// Every request its own span: 2,000 distinct codings.
				s := i*clients + c
				body := fmt.Sprintf(`{"code":"Principles/Respectful attitude","start":%d,"end":%d}`, s, s+2)
				req, _ := http.NewRequestWithContext(ctx, "POST", f.ts.URL+"/api/docs/"+doc+"/codings", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer local-secret")
				req.Header.Set("X-Tacit-Coder", coder)
				t0 := time.Now()
				res, err := hc.Do(req)
				d := time.Since(t0)
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusCreated {
					errs <- fmt.Errorf("%s request %d: status %d", coder, i, res.StatusCode)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}(c)
	}
	wg.Wait()
	wall := time.Since(start)
	cpu := benchx.CPUTime() - cpu0
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	med, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	load, _ := os.ReadFile("/proc/loadavg")
	// The process's CPU time per request (server and clients together) is
	// what a busy machine changes least: with 2 cores free, 2 s of CPU a
	// second is the ceiling on throughput.
	t.Logf("%d tag requests from %d clients in %v (%.0f/s): median %v, p99 %v, max %v; CPU %v per request; GOMAXPROCS %d, load average %s",
		len(lat), clients, wall.Round(time.Millisecond), float64(len(lat))/wall.Seconds(), med.Round(10*time.Microsecond),
		p99.Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond), (cpu / time.Duration(len(lat))).Round(time.Microsecond),
		runtime.GOMAXPROCS(0), strings.TrimSpace(string(load)))
	v, err = f.p.DocumentView(doc)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	seen := map[string]bool{}
	for _, c := range v.Codings {
		if strings.HasPrefix(c.Coder, "load") {
			n++
			seen[fmt.Sprint(c.Start)] = true
		}
	}
	if n != clients*each || len(seen) != clients*each {
		t.Errorf("%d codings (%d distinct spans) after the load, want %d", n, len(seen), clients*each)
	}
	rep, err := f.p.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 {
		t.Errorf("check after the load: %+v", rep)
	}
}
