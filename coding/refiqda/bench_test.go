package refiqda

import (
	"os"
	"testing"
)

// BenchmarkOpenQDPXFile opens the .qdpx named by TACIT_BENCH_QDPX_FILE
// (say, 'tacit export qdpx' of the project that go run ./cmd/tacit-bench
// -keep leaves) and reads its project.qde: the part of an import that
// comes before anything can be indexed. It is skipped without that
// variable.
func BenchmarkOpenQDPXFile(b *testing.B) {
	file := os.Getenv("TACIT_BENCH_QDPX_FILE")
	if file == "" {
		b.Skip("set TACIT_BENCH_QDPX_FILE to a .qdpx to read")
	}
	b.ReportAllocs()
	for b.Loop() {
		a, err := Open(file)
		if err != nil {
			b.Fatal(err)
		}
		p, err := ReadProject(a.QDE)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Sources) == 0 {
			b.Fatal("no sources")
		}
	}
}
