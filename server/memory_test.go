package server

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/internal/projgen"
	"github.com/tacit-qda/tacit/project"
)

// TestIdleMemory (TACIT_MEMORY=1) serves the 1,000-interview benchmark
// project (internal/projgen's default, with its search index) and reports
// the process's resident memory once the server is idle. With
// TACIT_MEMORY_DIR=DIR the project is built there and kept, so that a real
// 'tacit serve -p DIR' can be measured too (its VmRSS in /proc).
func TestIdleMemory(t *testing.T) {
	if os.Getenv("TACIT_MEMORY") == "" {
		t.Skip("set TACIT_MEMORY=1 to measure idle memory on the 1,000-interview project (builds it: minutes)")
	}
	dir := filepath.Join(t.TempDir(), "bench")
	if d := os.Getenv("TACIT_MEMORY_DIR"); d != "" {
		dir = d // keep the project, to measure a real 'tacit serve' on it
	}
	cfg := projgen.Default()
	cfg.Index = true
	t0 := time.Now()
	if _, err := projgen.Generate(dir, cfg); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated the benchmark project in %v", time.Since(t0).Round(time.Second))
	runtime.GC()
	before := rss(t)
	p, err := project.Open(dir, project.Options{Actor: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Index(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv, err := New(p, Options{Owner: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, err := p.Stories(); err != nil { // touch every document once
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	after := rss(t)
	t.Logf("idle server on 1,000 interviews: resident %d MB (the test process held %d MB before opening it); Go heap in use %d MB, from the OS %d MB",
		after>>20, before>>20, ms.HeapInuse>>20, ms.Sys>>20)
}

func rss(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			var kb int64
			for _, c := range f[1] {
				kb = kb*10 + int64(c-'0')
			}
			return kb << 10
		}
	}
	return 0
}
