package index

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/internal/corpusgen"
)

// benchSources turns generated interviews into index sources, one turn per
// line ("Name: text").
func benchSources(n, words int) ([]Source, int64) {
	g := corpusgen.New(1)
	var out []Source
	var total int64
	for i := 0; i < n; i++ {
		iv := g.Interview(i, words)
		d := &coding.Document{ID: uint64(i + 1), Name: iv.Name}
		pos := 0
		for _, line := range splitLines(iv.Text) {
			r := []rune(line)
			if c := indexRune(r, ':'); c > 0 && c < 20 {
				d.Turns = append(d.Turns, coding.Turn{Index: len(d.Turns), Speaker: string(r[:c]), Start: pos + c + 2, End: pos + len(r)})
			}
			pos += len(r) + 1
		}
		out = append(out, Source{Doc: d, Text: iv.Text, Lang: "en"})
		total += int64(len(iv.Text))
	}
	return out, total
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func indexRune(r []rune, c rune) int {
	for i, x := range r {
		if x == c {
			return i
		}
	}
	return -1
}

// BenchmarkIndexTurns measures batch indexing of generated interviews
// through Writer (the path 'tacit import' and 'tacit reindex' take).
func BenchmarkIndexTurns(b *testing.B) {
	srcs, total := benchSources(20, 8000)
	b.SetBytes(total)
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(b.TempDir(), "index")
		x, err := Rebuild(context.Background(), dir, 1, feed(srcs))
		if err != nil {
			b.Fatal(err)
		}
		x.Close()
	}
}
