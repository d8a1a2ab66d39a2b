package index_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/internal/benchx"
	"github.com/tacit-qda/tacit/internal/projgen"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

// The cost of a long query: BenchmarkLongQuery runs queries of 100 to 2,000
// words (the limits raised past the ones users get, to see how the cost
// grows) on the demo project and on a generated one of 200 documents.
// Compare the ns/op and B/op of the sizes within one run: the cost should
// grow linearly with the number of words.

var benchProjects struct {
	once      sync.Once
	tmp       string
	demo, big string
	err       error
}

func benchProject(b *testing.B, which string) string {
	b.Helper()
	benchProjects.once.Do(func() {
		bp := &benchProjects
		bp.tmp, bp.err = os.MkdirTemp("", "tacit-query-bench-")
		if bp.err != nil {
			return
		}
		bp.demo = filepath.Join(bp.tmp, "demo")
		if _, bp.err = project.BuildDemo(context.Background(), bp.demo); bp.err != nil {
			return
		}
		bp.big = filepath.Join(bp.tmp, "big")
		_, bp.err = projgen.Generate(bp.big, projgen.Config{Docs: 200, Words: 2000, Codings: 2000,
			ReliabilityDocs: 10, Index: true})
	})
	if benchProjects.err != nil {
		b.Fatal(benchProjects.err)
	}
	if which == "demo" {
		return benchProjects.demo
	}
	return benchProjects.big
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchProjects.tmp != "" {
		os.RemoveAll(benchProjects.tmp)
	}
	os.Exit(code)
}

// projectWords returns the distinct words of the project's texts, most
// frequent first, so that every word of a query hits.
func projectWords(b *testing.B, p *project.Project) []string {
	freq := map[string]int{}
	err := p.Store.View(func(tx *store.Tx) error {
		docs, err := tx.Documents(false)
		if err != nil {
			return err
		}
		for _, d := range docs {
			text, err := tx.Text(d.ID)
			if err != nil {
				return err
			}
			for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
				return !('a' <= r && r <= 'z')
			}) {
				if len(w) > 2 {
					freq[w]++
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	words := make([]string, 0, len(freq))
	for w := range freq {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if freq[words[i]] != freq[words[j]] {
			return freq[words[i]] > freq[words[j]]
		}
		return words[i] < words[j]
	})
	return words
}

func BenchmarkLongQuery(b *testing.B) {
	defer index.SetQueryLimits(1<<20, 1<<20)()
	for _, which := range []string{"demo", "big"} {
		p, err := project.Open(benchProject(b, which), project.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		// The words in a fixed random order: a query of n words takes the
		// first n, so the postings per word are alike at every size.
		words := projectWords(b, p)
		rand.New(rand.NewSource(1)).Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
		b.Logf("%s: %d distinct words", which, len(words))
		for _, n := range []int{100, 500, 1000, 2000} {
			q := make([]string, n)
			for i := range q {
				q[i] = words[i%len(words)]
			}
			query := strings.Join(q, " ")
			b.Run(fmt.Sprintf("%s/parse/%d", which, n), func(b *testing.B) {
				b.ReportAllocs()
				defer benchx.CPUPerOp(b)()
				for i := 0; i < b.N; i++ {
					if _, err := index.ParseQuery(query); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("%s/search/%d", which, n), func(b *testing.B) {
				b.ReportAllocs()
				defer benchx.CPUPerOp(b)()
				for i := 0; i < b.N; i++ {
					if _, err := p.Search(context.Background(), project.SearchRequest{Query: query, Limit: 20}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		p.Close()
	}
}
