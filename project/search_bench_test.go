package project

import (
	"context"
	"os"
	"testing"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/internal/benchx"
	"github.com/tacit-qda/tacit/store"
)

// BenchmarkBenchQueries (TACIT_BENCH_PROJECT=DIR, the project of a
// 'tacit-bench -keep' run or a copy of it) runs tacit-bench's query set in
// process: "project" is Project.Search with the selection (what 'tacit
// search' and 'tacit serve' do per request), "index" is index.Search with
// the selection resolved once (what tacit-bench's in-process rows time).
// Profile one kind with -bench 'BenchQueries/index/phrase' -cpuprofile.
func BenchmarkBenchQueries(b *testing.B) {
	dir := os.Getenv("TACIT_BENCH_PROJECT")
	if dir == "" {
		b.Skip("set TACIT_BENCH_PROJECT to a tacit-bench project")
	}
	ctx := context.Background()
	p, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	x, err := p.Index(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var kase, code string
	err = p.Store.View(func(tx *store.Tx) error {
		cases, err := tx.Cases()
		if err != nil {
			return err
		}
		kase = cases[0].Name
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		cb.Walk(func(c *coding.Code, _ int) {
			if code == "" {
				code = cb.Path(c.ID)
			}
		})
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []struct {
		kind, q string
		sel     Selection
	}{
		{"term", "crisis", Selection{}},
		{"common", "family", Selection{}},
		{"prefix", "respect*", Selection{}},
		{"and", "+family +plan", Selection{}},
		{"not", "crisis -police", Selection{}},
		{"phrase", `"turning point"`, Selection{}},
		{"case", "family", Selection{Cases: []string{kase}}},
		{"role", "crisis", Selection{Roles: []string{"client"}}},
		{"code", "family", Selection{Codes: []string{code}}},
	} {
		req := SearchRequest{Query: q.q, Selection: q.sel, Limit: 10}
		b.Run("project/"+q.kind, func(b *testing.B) {
			defer benchx.CPUPerOp(b)()
			for b.Loop() {
				if _, err := p.Search(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
		ir, err := p.indexRequest(req)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("index/"+q.kind, func(b *testing.B) {
			defer benchx.CPUPerOp(b)()
			for b.Loop() {
				if _, err := x.Search(ctx, ir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
