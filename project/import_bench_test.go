package project

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tacit-qda/tacit/internal/corpusgen"
)

// BenchmarkImport measures a whole import (read, hash, parse, one store
// transaction per document, batched indexing) of 20 generated interviews of
// about 8,000 words. The full-size comparison with bare bleve is the command
// go run ./cmd/tacit-bench (see docs/benchmarks.md).
func BenchmarkImport(b *testing.B) {
	files, total, err := corpusgen.New(1).WriteFiles(b.TempDir(), 20, 8000)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(total)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		root := filepath.Join(b.TempDir(), "p")
		if err := Init(root, "en"); err != nil {
			b.Fatal(err)
		}
		p, err := Open(root, Options{Actor: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Import(context.Background(), files, ImportOptions{Case: "bench"}, nil); err != nil {
			b.Fatal(err)
		}
		p.Close()
	}
}
