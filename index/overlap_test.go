package index

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// smallBatches makes the writer flush every n turns for one test.
func smallBatches(t *testing.T, n int) {
	t.Helper()
	turns, bytes := batchTurns, batchTextBytes
	batchTurns, batchTextBytes = n, 1<<30
	t.Cleanup(func() { batchTurns, batchTextBytes = turns, bytes })
}

// overlapSources makes docs documents of five turns each, every turn
// holding a word of its own ("wDOCtTURN").
func overlapSources(docs int) []Source {
	var out []Source
	for d := 1; d <= docs; d++ {
		var b strings.Builder
		var turns []coding.Turn
		for i := 0; i < 5; i++ {
			start := b.Len()
			fmt.Fprintf(&b, "w%dt%d said more", d, i)
			turns = append(turns, coding.Turn{Index: i, Speaker: "A", Start: start, End: b.Len()})
			b.WriteString("\n")
		}
		out = append(out, Source{Doc: &coding.Document{ID: uint64(d), Name: fmt.Sprint("doc", d), Turns: turns},
			Case: "S1", Text: b.String(), Lang: "en"})
	}
	return out
}

// TestOverlapWritesEveryTurn: with batches in flight (Overlap), every
// turn is in the index after Commit, and still there after reopening.
func TestOverlapWritesEveryTurn(t *testing.T) {
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprint(n, " in flight"), func(t *testing.T) {
			smallBatches(t, 7)
			dir := filepath.Join(t.TempDir(), "index")
			x, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			w := x.NewWriter()
			w.Overlap(n)
			if err := w.Pending(); err != nil {
				t.Fatal(err)
			}
			for _, s := range overlapSources(60) {
				if err := w.Add(s); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Commit(3); err != nil {
				t.Fatal(err)
			}
			check := func(x *Index) {
				t.Helper()
				if n, err := x.DocCount(); err != nil || n != 300 {
					t.Fatalf("DocCount = %d, %v; want 300", n, err)
				}
				for _, q := range []string{"w1t0", "w31t2", "w60t4"} {
					var d, i int
					fmt.Sscanf(q, "w%dt%d", &d, &i)
					if got := search(t, x, q, "en"); len(got) != 1 || got[0] != TurnID(uint64(d), i) {
						t.Errorf("search %s = %v", q, got)
					}
				}
				if f, err := x.Fresh(3); !f || err != nil {
					t.Errorf("Fresh(3) = %v, %v", f, err)
				}
			}
			check(x)
			x.Close()
			y, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer y.Close()
			check(y)
		})
	}
}

// TestOverlapReportsAFailedBatch: a batch written on a goroutine that
// fails is reported (here by settle, which only reads what the goroutines
// reported); nothing is lost silently.
func TestOverlapReportsAFailedBatch(t *testing.T) {
	smallBatches(t, 5)
	dir := filepath.Join(t.TempDir(), "index")
	x, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := x.NewWriter()
	w.Overlap(1)
	srcs := overlapSources(10)
	if err := w.Add(srcs[0]); err != nil {
		t.Fatal(err)
	}
	x.idx.Close() // every batch from now on fails
	var failed error
	for _, s := range srcs[1:3] { // ten turns more: a batch handed off
		if failed = w.Add(s); failed != nil {
			break
		}
	}
	if failed == nil {
		failed = w.settle()
	}
	if failed == nil || !strings.Contains(failed.Error(), "write index batch") {
		t.Fatalf("error = %v, want a failed index batch", failed)
	}
}
