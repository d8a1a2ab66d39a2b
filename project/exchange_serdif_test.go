package project

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestSerdifTaguetteCodings imports the 17 transcripts of the real
// Taguette project (corpora/coded/serdif-taguette) and the authors' own
// CSV export (1,930 rows: id, document, tag, content) through 'codings
// import', placing each row by its quoted text. It reports how many rows
// are placed (target: at least 99%) and checks every placed row against
// highlights.csv, which holds the true code-point offsets.
func TestSerdifTaguetteCodings(t *testing.T) {
	dir := filepath.Join(corporaDir(t), "coded", "serdif-taguette")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("serdif-taguette is not in the corpora")
	}
	p := newProject(t)
	ctx := context.Background()
	files, _ := filepath.Glob(filepath.Join(dir, "documents", "*.txt"))
	if len(files) != 17 {
		t.Fatalf("%d documents, want 17", len(files))
	}
	if _, err := p.Import(ctx, files, ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	res, err := p.ImportCodings(WithActor(ctx, "taguette"), ImportCodingsRequest{File: filepath.Join(dir, "original-exports", "all_tags_20220303.csv")})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d rows placed (%.1f%%), %d of them by the table's order; %d codings, %d codes created",
		res.Placed, res.Rows, 100*float64(res.Placed)/float64(res.Rows), res.ByOrder, res.Codings, len(res.CodesCreated))
	if res.Rows != 1930 {
		t.Errorf("%d rows, want 1930", res.Rows)
	}
	if float64(res.Placed) < 0.99*float64(res.Rows) {
		t.Errorf("%d of %d rows placed, want at least 99%%", res.Placed, res.Rows)
	}
	for _, np := range res.NotPlaced {
		t.Logf("line %d: %s", np.Line, np.Reason)
	}
	// The truth: highlights.csv (text_file, start_char, end_char, tags).
	f, err := os.Open(filepath.Join(dir, "highlights.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// A highlight's span as stored, and trimmed of white space at its ends:
	// the CSV export collapses white space, so a highlight that ends in a
	// line break (Taguette keeps it) is quoted without it.
	exact := map[string]bool{}
	trimmed := map[string]bool{}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	texts := map[string][]rune{}
	for _, r := range recs[1:] {
		doc := strings.TrimSuffix(r[col["text_file"]], ".txt")
		if texts[doc] == nil {
			b, err := os.ReadFile(filepath.Join(dir, "documents", r[col["text_file"]]))
			if err != nil {
				t.Fatal(err)
			}
			texts[doc] = []rune(string(b))
		}
		s, _ := strconv.Atoi(r[col["start_char"]])
		e, _ := strconv.Atoi(r[col["end_char"]])
		exact[fmt.Sprintf("%s|%d|%d", doc, s, e)] = true
		tx := texts[doc]
		for s < e && unicode.IsSpace(tx[s]) {
			s++
		}
		for e > s && unicode.IsSpace(tx[e-1]) {
			e--
		}
		trimmed[fmt.Sprintf("%s|%d|%d", doc, s, e)] = true
	}
	nExact, wrong := 0, 0
	for _, s := range res.Spans {
		k := fmt.Sprintf("%s|%d|%d", s.Doc, s.Start, s.End)
		if exact[k] {
			nExact++
		}
		if !exact[k] && !trimmed[k] {
			wrong++
			if wrong <= 10 {
				t.Errorf("line %d placed at %s %d:%d, which is no highlight of highlights.csv", s.Line, s.Doc, s.Start, s.End)
			}
		}
	}
	t.Logf("of %d placed rows, %d are exactly a highlight of highlights.csv, %d more are one but for white space at its ends (which the CSV drops), %d are wrong",
		len(res.Spans), nExact, len(res.Spans)-nExact-wrong, wrong)
}
