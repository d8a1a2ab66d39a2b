package project_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/internal/benchx"
	"github.com/tacit-qda/tacit/project"
)

// timed runs fn after a collection and reports its wall and CPU seconds
// and its peak heap as NAME-s, NAME-cpu-s and NAME-peak-MB.
func timed(b *testing.B, name string, fn func() error) {
	b.Helper()
	runtime.GC()
	t0, c0 := time.Now(), benchx.CPUTime()
	var err error
	peak := benchx.PeakHeap(func() { err = fn() })
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(t0).Seconds(), name+"-s")
	b.ReportMetric((benchx.CPUTime() - c0).Seconds(), name+"-cpu-s")
	b.ReportMetric(float64(peak)/(1<<20), name+"-peak-MB")
}

// importTimed imports file into a new, empty project, timed as "import".
// With TACIT_BENCH_IMPORT_PROFILE set and profile true it writes a CPU
// profile of the import alone (the export and the generation of the
// project would drown it).
func importTimed(b *testing.B, file string, profile bool) *project.ImportReport {
	b.Helper()
	root := filepath.Join(b.TempDir(), "q")
	if err := project.Init(root, "en"); err != nil {
		b.Fatal(err)
	}
	q, err := project.Open(root, project.Options{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	if prof := os.Getenv("TACIT_BENCH_IMPORT_PROFILE"); prof != "" && profile {
		f, err := os.Create(prof)
		if err != nil {
			b.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	var rep *project.ImportReport
	timed(b, "import", func() (err error) {
		rep, err = q.ImportExchange(context.Background(), project.ImportExchangeRequest{File: file})
		return err
	})
	return rep
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
		timed(b, "export", func() (err error) {
			exp, err = p.ExportQDPX(ctx, project.ExportQDPXRequest{}, &buf)
			return err
		})
		b.ReportMetric(float64(buf.Len())/(1<<20), "qdpx-MB")
		if exp.Codings != 100000 || exp.Documents != 1000 {
			b.Fatalf("exported %+v", exp)
		}
		file := filepath.Join(b.TempDir(), "big.qdpx")
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
		rep := importTimed(b, file, i == 0)
		if rep.Imported.Documents != 1000 || rep.Imported.Codings+rep.Imported.CodingsDuplicate != 100000 {
			b.Fatalf("imported %+v", rep.Imported)
		}
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
	for i := 0; i < b.N; i++ {
		rep := importTimed(b, file, i == 0)
		b.ReportMetric(float64(rep.Imported.Codings), "codings")
	}
}
