package index

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index/lang"
)

func testSources() []Source {
	en := "Moshe: The crisis was my turning point.\nRuth: We respected him."
	he := "דנה: הוא דיבר איתי בכבוד.\nרות: והכבוד הזה חשוב."
	mk := func(id uint64, name, text, lng string, turns []coding.Turn) Source {
		return Source{Doc: &coding.Document{ID: id, Name: name, Turns: turns, Attrs: map[string]string{"role": "client"}},
			Case: "S1", Text: text, Lang: lng}
	}
	return []Source{
		mk(1, "en-doc", en, "en", []coding.Turn{{Index: 0, Speaker: "Moshe", Start: 7, End: 39}, {Index: 1, Speaker: "Ruth", Start: 46, End: 62}}),
		mk(2, "he-doc", he, "he", []coding.Turn{{Index: 0, Speaker: "דנה", Start: 5, End: 25}, {Index: 1, Speaker: "רות", Start: 31, End: 47}}),
	}
}

func build(t *testing.T) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	x, err := Rebuild(context.Background(), dir, 7, feed(testSources()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x, dir
}

func search(t *testing.T, x *Index, q string, analyzer string) []string {
	t.Helper()
	pq, err := bleve.NewQueryStringQuery(q).Parse()
	if err != nil {
		t.Fatal(err)
	}
	lang.SetAnalyzer(pq, analyzer)
	res, err := x.Bleve().Search(bleve.NewSearchRequest(pq))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestIndexMixedLanguages(t *testing.T) {
	x, _ := build(t)
	n, _ := x.DocCount()
	if n != 4 {
		t.Fatalf("DocCount = %d, want 4", n)
	}
	fresh, err := x.Fresh(7)
	if err != nil || !fresh {
		t.Fatalf("Fresh(7) = %v %v", fresh, err)
	}
	if f, _ := x.Fresh(8); f {
		t.Error("Fresh(8) is true")
	}
	tests := []struct {
		q    string
		want int
	}{
		{"crisis", 1},
		{"respect", 1}, // stemmed: respected
		{`"turning point"`, 1},
		{"כבוד", 2}, // בכבוד and והכבוד
		{"speaker:ruth", 1},
		{"case:s1", 4},
	}
	for _, tc := range tests {
		got := search(t, x, tc.q, QueryAnalyzer)
		if len(got) != tc.want {
			t.Errorf("%s: %d hits %v, want %d", tc.q, len(got), got, tc.want)
		}
	}
	missing, err := x.MissingTurns(map[uint64]int{1: 2, 2: 3}, 10)
	if err != nil || len(missing) != 1 || missing[0] != "2/2" {
		t.Errorf("MissingTurns = %v %v", missing, err)
	}
}

func TestReopenKeepsRevision(t *testing.T) {
	x, dir := build(t)
	x.Close()
	y, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	rev, mv, err := y.Revision()
	if err != nil || rev != 7 || mv != MappingVersion {
		t.Errorf("Revision = %d %q %v", rev, mv, err)
	}
	if got := search(t, y, "כבוד", QueryAnalyzer); len(got) != 2 {
		t.Errorf("after reopen: %v", got)
	}
}

func TestTurnID(t *testing.T) {
	d, turn, ok := ParseTurnID(TurnID(12, 3))
	if !ok || d != 12 || turn != 3 {
		t.Errorf("ParseTurnID = %d %d %v", d, turn, ok)
	}
	if _, _, ok := ParseTurnID("x"); ok {
		t.Error("ParseTurnID(x) ok")
	}
}

// TestPendingIsNeverFresh: an index marked pending (written ahead of a
// store transaction) is stale to every open until Commit records a
// revision, whatever revision the store is at (0 included).
func TestPendingIsNeverFresh(t *testing.T) {
	x, dir := build(t)
	w := x.NewWriter()
	if err := w.Pending(); err != nil {
		t.Fatal(err)
	}
	for _, rev := range []uint64{0, 7} {
		if f, err := x.Fresh(rev); f || err != nil {
			t.Errorf("pending: Fresh(%d) = %v %v", rev, f, err)
		}
	}
	x.Close()
	y, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	if f, _ := y.Fresh(7); f {
		t.Error("pending after reopening: Fresh(7) is true")
	}
	if err := y.NewWriter().Commit(7); err != nil {
		t.Fatal(err)
	}
	if f, err := y.Fresh(7); !f || err != nil {
		t.Errorf("after Commit(7): Fresh(7) = %v %v", f, err)
	}
}
