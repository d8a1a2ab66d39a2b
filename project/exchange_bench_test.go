package project_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/project"
)

// peakHeap samples the heap in use every 20 ms while fn runs and returns
// the largest value seen. It reads runtime/metrics, which does not stop
// the world as runtime.ReadMemStats does (on a loaded machine, stopping
// the world 50 times a second added seconds of CPU to what it measured).
func peakHeap(fn func()) uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64() + s[1].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	return peak.Load()
}

// cpuTime is the process's user+system CPU time: on a shared, loaded
// machine it says more than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkExchangeQDPX exports the benchmark project (1,000 interviews,
// 100,000 codings) as .qdpx and imports it into an empty project: the
// store transaction and the search index of the new documents. Run with
// -benchtime 1x; it reports seconds and the peak heap of each step.
func BenchmarkExchangeQDPX(b *testing.B) {
	p := openBig(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		var exp *project.ExportQDPXResult
		var err error
		runtime.GC()
		t0, c0 := time.Now(), cpuTime()
		peak := peakHeap(func() { exp, err = p.ExportQDPX(ctx, project.ExportQDPXRequest{}, &buf) })
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t0).Seconds(), "export-s")
		b.ReportMetric((cpuTime() - c0).Seconds(), "export-cpu-s")
		b.ReportMetric(float64(peak)/(1<<20), "export-peak-MB")
		b.ReportMetric(float64(buf.Len())/(1<<20), "qdpx-MB")
		if exp.Codings != 100000 || exp.Documents != 1000 {
			b.Fatalf("exported %+v", exp)
		}
		dir := b.TempDir()
		file := filepath.Join(dir, "big.qdpx")
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
		if keep := os.Getenv("TACIT_BENCH_QDPX"); keep != "" {
			// keep the exported file, to time 'tacit import' as a whole process
			if err := os.WriteFile(keep, buf.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		buf = bytes.Buffer{}
		root := filepath.Join(dir, "q")
		if err := project.Init(root, "en"); err != nil {
			b.Fatal(err)
		}
		q, err := project.Open(root, project.Options{Actor: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		var rep *project.ImportReport
		if prof := os.Getenv("TACIT_BENCH_IMPORT_PROFILE"); prof != "" {
			// a CPU profile of the import alone (the export and the
			// generation of the project would drown it)
			f, err := os.Create(prof)
			if err != nil {
				b.Fatal(err)
			}
			pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
		runtime.GC()
		t0, c0 = time.Now(), cpuTime()
		peak = peakHeap(func() { rep, err = q.ImportExchange(ctx, project.ImportExchangeRequest{File: file}) })
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t0).Seconds(), "import-s")
		b.ReportMetric((cpuTime() - c0).Seconds(), "import-cpu-s")
		b.ReportMetric(float64(peak)/(1<<20), "import-peak-MB")
		if rep.Imported.Documents != 1000 || rep.Imported.Codings+rep.Imported.CodingsDuplicate != 100000 {
			b.Fatalf("imported %+v", rep.Imported)
		}
		q.Close()
	}
}

// BenchmarkImportQDPXFile imports the .qdpx named by TACIT_BENCH_QDPX_FILE
// (say, 'tacit export qdpx' of the project that go run ./cmd/tacit-bench
// -keep leaves) into an empty project, reporting wall and CPU seconds and
// the peak heap; it is skipped without that variable. With
// TACIT_BENCH_IMPORT_PROFILE it writes a CPU profile of the import alone.
func BenchmarkImportQDPXFile(b *testing.B) {
	file := os.Getenv("TACIT_BENCH_QDPX_FILE")
	if file == "" {
		b.Skip("set TACIT_BENCH_QDPX_FILE to a .qdpx to import")
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		root := filepath.Join(b.TempDir(), "q")
		if err := project.Init(root, "en"); err != nil {
			b.Fatal(err)
		}
		q, err := project.Open(root, project.Options{Actor: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		if prof := os.Getenv("TACIT_BENCH_IMPORT_PROFILE"); prof != "" && i == 0 {
			f, err := os.Create(prof)
			if err != nil {
				b.Fatal(err)
			}
			pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
		runtime.GC()
		var rep *project.ImportReport
		t0, c0 := time.Now(), cpuTime()
		peak := peakHeap(func() { rep, err = q.ImportExchange(ctx, project.ImportExchangeRequest{File: file}) })
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t0).Seconds(), "import-s")
		b.ReportMetric((cpuTime() - c0).Seconds(), "import-cpu-s")
		b.ReportMetric(float64(peak)/(1<<20), "import-peak-MB")
		b.ReportMetric(float64(rep.Imported.Codings), "codings")
		q.Close()
	}
}
